// A layer's look, sent as data (layers/style.py, style_json) and turned here into Leaflet path
// options. Shared by the web map (layers/map.js) and the presentation (layers/presentation.js).
(function(){
  'use strict';
  function matches(w, p, st){
    var hl = !!((st.highlight || {})[p.ref]);
    if (w.state === 'highlight') return hl;
    if (w.state === 'dimmed') return !!st.dim && !hl;
    return p[w.prop] === w.equals;
  }
  function merge(a, b){
    return {stroke: b.stroke || a.stroke, fill: b.fill || a.fill, radius: b.radius !== null ? b.radius : a.radius};
  }
  // ``s``: a LayerStyle; ``p``: the feature's properties; ``st``: the layer's per-run state;
  // ``fillColor``: the colour from that state (choropleth), if any.
  function look(s, p, st, fillColor){
    var l = s.base;
    (s.variants || []).forEach(function(v){ if (matches(v.when, p, st || {})) l = merge(l, v.look); });
    var o = {};
    if (l.stroke) {
      o.color = l.stroke.color;
      o.weight = l.stroke.width;
      o.opacity = l.stroke.opacity;
      o.dashArray = l.stroke.dash ? l.stroke.dash.join(' ') : null;
    } else {
      o.stroke = false;
    }
    if (l.fill) {
      var c = fillColor;
      if (!c && s.palette) c = s.palette.colors[p[s.palette.prop]] || s.palette.default;
      o.fillColor = c || l.fill.color;
      o.fillOpacity = l.fill.opacity;
    } else {
      o.fill = false;
    }
    if (l.radius !== null) o.radius = l.radius;
    if (s.radius_prop) o.radius = p[s.radius_prop];
    return byZoom(s, o);
  }
  // A part with ``max_zoom`` (a cité's marker) is hidden, and lets clicks through, from that zoom
  // on, where the shape it stands for is large enough. The web map's registry (layers/map.js)
  // gives the map; its parts are restyled when the zoom crosses a threshold. Without a registry
  // (the presentation), such parts are always drawn.
  var thresholds = [], watched = null;
  function restyle(map){
    var before = map.getZoom();
    map.on('zoomend', function(){
      var now = map.getZoom();
      var crossed = thresholds.some(function(t){ return (before < t) !== (now < t); });
      before = now;
      if (!crossed || !window.erbm) return;
      Object.keys(window.erbm.parts).forEach(function(n){ window.erbm.parts[n].resetStyle(); });
    });
  }
  function byZoom(s, o){
    if (s.max_zoom === null || s.max_zoom === undefined) return o;
    if (thresholds.indexOf(s.max_zoom) < 0) thresholds.push(s.max_zoom);
    var map = window.erbm && window.erbm.map;
    if (!map) return o;
    if (watched !== map) { watched = map; restyle(map); }
    if (map.getZoom() < s.max_zoom) { o.interactive = true; return o; }
    o.opacity = 0; o.fillOpacity = 0; o.interactive = false;
    return o;
  }
  function hover(s){
    if (!s.hover) return null;
    var o = {};
    if (s.hover.width !== null) o.weight = s.hover.width;
    if (s.hover.color !== null) o.color = s.hover.color;
    return o;
  }
  // A point feature as its symbol: a circle marker, or a text label (its text is escaped on the server).
  function point(s, p, ll){
    var y = s.point;
    if (!y || y.kind === 'circle') return L.circleMarker(ll, {radius: y ? y.radius : 5});
    return L.marker(ll, {interactive: false, keyboard: false, icon: L.divIcon({className: y.css_class + '-icon',
      html: '<div class="' + y.css_class + '">' + p[y.text_prop] + '</div>', iconSize: [0, 0]})});
  }
  window.erbmStyle = {look: look, hover: hover, point: point};
})();
