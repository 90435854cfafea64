"""The map's scripts, styles and markup: files beside this module, read once."""

from __future__ import annotations

import functools
import json
from pathlib import Path

HERE = Path(__file__).parent


@functools.cache
def asset(name: str) -> str:
    """The text of ``layers/<name>`` (a .js, .css or .html file shipped with the code)."""
    return (HERE / name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside a <script> element: '</' is split so no text closes it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
