"""Python values written into the map's script as JS literals, safe where the script is embedded."""

from __future__ import annotations

import json
import re

JINJA_OPENER = re.compile(r"\{(?=[{%#])")


def js(value: object) -> str:
    """``value`` as a JS literal that is safe inside a <script> element and inside a Jinja template.

    '</' is split so no text can close the element. branca compiles each element's output
    again as a Jinja template, so ``{{``, ``{%`` and ``{#`` must not appear: JSON never writes
    them outside a string, and inside a string the brace is written as the escape ``\\u007b``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return JINJA_OPENER.sub(r"\\u007b", text)
