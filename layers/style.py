"""The look of a map layer, written once as typed data and read by every renderer.

Each layer module defines its :class:`LayerStyle` (colours, widths in CSS pixels, dash patterns,
fill opacity, point symbols, hover and tooltip); the web map and the presentation receive it as
JSON (:func:`style_json`) and ``layers/style.js`` turns it into Leaflet options, while the fiche's
matplotlib map converts it with :func:`mpl_color`, :func:`points` and :func:`mpl_dashes`. A legend
reads its colours from the same objects.

A feature's look is the ``base`` look, then each matching :class:`Variant` in order (a variant's
stroke, fill or radius, when set, replaces the one before).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from layers.escape import escape_text

Dash = tuple[float, ...]
PX_PER_PT = 4 / 3  # CSS: 96 px per inch, 72 pt per inch


@dataclass(frozen=True)
class Stroke:
    color: str
    width: float  # CSS px
    dash: Dash | None = None  # CSS px, on/off
    opacity: float = 1.0


@dataclass(frozen=True)
class Fill:
    color: str
    opacity: float = 1.0


@dataclass(frozen=True)
class Look:
    """Stroke, fill and circle radius (px); a missing stroke or fill is not drawn."""

    stroke: Stroke | None = None
    fill: Fill | None = None
    radius: float | None = None


@dataclass(frozen=True)
class When:
    """A feature matches when ``properties[prop] == equals``; or, with ``state``, when the layer's
    per-run state highlights it (``highlight``) or dims it (``dimmed``: dimming on, not highlighted)."""

    prop: str = ""
    equals: object = True
    state: Literal["", "highlight", "dimmed"] = ""


@dataclass(frozen=True)
class Variant:
    when: When
    look: Look


@dataclass(frozen=True)
class Palette:
    """The fill colour read from a property (``colors[value]``, else ``default``)."""

    prop: str
    colors: tuple[tuple[str, str], ...]
    default: str

    def color(self, value: str) -> str:
        return dict(self.colors).get(value, self.default)


@dataclass(frozen=True)
class Symbol:
    """How a point feature is drawn: a circle marker, or a text label (``text_prop``) in a CSS class."""

    kind: Literal["circle", "label"] = "circle"
    radius: float = 0.0
    text_prop: str = ""
    css_class: str = ""
    # A circle's mark by value of ``glyph_prop`` (a cité's status): (value, glyph, ink colour), drawn
    # on the circle with a light halo around it, so that the value is told by shape as well as by
    # colour (WCAG 1.4.1) and the circle stands out on any fill under it (1.4.11).
    glyph_prop: str = ""
    glyphs: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Hover:
    """Stroke options applied while the pointer is over a feature."""

    width: float | None = None
    color: str | None = None


@dataclass(frozen=True)
class Row:
    """One tooltip row: a heading and the (escaped) property shown; ``state`` shows the per-run
    indicator's label and the feature's value instead (the communes' choropleth)."""

    label: str = ""
    prop: str = ""
    state: bool = False


@dataclass(frozen=True)
class Label:
    """Names written on a static map (the fiche): size in points, weight, colour."""

    size_pt: float
    color: str = "#222222"
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class LayerStyle:
    """Everything about how one part of a layer looks.

    ``palette`` colours the fill from a property, ``choropleth`` from the per-run state (the
    communes' indicator), ``radius_prop`` sizes circles from a property. ``outline`` draws
    polygons as their rings only: on a canvas an unfilled polygon still catches every click and
    hover inside it, hiding the layers beneath. ``interactive`` False: context, never clicked.
    ``max_zoom``: drawn only below this zoom (a marker standing for a shape too small to see
    there), hidden from it on.
    """

    base: Look
    variants: tuple[Variant, ...] = ()
    palette: Palette | None = None
    choropleth: bool = False
    radius_prop: str = ""
    point: Symbol | None = None
    hover: Hover | None = None
    tooltip: tuple[Row, ...] = ()
    interactive: bool = True
    outline: bool = False
    label: Label | None = None
    max_zoom: float | None = None

    def look(self, **props: object) -> Look:
        """The look of a feature with these properties (conditions on a property only)."""
        look = self.base
        for v in self.variants:
            if not v.when.state and v.when.prop in props and props[v.when.prop] == v.when.equals:
                look = merge(look, v.look)
        return look

    def variant(self, *, state: str = "", prop: str = "", equals: object = True) -> Look:
        """The base look merged with the variant of that condition (KeyError if there is none)."""
        for v in self.variants:
            if v.when == When(prop=prop, equals=equals, state=state):  # type: ignore[arg-type]
                return merge(self.base, v.look)
        raise KeyError((state, prop, equals))


def merge(a: Look, b: Look) -> Look:
    return Look(
        stroke=b.stroke or a.stroke, fill=b.fill or a.fill, radius=b.radius if b.radius is not None else a.radius
    )


def _plain(value: object) -> object:
    if isinstance(value, Palette):
        colors = {escape_text(k): c for k, c in value.colors}
        return {"prop": value.prop, "colors": colors, "default": value.default}
    if isinstance(value, Symbol):
        plain = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        # Matched against escaped feature properties, like a palette's keys.
        plain["glyphs"] = {escape_text(k): {"glyph": g, "ink": ink} for k, g, ink in value.glyphs}
        return plain
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------- media


@dataclass(frozen=True)
class Medium:
    """Where a layer's one style is drawn, and what that place changes in it: the distance it is
    read from. Strokes, dashes and fixed radii are multiplied by ``width`` and ``radius``;
    ``fill_opacity`` is added to every fill's opacity (at most 1), so that fills still read
    from the back of a room. Colours never change."""

    name: str
    width: float = 1.0
    radius: float = 1.0
    fill_opacity: float = 0.0


# The web map draws each style as it is written: the screen is the reference medium.
SCREEN = Medium("écran")
# The presentation, seen from afar on a projector: heavier lines, larger circles, denser fills.
PROJECTOR = Medium("vidéoprojecteur", width=1.3, radius=1.35, fill_opacity=0.15)
# The fiche's map, printed about 17 cm wide: a smaller map than on screen, lines thinner in proportion.
PRINT = Medium("impression", width=0.6, radius=0.6)


def _stroke_on(stroke: Stroke | None, medium: Medium) -> Stroke | None:
    if stroke is None:
        return None
    dash = tuple(round(d * medium.width, 2) for d in stroke.dash) if stroke.dash else None
    return dataclasses.replace(stroke, width=round(stroke.width * medium.width, 2), dash=dash)


def _look_on(look: Look, medium: Medium) -> Look:
    fill = look.fill
    if fill is not None and medium.fill_opacity:
        fill = dataclasses.replace(fill, opacity=round(min(1.0, fill.opacity + medium.fill_opacity), 2))
    radius = round(look.radius * medium.radius, 2) if look.radius is not None else None
    return Look(stroke=_stroke_on(look.stroke, medium), fill=fill, radius=radius)


def on_medium(style: LayerStyle, medium: Medium) -> LayerStyle:
    """``style`` as drawn on ``medium``: the same colours, dashes in proportion, widths, radii
    and fill opacities adapted (a property-sized radius, ``radius_prop``, is the data's to scale)."""
    point = style.point
    if point is not None and point.radius:
        point = dataclasses.replace(point, radius=round(point.radius * medium.radius, 2))
    hover = style.hover
    if hover is not None and hover.width is not None:
        hover = dataclasses.replace(hover, width=round(hover.width * medium.width, 2))
    return dataclasses.replace(
        style,
        base=_look_on(style.base, medium),
        variants=tuple(Variant(v.when, _look_on(v.look, medium)) for v in style.variants),
        point=point,
        hover=hover,
    )


def style_json(style: LayerStyle) -> dict[str, object]:
    """The style as JSON-ready data for ``layers/style.js``; palette keys are escaped like the
    feature properties they are matched against."""
    return _plain(style)  # type: ignore[return-value]


# --------------------------------------------------------------------------- matplotlib


def points(px: float) -> float:
    """A CSS pixel length in typographic points (matplotlib's unit for widths and sizes)."""
    return px / PX_PER_PT


def mpl_color(color: str, opacity: float = 1.0) -> tuple[float, float, float, float]:
    """'#rrggbb' (or '#rgb') and an opacity as a matplotlib RGBA tuple."""
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, opacity)


def mpl_dashes(stroke: Stroke) -> tuple[int, tuple[float, ...]] | str:
    """A stroke's dash pattern as a matplotlib linestyle.

    Leaflet's dash lengths are absolute pixels; matplotlib multiplies its pattern by the line
    width (``lines.scale_dashes``), so the pattern is given in line widths: same proportions.
    """
    if not stroke.dash:
        return "solid"
    return (0, tuple(d / stroke.width for d in stroke.dash))
