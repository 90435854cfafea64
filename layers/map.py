"""Assemble built layers into one folium map that needs no internet to draw."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from layers.assets import localise
from layers.escape import escape_text
from layers.legend import legend_html
from layers.spec import BuiltLayer

# Online basemaps are optional: the vector context already reads well on its own.
BASEMAPS: dict[str, str | None] = {
    "Aucun (contexte vectoriel, hors ligne)": None,
    "OpenStreetMap (en ligne)": "OpenStreetMap.Mapnik",
    "Plan IGN (en ligne)": "GeoportailFrance.plan",
}

CSS = """
<style>
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
.erbm-share{font:600 13px system-ui,sans-serif;padding:5px 9px;border:2px solid rgba(0,0,0,.3);
  border-radius:4px;background:#fff;cursor:pointer}
.erbm-large .erbm-share{font-size:18px}
.erbm-offline{background:#fff3cd;color:#5c4400;padding:4px 8px;border-radius:4px;font:13px system-ui,sans-serif}
.erbm-large .erbm-legend{font-size:18px;max-width:360px;max-height:70vh}.erbm-large .erbm-legend summary{font-size:20px}
.erbm-large .erbm-legend h4{font-size:18px}.erbm-large .erbm-place{font-size:16px}
.erbm-large .leaflet-tooltip,.erbm-large .leaflet-control-layers{font-size:18px}
</style>
"""

SCRIPT = """
  var legend = L.control({position: 'bottomleft'});
  legend.onAdd = function(){
    var div = L.DomUtil.create('div');
    div.innerHTML = {legend};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);
  function toggle(name, on){
    document.querySelectorAll('.erbm-legend-section').forEach(function(s){
      if (s.getAttribute('data-layer') === name) { s.style.display = on ? '' : 'none'; }
    });
  }
  map.on('overlayadd', function(e){ toggle(e.name, true); });
  map.on('overlayremove', function(e){ toggle(e.name, false); });
  {large}
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution({attribution});
"""

SHARE = """
  var active = {active};
  var names = {names};
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
      var url = new URL(loc);
      var c = map.getCenter();
      url.searchParams.set('lat', c.lat.toFixed(5));
      url.searchParams.set('lon', c.lng.toFixed(5));
      url.searchParams.set('zoom', String(map.getZoom()));
      url.searchParams.set('couches', Object.keys(active).filter(function(k){ return active[k]; }).join(','));
      var text = url.toString();
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
"""

TILE_ERROR = """
  var shown = false;
  tiles.on('tileerror', function(){
    if (shown) return; shown = true;
    var note = L.control({position: 'topright'});
    note.onAdd = function(){ var d = L.DomUtil.create('div', 'erbm-offline');
      d.textContent = 'Fond de carte en ligne indisponible (pas de réseau) : le contexte vectoriel reste affiché.';
      return d; };
    note.addTo(map);
  });
"""


def _script_element(code: str, *, tiles: object | None = None):
    """A map child whose JS sees the map as ``map`` (and a tile layer as ``tiles``).

    streamlit-folium renames the map when it extracts the script, so names are resolved at
    render time (``this._parent``). The code itself is passed as data, never as template
    text, so no value in it (a cité name, say) can be evaluated by Jinja.
    """
    from branca.element import MacroElement
    from jinja2 import Template

    el = MacroElement()
    el._name = "ErbmScript"
    el.code = code  # type: ignore[attr-defined]
    el.tiles = tiles  # type: ignore[attr-defined]
    el._template = Template(
        "{% macro script(this, kwargs) %}(function(){ var map = {{ this._parent.get_name() }};"
        "{% if this.tiles %} var tiles = {{ this.tiles.get_name() }};{% endif %}\n"
        "{{ this.code }}\n})();{% endmacro %}"
    )
    return el


@dataclass(frozen=True)
class MapView:
    """Initial extent of the map, in EPSG:4326 (south, west, north, east)."""

    bounds: tuple[float, float, float, float]


def _js_string(text: str) -> str:
    import json

    # json.dumps yields a valid JS string literal; '</' is split so no </script> can close the tag.
    return json.dumps(text).replace("</", "<\\/")


def build_map(
    layers: Sequence[BuiltLayer],
    *,
    view: MapView,
    basemap: str | None = None,
    attribution: str = "",
    large_type: bool = False,
    height: str = "100%",
    share: bool = True,
):
    """A folium.Map with every layer, a layer control, the legend and local assets only."""
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
        m.add_child(_script_element(TILE_ERROR, tiles=tiles))
    for layer in layers:
        layer.group.add_to(m)  # type: ignore[attr-defined]
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.get_root().header.add_child(folium.Element(CSS))
    script = (
        SCRIPT.replace("{legend}", _js_string(legend_html(layers)))
        .replace("{attribution}", _js_string(escape_text(attribution)))
        .replace("{large}", "map.getContainer().classList.add('erbm-large');" if large_type else "")
    )
    m.add_child(_script_element(script))
    if share:
        active = {layer.key: layer.show for layer in layers if layer.key != "contexte"}
        names = {layer.title: layer.key for layer in layers if layer.key != "contexte"}
        m.add_child(
            _script_element(SHARE.replace("{active}", json.dumps(active)).replace("{names}", json.dumps(names)))
        )
    localise(m)
    return m
