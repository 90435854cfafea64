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
  // Text on the map (place names, the glyphs over circles) is drawn on one canvas per map, not as a
  // DOM marker each: some 250 markers, each placed by a CSS 3D transform, were as many composited
  // layers, which the browser layerised again at every frame of the page (a filter's run spent
  // some 150 ms of the page's main thread on it: bench/README.md). Only Leaflet's public API.
  var decoder = document.createElement('textarea');
  function plain(html){ decoder.innerHTML = html; return decoder.value; }  // texts come escaped
  // Each label class's look (their CSS before): font, colour, halo, hidden below ``min_zoom``.
  var LABELS = {
    'erbm-place': {font: '600 {}px system-ui,sans-serif', size: 12, large: 16, color: '#3b352c', halo: '#fff', halo_width: 4,
      declutter: true},
    'erbm-action-glyph': {font: '700 {}px system-ui,sans-serif', size: 11, large: 11, color: '#fff', halo: '#000',
      halo_width: 3, min_zoom: 9}
  };
  var canvases = new WeakMap(), TextCanvas = null, TextMark = null;
  // Made on first use: this file is loaded before Leaflet (layers/map.py).
  function classes(){
    if (TextMark) return;
    TextCanvas = L.Layer.extend({
      initialize: function(){ this.marks = new Set(); this.queued = false; },
      onAdd: function(map){
        this.host = map;
        var pane = map.getPane('erbmText') || map.createPane('erbmText');
        pane.style.zIndex = 620;  // over the circles (overlay pane), under tooltips and popups
        pane.style.pointerEvents = 'none';
        this.canvas = L.DomUtil.create('canvas', 'erbm-text', pane);
        map.on('moveend zoomend resize viewreset', this.schedule, this);
        map.on('zoomstart', this.hide, this);
        this.schedule();
      },
      onRemove: function(map){
        map.off('moveend zoomend resize viewreset', this.schedule, this);
        map.off('zoomstart', this.hide, this);
        L.DomUtil.remove(this.canvas);
        this.host = null;  // a removed map (another base map mounted): a queued drawing does nothing
      },
      hide: function(){ this.canvas.style.visibility = 'hidden'; },
      schedule: function(){
        if (this.queued) return;
        this.queued = true;
        var self = this;
        requestAnimationFrame(function(){ self.queued = false; self.draw(); });
      },
      draw: function(){
        if (!this.host) return;
        var map = this.host, size = map.getSize(), pad = size.multiplyBy(0.1).round();
        var w = size.x + 2 * pad.x, h = size.y + 2 * pad.y, r = window.devicePixelRatio || 1, c = this.canvas;
        var origin = map.containerPointToLayerPoint([0, 0]).subtract(pad);
        if (c.width !== Math.round(w * r) || c.height !== Math.round(h * r)) {
          c.width = Math.round(w * r); c.height = Math.round(h * r);
          c.style.width = w + 'px'; c.style.height = h + 'px';
        }
        L.DomUtil.setPosition(c, origin);
        var ctx = c.getContext('2d'), zoom = map.getZoom();
        var large = map.getContainer().classList.contains('erbm-large');
        ctx.setTransform(r, 0, 0, r, 0, 0);
        ctx.clearRect(0, 0, w, h);
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.lineJoin = 'round';
        // Names that would overlap a name already drawn are left out (the most populous come first:
        // layers/context.py); the glyphs are status cues and are always drawn.
        var kept = [], drawn = 0, hidden = 0;
        this.marks.forEach(function(m){
          var o = m.look;
          if (o.min_zoom && zoom < o.min_zoom) return;
          var p = map.latLngToLayerPoint(m.getLatLng()).subtract(origin);
          if (p.x < -60 || p.y < -30 || p.x > w + 60 || p.y > h + 30) return;
          var size = large && o.large ? o.large : o.size;
          ctx.font = o.font.replace('{}', String(size));
          if (o.declutter) {
            var half = ctx.measureText(m.text).width / 2 + 3, tall = size / 2 + 3;
            var box = [p.x - half, p.y - tall, p.x + half, p.y + tall];
            if (kept.some(function(k){ return box[0] < k[2] && k[0] < box[2] && box[1] < k[3] && k[1] < box[3]; })) {
              hidden++;
              return;
            }
            kept.push(box);
            drawn++;
          }
          if (o.ring) {
            ctx.beginPath();
            ctx.arc(p.x, p.y, o.ring, 0, 2 * Math.PI);
            ctx.lineWidth = 1.5;
            ctx.strokeStyle = '#fff';
            ctx.stroke();
          }
          if (o.halo) {
            ctx.lineWidth = o.halo_width;
            ctx.strokeStyle = o.halo;
            ctx.strokeText(m.text, p.x, p.y);
          }
          ctx.fillStyle = o.color;
          ctx.fillText(m.text, p.x, p.y);
        });
        // For the tests: how many names are drawn and left out.
        c.dataset.names = String(drawn);
        c.dataset.namesHidden = String(hidden);
        c.style.visibility = '';
      }
    });
    // A text at a point, drawn by its map's canvas while the mark is on the map. ``look``: a LABELS
    // entry, or {font, size, color, ring: radius of a white ring, min_zoom} (a cité's status glyph).
    TextMark = L.Layer.extend({
      initialize: function(ll, text, look){ this.ll = L.latLng(ll); this.text = text; this.look = look; },
      getLatLng: function(){ return this.ll; },
      onAdd: function(map){ var c = canvasOf(map); c.marks.add(this); c.schedule(); },
      onRemove: function(map){
        var c = canvases.get(map);
        if (c) { c.marks.delete(this); c.schedule(); }
      }
    });
  }
  function canvasOf(map){
    var c = canvases.get(map);
    if (!c) { c = new TextCanvas(); canvases.set(map, c); map.addLayer(c); }
    return c;
  }
  function text(ll, html, look){ classes(); return new TextMark(ll, plain(html), look); }
  // A point feature as its symbol: a circle marker, or a text label (its text is escaped on the server).
  // ``options``: more path options (the renderer that draws it).
  function point(s, p, ll, options){
    var y = s.point;
    if (!y || y.kind === 'circle') return L.circleMarker(ll, L.extend({radius: y ? y.radius : 5}, options));
    return text(ll, p[y.text_prop], LABELS[y.css_class] || LABELS['erbm-place']);
  }
  window.erbmStyle = {look: look, hover: hover, point: point, text: text};
})();
