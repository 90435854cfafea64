"""Text a font can draw: what it lacks (an emoji, say) is named, never an empty box.

The PDF's reportlab font and the map image's matplotlib font each say which characters they have;
:func:`visible` rewrites the rest, so the same cité name reads the same in the text and on the map.
"""

from __future__ import annotations

import functools
import unicodedata


def visible(value: str, glyphs: frozenset[int]) -> str:
    """``value`` with each character the font cannot draw (an emoji, say) written as its Unicode
    name in brackets, « [HOUSE BUILDING] », instead of an empty box; invisible joiners and
    variation selectors the font lacks are left out."""
    out = []
    for ch in value:
        if ord(ch) in glyphs or ch in "\n\t ":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cf", "Mn", "Sk") or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue
        else:
            out.append(f"[{unicodedata.name(ch, f'U+{ord(ch):04X}')}]")
    return "".join(out)


@functools.lru_cache(maxsize=1)
def matplotlib_glyphs() -> frozenset[int]:
    """Code points of matplotlib's default sans-serif font (the map image's text)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    return frozenset(FT2Font(path).get_charmap())


def map_text(value: str) -> str:
    """``value`` as the map image can draw it."""
    return visible(value, matplotlib_glyphs())
