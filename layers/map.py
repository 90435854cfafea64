"""Assemble built layers into one folium map that needs no internet to draw.

The map is split in two so that a filter change does not redraw it:

- the **base** (:func:`build_map`): the Leaflet map, one empty group per layer, the layer
  control, legend box, share button and the code that fetches the static bundle (every
  geometry that never changes while the server runs, a gzip-compressed, browser-cached JSON
  file under ``/app/static/``). It depends only on the display options, so the map component
  (``ui/mapcomponent``) keeps the same map mounted from one run to the next;
- the **update** (:func:`update_payload`): the per-run state (commune colours for the chosen
  indicator, highlighted communes, the filtered cités, the legend), a few kilobytes of JSON that
  the mounted map applies (``erbm.update``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from layers.assets import localise
from layers.escape import escape_text
from layers.files import asset
from layers.jsvalue import JINJA_OPENER, js
from layers.legend import legend_data
from layers.spec import BuiltLayer, Part
from layers.style import style_json

# Online basemaps are optional: the vector context already reads well on its own.
BASEMAPS: dict[str, str | None] = {
    "Aucun (contexte vectoriel, hors ligne)": None,
    "OpenStreetMap (en ligne)": "OpenStreetMap.Mapnik",
    "Plan IGN (en ligne)": "GeoportailFrance.plan",
}
ZOOM_TITLES = {"position": "topleft", "zoomInTitle": "Zoom avant", "zoomOutTitle": "Zoom arrière"}
# The map's accessible name (its container is a region; a selection is announced in it).
MAP_LABEL = "Carte interactive du bassin minier : communes, EPCI, zone BUD, cités minières et projets routiers"
# The map's code, in load order: the TopoJSON decoder, the style interpreter, the map's registry.
CODE = ("topojson.js", "style.js", "map.js")


def client_css() -> str:
    """The map's style sheet (``layers/map.css``), published like the code as a static file."""
    return asset("map.css")


def client_js(parts: Sequence[Part], *, bundle_url: str | None = None) -> str:
    """The map's static code (``topojson.js``, ``style.js``, ``map.js``), then its set-up call
    with the style of every part (same parts, same text) and the static bundle's address, whose
    fetch starts as soon as the code loads. The styles travel as JSON, never as code."""
    config = {"parts": {p.name: style_json(p.style) for p in parts}, "bundle": bundle_url}
    return "".join(asset(name) for name in CODE) + "erbmSetup(" + js(config) + ");\n"


# Our code runs inside a function where its parent is ``map`` or ``group`` (and a tile layer
# ``tiles``); the parent's variable name is passed as data, known when the element is made.
_SCRIPT = (
    "{% macro script(this, kwargs) %}(function(){ var {{ this.alias }} = {{ this.parent_name }};"
    "{% if this.tiles_name %} var tiles = {{ this.tiles_name }};{% endif %}\n"
    "{{ this.code }}\n})();{% endmacro %}"
)


@functools.cache
def _element_classes() -> tuple[type, type]:
    """Our two folium element classes, made on first use (folium is imported lazily). A folium
    element's look is its class's Jinja template (folium's documented way to write a plugin)."""
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin
    from jinja2 import Template

    template = Template(_SCRIPT)
    script = type("ErbmScript", (MacroElement,), {"_template": template})
    runtime = type("ErbmRuntime", (JSCSSMixin, MacroElement), {"_template": template, "default_js": []})
    return script, runtime


def _element(code: str, *, parent: object, alias: str = "map", tiles: object | None = None, cls: type | None = None):
    """A folium child whose JS sees ``parent`` (a folium element) as ``alias`` and a tile layer as
    ``tiles``. The code is passed as data, never as template text, so no value in it (a cité
    name, say) can be evaluated by Jinja."""
    if JINJA_OPENER.search(code):
        raise ValueError("map script holds a Jinja opener: build its values with layers.jsvalue.js()")
    el = (cls or _element_classes()[0])()
    el.code = code
    el.alias = alias
    el.parent_name = parent.get_name()  # type: ignore[attr-defined]
    el.tiles_name = tiles.get_name() if tiles is not None else ""  # type: ignore[attr-defined]
    return el


def _group(layer: BuiltLayer):
    import folium

    group = folium.FeatureGroup(name=layer.title, show=layer.show)
    code = f"erbm.group({js(layer.title)}, group);" + "".join(
        f"erbm.part({js(p.name)}, group, {js(p.follows_filters)});" for p in layer.parts
    )
    group.add_child(_element(code, parent=group, alias="group"))
    return group


def _runtime(code: str, *, parent: object, css_url: str):
    """The first child of the map: loads the map's style, then starts the map's registry."""
    el = _element(code, parent=parent, cls=_element_classes()[1])
    el.default_css = [("erbm_css", css_url)]
    return el


@dataclass(frozen=True)
class MapView:
    """Initial extent of the map, in EPSG:4326 (south, west, north, east)."""

    bounds: tuple[float, float, float, float]


@dataclass(frozen=True)
class Assets:
    """Addresses of the map's static files: the geometries, the code and the style."""

    bundle_url: str
    js_url: str
    css_url: str


def build_map(
    layers: Sequence[BuiltLayer],
    *,
    view: MapView,
    assets: Assets,
    basemap: str | None = None,
    attribution: str = "",
    large_type: bool = False,
    height: str = "100%",
    share: bool = True,
):
    """The base folium.Map: one empty group per layer, the layer control, legend box, local assets only.

    Its script depends on the layers' titles, parts and visibility and on the options, never
    on per-run data (see :func:`update_payload`), so it stays the same from one run to the next.
    """
    import folium
    import xyzservices

    localise()  # folium's element classes load Leaflet from static/vendor, never from a CDN
    south, west, north, east = view.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=10,
        tiles=None,
        prefer_canvas=True,
        # Leaflet's scale shows miles and feet too: ours is metric only (below).
        control_scale=False,
        height=height,
        min_zoom=8,
        max_zoom=17,
        # Leaflet's own zoom buttons speak English: ours are the same control, titled in French.
        zoom_control=False,
    )
    # The map's code is loaded before Leaflet (it only defines functions until called): it starts
    # fetching the static bundle while Leaflet itself is still loading.
    m.default_js = [("erbm_js", assets.js_url), *m.default_js]
    m.add_child(_runtime(f"erbmInit(map, {js(assets.bundle_url)});", parent=m, css_url=assets.css_url))
    # The whole perimeter, without animation: on a touch screen an animated first zoom ends a frame
    # later, after (and in place of) the view a link or a search asks for (ui/mapcomponent.js).
    fit = f"map.fitBounds({js([[south, west], [north, east]])}, {{animate: false}});"
    controls = f"L.control.zoom({js(ZOOM_TITLES)}).addTo(map); L.control.scale({{imperial: false}}).addTo(map);"
    m.add_child(_element(fit + controls, parent=m))
    if basemap:
        provider = xyzservices.providers.query_name(basemap)
        tiles = folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=escape_text(basemap),
            max_zoom=provider.get("max_zoom", 18),
            overlay=False,
            control=False,
        ).add_to(m)
        m.add_child(_element("erbm.tileError(tiles);", parent=m, tiles=tiles))
    for layer in layers:
        _group(layer).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    code = "erbm.legendBox(); map.attributionControl.setPrefix(false);"
    code += f"map.attributionControl.addAttribution({js(escape_text(attribution))});"
    if large_type:
        code += "map.getContainer().classList.add('erbm-large');"
    if share:
        active = {layer.key: layer.show for layer in layers if layer.key != "contexte"}
        names = {layer.title: layer.key for layer in layers if layer.key != "contexte"}
        code += f"erbm.share({js(active)}, {js(names)});"
    code += f"erbm.controls({js({'label': MAP_LABEL, 'large': large_type})});"
    m.add_child(_element(code, parent=m))
    return m


def _table(fc: dict[str, object]) -> dict[str, object]:
    """A FeatureCollection of points as field names and one row (lon, lat, values...) per point."""
    feats = fc["features"]
    fields = list(feats[0]["properties"]) if feats else []  # type: ignore[index]
    rows = [[*f["geometry"]["coordinates"][:2], *(f["properties"][k] for k in fields)] for f in feats]  # type: ignore[index]
    return {"fields": fields, "rows": rows}


def _compact(fc: dict[str, object]) -> dict[str, object]:
    if "join" in fc:  # already compact: rows joined to the bundle's shapes (the cités' outlines)
        return fc
    feats = fc["features"]
    if all(f["geometry"]["type"] == "Point" for f in feats):  # type: ignore[union-attr,index]
        return _table(fc)
    return fc


def update_payload(layers: Sequence[BuiltLayer], *, selection: dict[str, str] | None = None) -> dict[str, object]:
    """What changes from one run to the next: layer states, per-run features, the legend and the
    selected element (``{"kind", "ref", "label"}``, drawn highlighted and announced)."""
    features: dict[str, object] = {}
    for layer in layers:
        features.update({name: _compact(fc) for name, fc in layer.features.items()})
    return {
        "state": {layer.key: layer.state for layer in layers if layer.state},
        "features": features,
        "legend": legend_data(layers),
        "selection": {k: escape_text(v) for k, v in selection.items()} if selection else None,
    }
