"""Presentation mode: one self-contained HTML document that tells the ERBM story scene by scene.

Built for a projector in a big room that may have no network: Leaflet's JS and CSS are inlined
from the XStatic package, every layer is embedded once as GeoJSON (only the columns shown,
every text escaped with :func:`layers.escape.escape_text`), the scenes are embedded as JSON,
and nothing is fetched from anywhere. Type is large, contrast high, the map draws on a canvas.

Keyboard (and presentation clickers, which send PageUp / PageDown): ArrowRight, Space, PageDown
go forward; ArrowLeft, PageUp, Shift+Space go back; Home / End jump to the first / last scene;
F toggles full screen. Inside Streamlit the document also listens on its (same-origin) parent
page, so a clicker works before anyone clicks into the presentation.

``python -m layers.presentation sortie.html`` writes the default scenario to a file that opens
offline in any browser.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import shapely.ops

from core.vocab import NON_RENSEIGNE, STATUSES
from domain.figures import ResolvedFigure, figures_of
from domain.scenario import Scenario, Scene
from domain.scenes import describe_filters, highlight_feature, scene_bounds, scene_cites
from domain.status import STATUS_COLORS
from geo.crs import LAMBERT93, to_display
from geo.load import Territory
from layers._geojson import features
from layers.bud import CLASSED as BUD_CLASSED
from layers.bud import PENDING as BUD_PENDING
from layers.cites import radius
from layers.epci import OTHER as EPCI_OTHER
from layers.epci import SIGNATORY as EPCI_SIGNATORY
from layers.escape import escape_text

PLACE_BUFFER_M = 12_000.0
PLACE_SPACING_M = 9_000.0
CONTEXT_SIMPLIFY_M = 150.0
CITE_SCALE = 1.35  # circles a little larger than on the web map: seen from the back of the room

_EPCI_PREFIX = re.compile(
    r"^(Communauté d'agglomération|Communauté de communes|Communauté urbaine)\s+(de la |du |de |d')?"
)


def short_epci_name(nom: str) -> str:
    """« Communauté d'agglomération de Lens - Liévin » → « Lens - Liévin » (map labels only)."""
    return _EPCI_PREFIX.sub("", nom).strip() or nom


# --------------------------------------------------------------------------- assets


def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed XStatic package (never from a CDN)."""
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    # No marker icons or layer control here: drop their image URLs so nothing is ever requested.
    css = re.sub(r"url\((?!#)[^)]*\)", "none", css)
    return js, css


# --------------------------------------------------------------------------- data


def _label_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point inside each polygon, half-way along each line (Lambert-93 in, WGS84 out)."""
    pts = [
        g.interpolate(0.5, normalized=True) if g.geom_type in ("LineString", "MultiLineString") else g
        for g in gdf.geometry.values
    ]
    pts = [p if p.geom_type == "Point" else p.representative_point() for p in pts]
    return gpd.GeoSeries(pts, crs=LAMBERT93, index=gdf.index).to_crs("EPSG:4326")


def _with_label_point(gdf: gpd.GeoDataFrame, *, within: object | None = None) -> gpd.GeoDataFrame:
    """Adds ``lat``/``lon`` of a label point; ``within`` keeps polygon labels inside that area."""
    frame = gdf
    if within is not None:
        clipped = []
        for g in gdf.geometry.values:
            inside = g.intersection(within)
            parts = getattr(inside, "geoms", [inside])
            polys = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
            # The pole of inaccessibility sits well inside the shape, away from neighbours' labels.
            clipped.append(shapely.ops.polylabel(max(polys, key=lambda p: p.area), tolerance=200) if polys else g)
        frame = gdf.set_geometry(gpd.GeoSeries(clipped, crs=LAMBERT93, index=gdf.index))
    pts = _label_points(frame)
    return gdf.assign(lat=pts.y.round(5), lon=pts.x.round(5))


def _places(t: Territory) -> list[list[object]]:
    """Town names for context, the larger first, none closer than PLACE_SPACING_M to a kept one."""
    zone = t.perimeter_communes.union_all().buffer(PLACE_BUFFER_M)
    labels = t.labels[t.labels.within(zone)].sort_values("population", ascending=False)
    kept: list[Any] = []
    for row in labels.itertuples(index=False):
        if all(row.geometry.distance(k.geometry) >= PLACE_SPACING_M for k in kept):
            kept.append(row)
    if not kept:
        return []
    pts = gpd.GeoSeries([k.geometry for k in kept], crs=LAMBERT93).to_crs("EPSG:4326")
    return [[round(p.y, 5), round(p.x, 5), escape_text(k.nom)] for k, p in zip(kept, pts, strict=True)]


def _geometry(gdf: gpd.GeoDataFrame) -> dict[str, object]:
    return json.loads(to_display(gdf).geometry.to_json())


def layer_data(t: Territory) -> dict[str, object]:
    """Every layer the scenes can show, once, in EPSG:4326 with only the displayed columns."""
    perim = t.perimeter_communes
    union = shapely.coverage_union_all(perim.geometry.values)
    outline = gpd.GeoDataFrame(geometry=[union], crs=LAMBERT93)
    epci = _with_label_point(t.epci, within=union).assign(court=t.epci["nom"].map(short_epci_name))
    cites = t.cites.assign(
        r=t.cites["logements"].map(lambda v: round(radius(v) * CITE_SCALE, 1)),
        connu=t.cites["logements"].notna(),
    )
    cites = _with_label_point(cites)
    roads = _with_label_point(t.roads)
    deps = t.departements.assign(geometry=t.departements.geometry.simplify(CONTEXT_SIMPLIFY_M))
    return {
        "communes": features(to_display(perim), ["nom"], kind="commune", id_column="insee"),
        "outline": _geometry(outline),
        "epci": features(
            to_display(epci), ["nom", "court", "signataire", "lat", "lon"], kind="epci", id_column="siren"
        ),
        "bud": features(to_display(t.bud_zone), ["statut"], kind="bud", id_column="statut"),
        "cites": features(
            to_display(cites), ["nom", "commune", "statut", "r", "connu", "lat", "lon"], kind="cite", id_column="id"
        ),
        "roads": features(to_display(roads), ["nom", "trace", "lat", "lon"], kind="route", id_column="id"),
        "departements": features(to_display(deps), ["nom"], kind="departement", id_column="code"),
        "places": _places(t),
    }


def _text(value: object) -> str:
    """Escaped text for the panel; « 2018-2019 » keeps together (non-breaking hyphen)."""
    return re.sub(r"(?<=\d)-(?=\d)", "\u2011", escape_text(value))


def _entry(label: str, color: str, shape: str = "fill") -> dict[str, str]:
    return {"label": escape_text(label), "color": color, "shape": shape}


def _legend(t: Territory, scene: Scene, cites: gpd.GeoDataFrame) -> list[dict[str, object]]:
    sections: list[dict[str, object]] = []
    for layer in scene.layers:
        if layer == "communes":
            entries = [_entry("Commune du périmètre ERBM", "#ffffff"), _entry("Limite du périmètre", "#111111", "line")]
            sections.append({"title": "Communes", "entries": entries})
        elif layer == "epci":
            n_sig = int(t.epci["signataire"].sum())
            entries = [
                _entry(f"EPCI signataire ({n_sig})", EPCI_SIGNATORY, "line"),
                _entry(f"Autre EPCI touchant le périmètre ({len(t.epci) - n_sig})", EPCI_OTHER, "dashed"),
            ]
            sections.append({"title": "Intercommunalités", "entries": entries})
        elif layer == "bud":
            counts = dict(zip(t.bud_zone["statut"], t.bud_zone["communes"], strict=True))
            entries = [_entry(f"Commune classée ({counts.get('classée', 0)})", BUD_CLASSED)]
            if counts.get("à confirmer"):
                entries.append(
                    _entry(f"À confirmer : 1 commune parmi {counts['à confirmer']}", BUD_PENDING, "dashed-fill")
                )
            sections.append({"title": "Bassin urbain à dynamiser", "entries": entries})
        elif layer == "cites":
            counts = cites["statut"].value_counts()
            entries = [
                _entry(f"{s} ({int(counts[s])})", STATUS_COLORS[s], "circle") for s in STATUSES if counts.get(s, 0)
            ]
            entries.append(_entry("taille : nombre de logements (pointillé : inconnu)", "#ffffff", "circle-dashed"))
            title = f"Cités ({len(cites)} sur {len(t.cites)})" if len(cites) != len(t.cites) else "Cités"
            sections.append({"title": escape_text(title), "entries": entries})
        elif layer == "roads":
            entries = [
                _entry("Tracé indicatif (pas un relevé)", "#000000", "dashed"),
                _entry("Échangeur (position indicative)", "#ffffff", "circle"),
            ]
            sections.append({"title": "Projets routiers", "entries": entries})
    return sections


def _figure(f: ResolvedFigure) -> dict[str, object]:
    return {
        "label": _text(f.label),
        "value": escape_text(f.value_text),
        "unit": escape_text(f.unit),
        "source": escape_text(f.source),
        "date": escape_text(f.date),
        "target": escape_text(f.target_text) if f.target_text else None,
        "progress": round(f.progress, 4) if f.progress is not None else None,
    }


def scene_data(t: Territory, scene: Scene, *, inv: Mapping[str, Any]) -> dict[str, object]:
    """One scene as the browser needs it; every text escaped, every figure resolved from the data."""
    cites = scene_cites(t, scene)
    highlight = None
    if scene.highlight:
        label, frame = highlight_feature(t, scene.highlight)
        highlight = {"label": escape_text(label), "geometry": _geometry(frame)}
    return {
        "title": _text(scene.title),
        "caption": _text(scene.caption),
        "bounds": [round(b, 5) for b in scene_bounds(t, scene)],
        "layers": list(scene.layers),
        "labels": list(scene.labels),
        "cites": None if scene.filters is None else [escape_text(i) for i in cites["id"]],
        "filters": escape_text(describe_filters(scene)),
        "highlight": highlight,
        "figures": [_figure(f) for f in figures_of(t, scene, inv=dict(inv))],
        "legend": _legend(t, scene, cites),
    }


def presentation_data(t: Territory, scenario: Scenario) -> dict[str, object]:
    from domain.inventory import inventory
    from domain.provenance import MAP_ATTRIBUTION

    inv = inventory(t)
    return {
        "title": escape_text(scenario.title),
        "layers": layer_data(t),
        "scenes": [scene_data(t, s, inv=inv) for s in scenario.scenes],
        "attribution": escape_text(MAP_ATTRIBUTION),
        "colors": {
            "status": {escape_text(k): v for k, v in STATUS_COLORS.items()},
            "unknown": STATUS_COLORS[NON_RENSEIGNE],
            "epci": [EPCI_SIGNATORY, EPCI_OTHER],
            "bud": [BUD_CLASSED, BUD_PENDING],
        },
    }


def _script_json(data: object) -> str:
    # Valid JS; '</' is split so no text can close the <script> element.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


# --------------------------------------------------------------------------- document

CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:#fff;color:#000;
  font-family:system-ui,"Segoe UI","DejaVu Sans",Roboto,sans-serif;overflow:hidden}
#deck{display:grid;grid-template-columns:minmax(400px,39%) 1fr;height:100vh;width:100vw;outline:none}
@media (max-aspect-ratio:3/2){#deck{grid-template-columns:minmax(400px,48%) 1fr}}
#panel{--k:1;display:flex;flex-direction:column;min-height:0;padding:16px 26px 12px;border-right:5px solid #000;
  background:#fff;overflow:hidden}
#scroll{flex:1 1 auto;min-height:0;overflow-y:auto}
#top{display:flex;justify-content:space-between;align-items:center;gap:12px}
#counter{font-size:clamp(24px,1.4vw,32px);font-weight:800;letter-spacing:.02em}
/* --k shrinks the text (never below 40px titles, 24px captions) until the scene fits the panel. */
#title{font-size:max(40px,calc(var(--k)*clamp(44px,3.4vw,80px)));line-height:1.08;font-weight:800;
  margin:calc(var(--k)*14px) 0 calc(var(--k)*12px)}
#caption{font-size:max(24px,calc(var(--k)*clamp(26px,1.8vw,40px)));line-height:1.33;margin:0 0 10px}
#filters{font-size:max(18px,calc(var(--k)*21px));font-weight:700;margin:0 0 6px}
#filters:empty{display:none}
.fig{border-left:12px solid #0072B2;padding:2px 0 2px 16px;margin:calc(var(--k)*16px) 0 4px}
.fig-value{font-size:max(36px,calc(var(--k)*clamp(54px,4.2vw,100px)));font-weight:800;line-height:1.02;
  font-variant-numeric:tabular-nums}
.fig-unit{font-size:.42em;font-weight:700;margin-left:.3em}
.fig-label{font-size:max(20px,calc(var(--k)*clamp(22px,1.5vw,34px)));font-weight:700;line-height:1.2;margin-top:2px}
.fig-target{font-size:max(19px,calc(var(--k)*clamp(21px,1.35vw,30px)));margin-top:4px;font-weight:700}
.bar{height:calc(var(--k)*18px);min-height:12px;border:2px solid #000;background:#fff;margin-top:5px;max-width:560px}
.bar span{display:block;height:100%;background:#0072B2}
.fig-source{font-size:max(14px,calc(var(--k)*clamp(15px,1vw,20px)));line-height:1.3;color:#1a1a1a;margin-top:4px}
#nav{display:flex;align-items:center;gap:10px;padding-top:10px;border-top:2px solid #000;flex-wrap:wrap}
#dots{display:flex;gap:7px;flex:1 1 auto;flex-wrap:wrap}
.dot{width:18px;height:18px;border-radius:50%;border:2px solid #000;background:#fff;padding:0;cursor:pointer}
.dot.on{background:#000}
button.btn{font:700 20px/1 system-ui,"DejaVu Sans",sans-serif;padding:10px 14px;border:3px solid #000;
  background:#fff;color:#000;border-radius:8px;cursor:pointer}
button.btn:disabled{opacity:.35;cursor:default}
button:focus-visible{outline:4px solid #E69F00;outline-offset:2px}
#fs{font-size:clamp(18px,1.1vw,24px);padding:8px 12px;white-space:nowrap}
#note{font-size:16px;background:#fff3cd;border:2px solid #5c4400;padding:6px 8px;margin-top:8px}
#note:empty{display:none}
#mapwrap{position:relative;min-width:0;height:100vh}
#map{position:absolute;inset:0;background:#d9e2e8}
.leaflet-container{font-family:inherit}
#legend{position:absolute;right:14px;top:14px;z-index:800;background:#fff;border:3px solid #000;border-radius:8px;
  padding:8px 12px;font-size:clamp(18px,1.15vw,26px);line-height:1.25;max-width:min(34em,60%);max-height:60%;
  overflow:auto}
#legend:empty{display:none}
#legend h3{font-size:1em;margin:4px 0 2px}
#legend .row{display:flex;align-items:center;gap:10px;margin:3px 0}
#legend .sw{flex:none;width:26px;height:18px;border:2px solid #000}
#legend .sw.line{height:0;border:0;border-top:5px solid}
#legend .sw.dashed{height:0;border:0;border-top:5px dashed}
#legend .sw.dashed-fill{border-style:dashed}
#legend .sw.circle{width:20px;height:20px;border-radius:50%}
#legend .sw.circle-dashed{width:20px;height:20px;border-radius:50%;border-style:dashed}
#attribution{position:absolute;right:0;bottom:0;z-index:800;background:rgba(255,255,255,.92);font-size:13px;
  padding:3px 8px;color:#111;max-width:70%}
.erbm-place{font-size:clamp(16px,1vw,22px);font-weight:700;color:#2b2b2b;white-space:nowrap;transform:translate(-50%,-50%);
  text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 4px #fff;pointer-events:none;width:auto!important;height:auto!important}
.leaflet-tooltip.erbm-tip{font-size:18px;font-weight:600;border:2px solid #000;color:#000}
.leaflet-tooltip.erbm-label{font-size:clamp(17px,1.05vw,23px);font-weight:800;border:2px solid #000;color:#000;
  padding:2px 6px;box-shadow:none;background:rgba(255,255,255,.92);white-space:normal;width:max-content;max-width:300px}
.leaflet-tooltip.erbm-label.epci{color:#003a66;border-color:#0072B2}
.leaflet-tooltip.erbm-hl{font-size:clamp(20px,1.25vw,28px);font-weight:800;background:#FFD400;
  border:3px solid #000;color:#000;padding:4px 8px;white-space:normal;width:max-content;max-width:360px}
.leaflet-tooltip.erbm-label:before,.leaflet-tooltip.erbm-hl:before{display:none}
.hide-places .erbm-place{display:none}
.leaflet-control-zoom a{width:40px!important;height:40px!important;line-height:40px!important;font-size:26px!important}
.sr{position:absolute;left:-9999px}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
"""

BODY = """
<main id="deck" tabindex="-1" aria-roledescription="présentation">
  <section id="panel">
    <div id="top">
      <div id="counter" aria-live="polite">Scène 1 / 1</div>
      <button id="fs" class="btn" type="button" title="Plein écran (touche F)">Plein écran</button>
    </div>
    <div id="scroll">
      <h1 id="title"></h1>
      <p id="caption"></p>
      <p id="filters"></p>
      <div id="figures"></div>
      <div id="note" role="status"></div>
    </div>
    <nav id="nav" aria-label="Scènes">
      <button id="prev" class="btn" type="button" title="Scène précédente (← ou PagePrécédente)">◀</button>
      <div id="dots"></div>
      <button id="next" class="btn" type="button" title="Scène suivante (→, Espace ou PageSuivante)">▶</button>
    </nav>
  </section>
  <section id="mapwrap">
    <div id="map" role="img" aria-label="Carte de la scène"></div>
    <div id="legend"></div>
    <div id="attribution"></div>
  </section>
</main>
"""

SCRIPT = r"""
(function(){
'use strict';
var D = window.ERBM_PRESENTATION, scenes = D.scenes, N = scenes.length, current = -1, lastFit = null;
var $ = function(id){ return document.getElementById(id); };
var reduced = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

var map = L.map('map', {preferCanvas: true, attributionControl: false, keyboard: false, scrollWheelZoom: false,
  boxZoom: false, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 7, maxZoom: 16});
var panes = ['context', 'communes', 'bud', 'epci', 'roads', 'cites', 'hl'];
var renderers = {};
panes.forEach(function(p, i){
  map.createPane(p).style.zIndex = String(360 + 10 * i);
  renderers[p] = L.canvas({pane: p, padding: 0.4});
});
function opts(p, o){ o = o || {}; o.pane = p; o.renderer = renderers[p]; return o; }
function tip(layer, html){ layer.bindTooltip(html, {className: 'erbm-tip', sticky: true}); }

// Context: départements and town names, always shown.
L.geoJSON(D.layers.departements, {interactive: false, style: function(){
  return opts('context', {color: '#4d463c', weight: 2.5, dashArray: '8 5', fillColor: '#f3efe6', fillOpacity: 1});
}}).addTo(map);
var places = L.layerGroup(D.layers.places.map(function(p){
  return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
    icon: L.divIcon({className: 'erbm-place', html: p[2], iconSize: null})});
})).addTo(map);

var C = D.colors;
var layers = {
  communes: L.layerGroup([
    L.geoJSON(D.layers.communes, {style: function(){
      return opts('communes', {color: '#7d7d7d', weight: 0.8, fillColor: '#ffffff', fillOpacity: 0.9});
    }, onEachFeature: function(f, l){ tip(l, f.properties.nom); }}),
    L.geoJSON(D.layers.outline, {interactive: false, style: function(){
      return opts('communes', {color: '#111111', weight: 3.5, fill: false});
    }})
  ]),
  epci: L.geoJSON(D.layers.epci, {style: function(f){
    var s = f.properties.signataire;
    return opts('epci', {color: s ? C.epci[0] : C.epci[1], weight: s ? 4.5 : 3, dashArray: s ? null : '9 7',
      fill: s, fillColor: C.epci[0], fillOpacity: 0.07});
  }, onEachFeature: function(f, l){ tip(l, f.properties.nom); }}),
  bud: L.geoJSON(D.layers.bud, {style: function(f){
    var pending = f.properties.statut !== 'classée';
    return opts('bud', {color: pending ? '#6b4500' : C.bud[0], weight: pending ? 3 : 1.5,
      dashArray: pending ? '6 5' : null, fillColor: pending ? C.bud[1] : C.bud[0],
      fillOpacity: pending ? 0.85 : 0.5});
  }}),
  roads: L.geoJSON(D.layers.roads, {
    style: function(f){
      return opts('roads', {color: '#000000', weight: 6, opacity: 0.9,
        dashArray: f.properties.trace === 'tracé indicatif' ? '14 9' : null});
    },
    pointToLayer: function(f, ll){
      return L.circleMarker(ll, opts('roads', {radius: 11, color: '#000', weight: 4, fillColor: '#fff',
        fillOpacity: 1}));
    },
    onEachFeature: function(f, l){ tip(l, f.properties.nom + ' (' + f.properties.trace + ')'); }
  })
};
var citesLayer = null, labelLayer = L.layerGroup().addTo(map), hlLayer = L.layerGroup().addTo(map);
var hlLabel = null, hlTip = null;

// The highlight's label goes beside the feature, on the side facing the map's centre.
function placeHighlightLabel(){
  if (hlTip) { map.removeLayer(hlTip); hlTip = null; }
  if (!hlLabel) return;
  var b = hlLabel.bounds, size = map.getSize();
  var west = map.latLngToContainerPoint(b.getCenter()).x > size.x / 2;
  var at = L.latLng(b.getCenter().lat, west ? b.getWest() : b.getEast());
  hlTip = L.tooltip({permanent: true, direction: west ? 'left' : 'right', className: 'erbm-hl', interactive: false,
    offset: [west ? -26 : 26, 0]}).setLatLng(at).setContent(hlLabel.html).addTo(map);
}

// Labels must not cover each other nor the cités: each one moves up or down to a free place,
// and a leader line then ties it to its feature.
var leaders = L.layerGroup().addTo(map);
function declutter(){
  leaders.clearLayers();
  var box = map.getContainer().getBoundingClientRect(), placed = [];
  var overlaps = function(r){
    return placed.some(function(p){
      return !(r.right < p.left || r.left > p.right || r.bottom < p.top || r.top > p.bottom);
    });
  };
  if (hlTip && hlTip.getElement()) placed.push(hlTip.getElement().getBoundingClientRect());
  [$('legend'), $('attribution'), map.zoomControl.getContainer()].forEach(function(e){
    if (e && e.offsetParent) placed.push(e.getBoundingClientRect());
  });
  if (citesLayer && labelLayer.getLayers().length) citesLayer.eachLayer(function(c){
    var pt = map.latLngToContainerPoint(c.getLatLng()), rad = c.getRadius() + 2;
    placed.push({left: box.left + pt.x - rad, right: box.left + pt.x + rad, top: box.top + pt.y - rad,
      bottom: box.top + pt.y + rad});
  });
  labelLayer.eachLayer(function(tt){
    var el = tt.getElement();
    if (!el) return;
    el.style.visibility = '';
    if (!tt._base) tt._base = L.point(tt.options.offset);
    // Keep the label inside the map horizontally, then look for a free row above or below.
    tt.options.offset = tt._base;
    tt.update();
    var r = el.getBoundingClientRect(), dx = 0;
    if (r.right > box.right - 4) dx = box.right - 4 - r.right;
    if (r.left + dx < box.left + 4) dx = box.left + 4 - r.left;
    var steps = [0, -1, 1, -2, 2], h = el.offsetHeight + 6, k, free = false;
    for (k = 0; k < steps.length; k++) {
      tt.options.offset = tt._base.add([dx, steps[k] * h]);
      tt.update();
      r = el.getBoundingClientRect();
      free = !overlaps(r) && r.top >= box.top && r.bottom <= box.bottom;
      if (free) break;
    }
    if (!free) { el.style.visibility = 'hidden'; return; }  // no room: the name stays in the tooltip
    placed.push(r);
    if (k > 0 || Math.abs(dx) > 30) {
      var a = map.latLngToContainerPoint(tt.getLatLng());
      var x = Math.max(r.left, Math.min(box.left + a.x, r.right)) - box.left;
      var y = Math.max(r.top, Math.min(box.top + a.y, r.bottom)) - box.top;
      leaders.addLayer(L.polyline([tt.getLatLng(), map.containerPointToLatLng([x, y])],
        opts('hl', {color: '#000', weight: 2.5, interactive: false})));
    }
  });
}
map.on('zoomend moveend', function(){ placeHighlightLabel(); declutter(); });

function citeLayer(ids){
  var keep = ids ? {} : null;
  if (ids) ids.forEach(function(i){ keep[i] = true; });
  return L.geoJSON(D.layers.cites, {
    filter: function(f){ return !keep || keep[f.properties.ref] === true; },
    pointToLayer: function(f, ll){
      var p = f.properties;
      return L.circleMarker(ll, opts('cites', {radius: p.r, color: '#111', weight: p.connu ? 2 : 1.5,
        dashArray: p.connu ? null : '3 3', fillColor: C.status[p.statut] || C.unknown, fillOpacity: 0.95}));
    },
    onEachFeature: function(f, l){
      tip(l, f.properties.nom + ' · ' + f.properties.commune + ' · ' + f.properties.statut);
    }
  });
}

function labelsFor(s){
  labelLayer.clearLayers();
  var add = function(lat, lon, html, cls, dir){
    labelLayer.addLayer(L.tooltip({permanent: true, direction: dir || 'center', className: 'erbm-label ' + cls,
      interactive: false, offset: dir === 'auto' ? [12, 0] : [0, 0]}).setLatLng([lat, lon]).setContent(html));
  };
  if (s.labels.indexOf('epci') >= 0) D.layers.epci.features.forEach(function(f){
    if (f.properties.signataire) add(f.properties.lat, f.properties.lon, f.properties.court, 'epci');
  });
  if (s.labels.indexOf('roads') >= 0) D.layers.roads.features.forEach(function(f){
    add(f.properties.lat, f.properties.lon, f.properties.nom.replace(/\s*\(.*?\)/g, ''), 'road', 'auto');
  });
  if (s.labels.indexOf('cites') >= 0) {
    var keep = s.cites ? {} : null;
    if (s.cites) s.cites.forEach(function(i){ keep[i] = true; });
    D.layers.cites.features.forEach(function(f){
      if (!keep || keep[f.properties.ref]) add(f.properties.lat, f.properties.lon,
        f.properties.nom + ' · ' + f.properties.commune, 'cite', 'auto');
    });
  }
}

function highlightFor(s){
  hlLayer.clearLayers();
  hlLabel = null;
  if (!s.highlight) return;
  var g = s.highlight.geometry;
  var halo = L.geoJSON(g, {interactive: false, style: function(){
    return opts('hl', {color: '#FFD400', weight: 13, opacity: 0.95, fill: false});
  }, pointToLayer: function(f, ll){
    return L.circleMarker(ll, opts('hl', {radius: 22, color: '#FFD400', weight: 9, fill: false}));
  }});
  var line = L.geoJSON(g, {interactive: false, style: function(){
    return opts('hl', {color: '#000', weight: 4, fill: false});
  }, pointToLayer: function(f, ll){
    return L.circleMarker(ll, opts('hl', {radius: 22, color: '#000', weight: 3, fill: false}));
  }});
  hlLayer.addLayer(halo).addLayer(line);
  var b = halo.getBounds();
  hlLabel = b.isValid() ? {bounds: b, html: s.highlight.label} : null;
}

function figureHtml(f){
  var h = '<div class="fig"><div class="fig-value">' + f.value + '<span class="fig-unit">' + f.unit + '</span></div>'
    + '<div class="fig-label">' + f.label + '</div>';
  if (f.target) {
    h += '<div class="fig-target">' + f.target + '</div>';
    if (f.progress !== null) h += '<div class="bar" aria-hidden="true"><span style="width:'
      + (100 * f.progress).toFixed(1) + '%"></span></div>';
  }
  return h + '<div class="fig-source">' + f.source + ' · ' + f.date + '</div></div>';
}

function legendHtml(s){
  return s.legend.map(function(sec){
    return '<h3>' + sec.title + '</h3>' + sec.entries.map(function(e){
      var style = (e.shape === 'line' || e.shape === 'dashed') ? 'border-top-color:' + e.color
        : 'background:' + e.color;
      return '<div class="row"><span class="sw ' + e.shape + '" style="' + style + '"></span><span>'
        + e.label + '</span></div>';
    }).join('');
  }).join('');
}

var dots = $('dots');
scenes.forEach(function(s, i){
  var b = document.createElement('button');
  b.className = 'dot'; b.type = 'button'; b.title = 'Scène ' + (i + 1);
  b.addEventListener('click', function(){ show(i); focusDeck(); });
  dots.appendChild(b);
});

function fit(animate){
  if (!lastFit) return;
  var b = lastFit;
  map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {padding: [28, 28], animate: animate && !reduced, duration: 0.8});
}

function show(i){
  i = Math.max(0, Math.min(N - 1, i));
  if (i === current) return;
  current = i;
  var s = scenes[i];
  $('counter').innerHTML = 'Scène ' + (i + 1) + ' / ' + N;
  $('title').innerHTML = s.title;
  $('caption').innerHTML = s.caption;
  $('filters').innerHTML = s.filters ? 'Cités affichées : ' + s.filters : '';
  $('figures').innerHTML = s.figures.map(figureHtml).join('');
  $('legend').innerHTML = legendHtml(s);
  $('note').innerHTML = '';
  $('scroll').scrollTop = 0;
  ['communes', 'epci', 'bud', 'roads'].forEach(function(name){
    var on = s.layers.indexOf(name) >= 0;
    if (on && !map.hasLayer(layers[name])) layers[name].addTo(map);
    if (!on && map.hasLayer(layers[name])) map.removeLayer(layers[name]);
  });
  if (citesLayer) { map.removeLayer(citesLayer); citesLayer = null; }
  if (s.layers.indexOf('cites') >= 0) citesLayer = citeLayer(s.cites).addTo(map);
  highlightFor(s);
  labelsFor(s);
  placeHighlightLabel();
  declutter();
  $('map').classList.toggle('hide-places', s.labels.length > 0);
  Array.prototype.forEach.call(dots.children, function(d, k){
    d.classList.toggle('on', k === i);
    if (k === i) d.setAttribute('aria-current', 'step'); else d.removeAttribute('aria-current');
  });
  $('prev').disabled = i === 0;
  $('next').disabled = i === N - 1;
  document.body.setAttribute('data-scene', String(i + 1));
  lastFit = s.bounds;
  fitPanel();
  fit(true);
}

// Shrink the panel's type step by step until the scene fits without scrolling.
function fitPanel(){
  var panel = $('panel'), box = $('scroll'), k = 1;
  panel.style.setProperty('--k', '1');
  while (box.scrollHeight > box.clientHeight + 1 && k > 0.5) {
    k -= 0.05;
    panel.style.setProperty('--k', k.toFixed(2));
  }
}

function note(text){ $('note').textContent = text; }

function fullscreenTarget(viaParent){
  if (viaParent && window.frameElement) return [window.frameElement, window.parent.document];
  return [document.documentElement, document];
}
function toggleFullscreen(viaParent){
  var t = fullscreenTarget(viaParent), el = t[0], doc = t[1];
  if (doc.fullscreenElement) { doc.exitFullscreen(); return; }
  if (!el.requestFullscreen) { note('Plein écran indisponible ici : utilisez la touche F11 du navigateur.'); return; }
  el.requestFullscreen().catch(function(){
    note('Le navigateur a refusé le plein écran : utilisez la touche F11.');
  });
}
document.addEventListener('fullscreenchange', function(){
  $('fs').textContent = document.fullscreenElement ? 'Quitter le plein écran' : 'Plein écran';
});

function handleKey(e, viaParent){
  if (e.altKey || e.ctrlKey || e.metaKey) return false;
  switch (e.key) {
    case 'ArrowRight': case 'ArrowDown': case 'PageDown': show(current + 1); return true;
    case ' ': case 'Spacebar': show(e.shiftKey ? current - 1 : current + 1); return true;
    case 'ArrowLeft': case 'ArrowUp': case 'PageUp': show(current - 1); return true;
    case 'Home': show(0); return true;
    case 'End': show(N - 1); return true;
    case 'f': case 'F': toggleFullscreen(viaParent); return true;
  }
  return false;
}
document.addEventListener('keydown', function(e){ if (handleKey(e, false)) e.preventDefault(); });

function focusDeck(){
  try { window.focus(); } catch (err) { /* ignore */ }
  $('deck').focus({preventScroll: true});
}
$('prev').addEventListener('click', function(){ show(current - 1); focusDeck(); });
$('next').addEventListener('click', function(){ show(current + 1); focusDeck(); });
$('fs').addEventListener('click', function(){ toggleFullscreen(false); focusDeck(); });
document.addEventListener('pointerdown', function(e){
  if (!e.target.closest || !e.target.closest('button')) setTimeout(focusDeck, 0);
});

// Inside Streamlit (a same-origin iframe) the keys also work while the page around has the focus.
(function(){
  var pw, fe, pd;
  try { pw = window.parent; fe = window.frameElement; if (!fe || pw === window) return; pd = pw.document; }
  catch (err) { return; }
  var typing = function(t){
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)
      || (t.getAttribute && /^(textbox|combobox|searchbox|spinbutton|slider)$/.test(t.getAttribute('role') || '')));
  };
  var handler = function(e){
    if (!fe.isConnected) { pd.removeEventListener('keydown', handler, true); return; }
    if (typing(e.target)) return;
    if (e.key === ' ' && e.target && e.target.closest && e.target.closest('button,a,[role=button]')) return;
    if (handleKey(e, true)) { e.preventDefault(); e.stopPropagation(); }
  };
  try {
    if (pw.__erbmPresentationKeys) pd.removeEventListener('keydown', pw.__erbmPresentationKeys, true);
    pw.__erbmPresentationKeys = handler;
    pd.addEventListener('keydown', handler, true);
  } catch (err) { /* parent not reachable: the keys work once the presentation has the focus */ }
})();

var resizeTimer = null;
window.addEventListener('resize', function(){
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function(){ fitPanel(); map.invalidateSize(); fit(false); }, 150);
});

$('attribution').innerHTML = D.attribution;
window.erbmPresentation = {count: N, current: function(){ return current + 1; }, go: function(n){ show(n - 1); },
  next: function(){ show(current + 1); }, prev: function(){ show(current - 1); }, map: map,
  renderer: function(){ return renderers.communes instanceof L.Canvas ? 'canvas' : 'svg'; }};
show(0);
focusDeck();
window.addEventListener('load', focusDeck);
})();
"""


def presentation_html(t: Territory, scenario: Scenario) -> str:
    """The whole presentation as one HTML document that loads nothing from the network."""
    leaflet_js, leaflet_css = leaflet_assets()
    data = presentation_data(t, scenario)
    return "".join(
        [
            '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{data['title']} — présentation</title>",
            f"<style>{leaflet_css}</style><style>{CSS}</style></head><body>",
            BODY,
            f"<script>{leaflet_js}</script>",
            f"<script>window.ERBM_PRESENTATION = {_script_json(data)};</script>",
            f"<script>{SCRIPT}</script>",
            "</body></html>\n",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Write the default scenario's presentation to a file (or stdout) for a room with no network."""
    from domain.scenario import ScenarioError, load_scenario
    from geo.errors import DataFileError
    from geo.load import load_territory

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        t = load_territory()
        html = presentation_html(t, load_scenario(args[1] if len(args) > 1 else None, t))
    except (DataFileError, ScenarioError) as err:
        print(err, file=sys.stderr)
        return 1
    if args and args[0] != "-":
        Path(args[0]).write_text(html, encoding="utf-8")
    else:
        sys.stdout.write(html)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
