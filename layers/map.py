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
from layers.jsvalue import JINJA_OPENER, js
from layers.legend import legend_sections
from layers.spec import BuiltLayer, ClientSpec, Part
from layers.topojson import DECODER_JS

# Online basemaps are optional: the vector context already reads well on its own.
BASEMAPS: dict[str, str | None] = {
    "Aucun (contexte vectoriel, hors ligne)": None,
    "OpenStreetMap (en ligne)": "OpenStreetMap.Mapnik",
    "Plan IGN (en ligne)": "GeoportailFrance.plan",
}

CSS = """
.leaflet-container{font-size:12px;background:#e9eef2}
.leaflet-control-layers{font:12.5px/1.3 system-ui,sans-serif}
.leaflet-control-attribution{font:10px/1.2 system-ui,sans-serif;max-width:60%}
.leaflet-control-layers-expanded{padding:4px 8px}
.erbm-legend{background:rgba(255,255,255,.95);padding:6px 10px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.4);
  font:12.5px/1.3 system-ui,sans-serif;max-height:min(420px,55vh);overflow:auto;max-width:260px;color:#111}
.erbm-legend summary{cursor:pointer;font-weight:700;font-size:13.5px}.erbm-legend h4{margin:6px 0 2px;font-size:12.5px}
.erbm-legend-row{display:flex;align-items:center;gap:8px;margin:2px 0}
.erbm-swatch{display:inline-block;flex:none}
.erbm-legend-note{font-size:12px;color:#444;margin-top:2px}
.erbm-place{font:600 12px system-ui,sans-serif;color:#3b352c;white-space:nowrap;transform:translate(-50%,-50%);
  text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;pointer-events:none}
.erbm-tip table{border-collapse:collapse}.erbm-tip th{text-align:left;padding:1px 8px 1px 0;font-weight:600}
.erbm-tip td{padding:1px 0}
.erbm-share{font:600 13px system-ui,sans-serif;padding:5px 9px;border:2px solid rgba(0,0,0,.3);
  border-radius:4px;background:#fff;cursor:pointer}
.erbm-large .erbm-share{font-size:18px}
.erbm-offline{background:#fff3cd;color:#5c4400;padding:4px 8px;border-radius:4px;font:13px system-ui,sans-serif}
.erbm-large .erbm-legend{font-size:18px;max-width:360px;max-height:min(440px,55vh)}
.erbm-large .erbm-legend summary{font-size:20px}
.erbm-large .erbm-legend h4{font-size:18px}.erbm-large .erbm-place{font-size:16px}
.erbm-large .leaflet-tooltip,.erbm-large .leaflet-control-layers{font-size:18px}
.erbm-large .leaflet-control-layers{max-width:300px}
"""

# The map's code, the same for every map: published once as a static file (gzip-compressed,
# kept by the browser), loaded by streamlit-folium after Leaflet. ``erbmInit`` builds the
# registry every other piece of script goes through: the parts' drawing specs, the per-run
# state, the legend, the share button.
CLIENT = """
(function(){
{helpers}
  var specs = {specs};
  // The static bundle is fetched as soon as this file runs (its address is written below), while
  // the page's map script is still on its way; erbmInit takes the same request.
  var fetched = {};
  window.erbmFetch = function(url){
    if (!fetched[url]) {
      // The component may have started this request before this file arrived (erbmEarly).
      fetched[url] = (window.erbmEarly && window.erbmEarly[url])
        || fetch(url).then(function(r){ if (!r.ok) throw new Error(r.status); return r.json(); });
    }
    return fetched[url];
  };
  window.erbmInit = function(map, url){
  var erbm = window.erbm = {map: map, state: {}, parts: {}, order: [], groups: {}, rank: {}};
  // Every interactive feature's events reach this one group, whenever its layer is drawn or
  // shown: the component reports clicks on features from it.
  var relay = erbm.relay = L.featureGroup().addTo(map);
  erbm.table = function(rows){
    return '<table>' + rows.map(function(r){ return '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>'; }).join('')
      + '</table>';
  };
  erbm.group = function(title, group){ erbm.groups[title] = group; };
  erbm.part = function(name, group){
    var o = specs[name];
    var layer = L.geoJSON(null, {interactive: o.interactive, style: o.style, pointToLayer: o.point});
    // One tooltip and one pair of hover handlers for the whole layer, not one per feature.
    if (o.tooltip) {
      layer.bindTooltip(function(l){ return o.tooltip(l.feature); }, {sticky: true, className: 'erbm-tip'});
    }
    if (o.hover) {
      layer.on('mouseover', function(e){ e.layer.setStyle(o.hover); });
      layer.on('mouseout', function(e){ layer.resetStyle(e.layer); });
    }
    layer.addTo(group);
    if (o.interactive) layer.addEventParent(relay);
    erbm.parts[name] = layer;
    erbm.order.push(name);
  };
  function rings(fc){
    return {type: 'FeatureCollection', features: fc.features.map(function(f){
      var g = f.geometry, lines = g.type === 'Polygon' ? g.coordinates : [].concat.apply([], g.coordinates);
      return {type: 'Feature', properties: f.properties, geometry: {type: 'MultiLineString', coordinates: lines}};
    })};
  }
  function addData(name, fc){
    var layer = erbm.parts[name];
    if (layer) layer.addData(specs[name].outline ? rings(fc) : fc);
    return layer;
  }
  // One canvas draws every layer in the order features were added: the parts from the ``from``-th
  // on are put back on top, in layer order.
  function raise(from){
    erbm.order.slice(from).forEach(function(n){ if (map.hasLayer(erbm.parts[n])) erbm.parts[n].bringToFront(); });
  }
  // The new features are drawn last: the parts above this one come back on top of them.
  erbm.add = function(name, fc){
    if (addData(name, fc)) raise(erbm.order.indexOf(name) + 1);
  };
  erbm.restack = function(){ raise(0); };
  erbm.syncLegend = function(){
    document.querySelectorAll('.erbm-legend-section').forEach(function(s){
      var g = erbm.groups[s.getAttribute('data-layer')];
      s.style.display = (!g || map.hasLayer(g)) ? '' : 'none';
    });
  };
  // Point layers travel as a table (field names once, then one row per point).
  function collection(d){
    if (d.type === 'FeatureCollection') return d;
    return {type: 'FeatureCollection', features: d.rows.map(function(r){
      var p = {};
      d.fields.forEach(function(k, i){ p[k] = r[i + 2]; });
      return {type: 'Feature', properties: p, geometry: {type: 'Point', coordinates: [r[0], r[1]]}};
    })};
  }
  erbm.update = function(u){
    erbm.state = u.state;
    Object.keys(erbm.parts).forEach(function(n){
      var layer = erbm.parts[n];
      if (u.features[n]) { layer.clearLayers(); erbm.add(n, collection(u.features[n])); }
      else { layer.resetStyle(); }
    });
    var legend = document.getElementById('erbm-legend-body');
    if (legend) { legend.innerHTML = u.legend; erbm.syncLegend(); }
  };
  function note(text){
    var c = L.control({position: 'topright'});
    c.onAdd = function(){ var d = L.DomUtil.create('div', 'erbm-offline'); d.textContent = text; return d; };
    c.addTo(map);
  }
  // Settled once the perimeter's communes are drawn (or could not be): the page waits for it
  // before drawing its widgets (ui/firstpaint.py).
  erbm.drawn = erbmFetch(url).then(function(b){
    var topo = erbmTopo(b.topology);
    function object(n, add){
      if (!erbm.parts[n]) return;
      var fc = topo(n), rank = erbm.rank[n] = {};
      // Per-run values (commune colours) come as arrays in this order: index them before drawing.
      fc.features.forEach(function(f, i){ if (f.properties.ref !== undefined) rank[f.properties.ref] = i; });
      add(n, fc);
    }
    // The perimeter's communes first, drawn at once; the context and outlines a frame later.
    object('communes', erbm.add);
    setTimeout(function(){
      Object.keys(b.topology.objects).forEach(function(n){ if (n !== 'communes') object(n, addData); });
      Object.keys(b.geojson).forEach(function(n){ addData(n, b.geojson[n]); });
      erbm.restack();
      erbm.loaded = true;
    }, 0);
  });
  erbm.drawn.catch(function(){ note('Les contours de la carte n’ont pas pu être chargés : rechargez la page.'); });
  map.on('overlayadd overlayremove', function(){ erbm.syncLegend(); erbm.restack(); });
  erbm.tileError = function(tiles){
    var shown = false;
    tiles.on('tileerror', function(){
      if (shown) return; shown = true;
      note('Fond de carte en ligne indisponible (pas de réseau) : le contexte vectoriel reste affiché.');
    });
  };
  erbm.legendBox = function(){
    var legend = L.control({position: 'bottomleft'});
    legend.onAdd = function(){
      var div = L.DomUtil.create('div');
      div.innerHTML = '<details class="erbm-legend" id="erbm-legend" open><summary>Légende</summary>'
        + '<div id="erbm-legend-body"></div></details>';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);
  };
  erbm.share = function(active, names){
    map.on('overlayadd', function(e){ if (names[e.name]) active[names[e.name]] = true; });
    map.on('overlayremove', function(e){ if (names[e.name]) active[names[e.name]] = false; });
    var share = L.control({position: 'topleft'});
    share.onAdd = function(){
      var b = L.DomUtil.create('button', 'erbm-share');
      b.type = 'button';
      b.textContent = 'Copier le lien';
      b.title = 'Copier un lien qui rouvre cette vue : page, position, couches, filtres et sélection';
      L.DomEvent.disableClickPropagation(b);
      L.DomEvent.on(b, 'click', function(){
        var loc;
        try { loc = window.parent.location.href; } catch (err) { loc = window.location.href; }
        var link = new URL(loc);
        var c = map.getCenter();
        link.searchParams.set('lat', c.lat.toFixed(5));
        link.searchParams.set('lon', c.lng.toFixed(5));
        link.searchParams.set('zoom', String(map.getZoom()));
        link.searchParams.set('couches', Object.keys(active).filter(function(k){ return active[k]; }).join(','));
        var text = link.toString();
        window.erbmLastLink = text;
        function done(){
          b.textContent = 'Lien copié';
          setTimeout(function(){ b.textContent = 'Copier le lien'; }, 2500);
        }
        function fallback(){
          var ta = document.createElement('textarea'); ta.value = text; document.body.appendChild(ta); ta.select();
          var ok = false; try { ok = document.execCommand('copy'); } catch (err) {}
          ta.remove();
          if (ok) { done(); } else { window.prompt('Copiez ce lien :', text); }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, fallback);
        } else { fallback(); }
      });
      return b;
    };
    share.addTo(map);
  };
  return erbm;
  };
  {prefetch}
})();
"""


def client_js(parts: Sequence[Part], *, bundle_url: str | None = None) -> str:
    """The map's static code, with the drawing spec of every part (same parts, same text), and
    the fetch of the static bundle at ``bundle_url`` started as soon as the code loads."""
    helpers = "".join(dict.fromkeys(p.client.helpers for p in parts))
    specs = "{" + ", ".join(f"{js(p.name)}: {_client_js(p.client)}" for p in parts) + "}"
    prefetch = f"erbmFetch({js(bundle_url)});" if bundle_url else ""
    return DECODER_JS + CLIENT.replace("{helpers}", helpers).replace("{specs}", specs).replace("{prefetch}", prefetch)


@functools.cache
def _template(parent: str):
    from jinja2 import Template

    return Template(
        "{% macro script(this, kwargs) %}(function(){ var " + parent + " = {{ this._parent.get_name() }};"
        "{% if this.tiles %} var tiles = {{ this.tiles.get_name() }};{% endif %}\n"
        "{{ this.code }}\n})();{% endmacro %}"
    )


def _element(code: str, *, parent: str = "map", tiles: object | None = None):
    """A folium child whose JS sees its parent as ``map`` or ``group`` (and a tile layer as ``tiles``).

    streamlit-folium renames every variable when it extracts the script, so names are resolved
    at render time (``this._parent``). The code itself is passed as data, never as template
    text, so no value in it (a cité name, say) can be evaluated by Jinja.
    """
    from branca.element import MacroElement

    if JINJA_OPENER.search(code):
        raise ValueError("map script holds a Jinja opener: build its values with layers.jsvalue.js()")
    el = MacroElement()
    el._name = "ErbmScript"
    el.code = code  # type: ignore[attr-defined]
    el.tiles = tiles  # type: ignore[attr-defined]
    el._template = _template(parent)
    return el


def _client_js(spec: ClientSpec) -> str:
    fields = [f"interactive: {'true' if spec.interactive else 'false'}", f"style: {spec.style.strip()}"]
    if spec.tooltip:
        fields.append(f"tooltip: {spec.tooltip.strip()}")
    if spec.hover:
        fields.append(f"hover: {spec.hover.strip()}")
    if spec.point:
        fields.append(f"point: {spec.point.strip()}")
    if spec.outline:
        fields.append("outline: true")
    return "{" + ", ".join(fields) + "}"


def _group(layer: BuiltLayer):
    import folium

    group = folium.FeatureGroup(name=layer.title, show=layer.show)
    code = f"erbm.group({js(layer.title)}, group);" + "".join(f"erbm.part({js(p.name)}, group);" for p in layer.parts)
    group.add_child(_element(code, parent="group"))
    return group


@functools.cache
def _runtime_class() -> type:
    from folium.elements import JSCSSMixin

    return type("ErbmRuntime", (JSCSSMixin,), {})


def _runtime(code: str, *, css_url: str):
    """The first child of the map: loads the map's style, then starts the map's registry."""
    el = _runtime_class()()
    el._name = "ErbmRuntime"
    el.default_js = []
    el.default_css = [("erbm_css", css_url)]
    el._template = _template("map")
    el.code = code  # type: ignore[attr-defined]
    el.tiles = None  # type: ignore[attr-defined]
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

    south, west, north, east = view.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=10,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        height=height,
        min_zoom=8,
        max_zoom=17,
    )
    m.fit_bounds([[south, west], [north, east]])
    # The map's code is loaded before Leaflet (it only defines functions until called): it starts
    # fetching the static bundle while Leaflet itself is still loading.
    m.default_js = [("erbm_js", assets.js_url), *m.default_js]
    m.add_child(_runtime(f"erbmInit(map, {js(assets.bundle_url)});", css_url=assets.css_url))
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
        m.add_child(_element("erbm.tileError(tiles);", tiles=tiles))
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
    m.add_child(_element(code))
    localise(m)
    return m


def _table(fc: dict[str, object]) -> dict[str, object]:
    """A FeatureCollection of points as field names and one row (lon, lat, values...) per point."""
    feats = fc["features"]
    fields = list(feats[0]["properties"]) if feats else []  # type: ignore[index]
    rows = [[*f["geometry"]["coordinates"][:2], *(f["properties"][k] for k in fields)] for f in feats]  # type: ignore[index]
    return {"fields": fields, "rows": rows}


def _compact(fc: dict[str, object]) -> dict[str, object]:
    feats = fc["features"]
    if all(f["geometry"]["type"] == "Point" for f in feats):  # type: ignore[union-attr,index]
        return _table(fc)
    return fc


def update_payload(layers: Sequence[BuiltLayer]) -> dict[str, object]:
    """What changes from one run to the next: layer states, per-run features and the legend."""
    features: dict[str, object] = {}
    for layer in layers:
        features.update({name: _compact(fc) for name, fc in layer.features.items()})
    return {
        "state": {layer.key: layer.state for layer in layers if layer.state},
        "features": features,
        "legend": legend_sections(layers),
    }
