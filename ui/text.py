"""Text that comes from a user (a link, a search box) shown safely in Streamlit's Markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!#<>$|~{}+\-.])")


def md_escape(text: str, *, limit: int = 60) -> str:
    """Backslash-escape Markdown, HTML and LaTeX syntax; cut long values (a link is no essay)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)
