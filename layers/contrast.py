"""Colour contrast as WCAG 2 defines it (relative luminance, contrast ratio), for the map's palettes.

WCAG 1.4.11 (non-text contrast) asks 3:1 between a graphical object's boundary and the colours
next to it; 1.4.1 (use of colour) asks that colour not be the only means of telling things apart.
"""

from __future__ import annotations

# Graphical objects and large text (WCAG 1.4.11, 1.4.3).
MIN_GRAPHIC = 3.0


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """Relative luminance of a '#rrggbb' (or '#rgb') colour, 0 (black) to 1 (white)."""
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"couleur illisible : {color!r} (attendu #rrggbb)")
    r, g, b = (_channel(int(text[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever contrasts most with ``fill``: the colour of a symbol drawn on it."""
    return "#000000" if contrast("#000000", fill) >= contrast("#ffffff", fill) else "#ffffff"


def blend(color: str, opacity: float, background: str) -> str:
    """``color`` painted at ``opacity`` over ``background``, as '#rrggbb' (what the eye sees)."""

    def rgb(c: str) -> list[int]:
        t = c.lstrip("#")
        t = "".join(ch * 2 for ch in t) if len(t) == 3 else t
        return [int(t[i : i + 2], 16) for i in (0, 2, 4)]

    mixed = [round(f * opacity + b * (1 - opacity)) for f, b in zip(rgb(color), rgb(background), strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)
