"""Text that comes from a user (a link, a search box) shown safely in Streamlit's Markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!#<>$|~{}+\-.])")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|@)")


def md_escape(text: str, *, limit: int = 60) -> str:
    """Backslash-escape Markdown, HTML and LaTeX syntax; cut long values (a link is no essay)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return md_literal(text)


def md_literal(text: str) -> str:
    """Backslash-escape Markdown, HTML and LaTeX syntax in text of our own (a source, a figure),
    keeping its spaces as they are (the narrow no-break spaces of « 1 185 930 »)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text))
    # GitHub-flavoured Markdown turns bare addresses into links even when escaped: a zero-width
    # space after the scheme, « www » or « @ » keeps the text as typed but never clickable.
    return _AUTOLINK.sub("\\1\u200b", text)
