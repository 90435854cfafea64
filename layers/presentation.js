(function(){
'use strict';
// The presentation's data (layers/presentation_data.py) travels as JSON in the document; the
// layers' looks are LayerStyle data (layers/style.py) read by layers/style.js.
var D = JSON.parse(document.getElementById('erbm-presentation').textContent), scenes = D.scenes, N = scenes.length, current = -1, lastFit = null;
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
var ST = D.styles;
function look(name, f){ return window.erbmStyle.look(ST[name], f ? f.properties : {}, null, null); }

// Context: départements and town names, always shown.
L.geoJSON(D.layers.departements, {interactive: false, style: function(){
  return opts('context', look('departements'));
}}).addTo(map);
var places = L.layerGroup(D.layers.places.map(function(p){
  return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
    icon: L.divIcon({className: 'erbm-place', html: p[2], iconSize: null})});
})).addTo(map);

var layers = {
  communes: L.layerGroup([
    L.geoJSON(D.layers.communes, {style: function(f){
      return opts('communes', look('communes', f));
    }, onEachFeature: function(f, l){ tip(l, f.properties.nom); }}),
    L.geoJSON(D.layers.outline, {interactive: false, style: function(){
      return opts('communes', look('outline'));
    }})
  ]),
  epci: L.geoJSON(D.layers.epci, {style: function(f){
    return opts('epci', look('epci', f));
  }, onEachFeature: function(f, l){ tip(l, f.properties.nom); }}),
  bud: L.geoJSON(D.layers.bud, {style: function(f){
    return opts('bud', look('bud', f));
  }}),
  roads: L.geoJSON(D.layers.roads, {
    style: function(f){
      return opts('roads', look('roads', f));
    },
    pointToLayer: function(f, ll){
      return L.circleMarker(ll, opts('roads', look('roads', f)));
    },
    onEachFeature: function(f, l){ tip(l, f.properties.nom + ' (' + f.properties.trace + ')'); }
  })
};
var citesLayer = null, outlinesLayer = null, labelLayer = L.layerGroup().addTo(map), hlLayer = L.layerGroup().addTo(map);
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
        opts('hl', Object.assign(look('leader'), {interactive: false}))));
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
      return L.circleMarker(ll, opts('cites', look('cites', f)));
    },
    onEachFeature: function(f, l){
      tip(l, f.properties.nom + ' · ' + f.properties.commune + ' · ' + f.properties.statut);
    }
  });
}

// The cités' inventory outlines (issue 16), under their circles, filled like them by status.
function outlineLayer(ids){
  var keep = ids ? {} : null;
  if (ids) ids.forEach(function(i){ keep[i] = true; });
  return L.geoJSON(D.layers.cites_contours || [], {
    filter: function(f){ return !keep || keep[f.properties.ref] === true; },
    style: function(f){ return opts('cites', look('cites_contours', f)); },
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
    return opts('hl', look('halo'));
  }, pointToLayer: function(f, ll){
    return L.circleMarker(ll, opts('hl', look('halo_point')));
  }});
  var line = L.geoJSON(g, {interactive: false, style: function(){
    return opts('hl', look('line'));
  }, pointToLayer: function(f, ll){
    return L.circleMarker(ll, opts('hl', look('line_point')));
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

// ``moving`` until the map has reached the scene's extent (Leaflet always ends a fit with moveend).
var moving = false;
function fit(animate){
  if (!lastFit) return;
  var b = lastFit;
  moving = true;
  map.once('moveend', function(){ moving = false; });
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
  if (outlinesLayer) { map.removeLayer(outlinesLayer); outlinesLayer = null; }
  if (s.layers.indexOf('cites') >= 0) outlinesLayer = outlineLayer(s.cites).addTo(map);
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
  // Too tall, or a word wider than the panel (a figure and its unit): smaller type.
  while ((box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1) && k > 0.5) {
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
  renderer: function(){ return renderers.communes instanceof L.Canvas ? 'canvas' : 'svg'; },
  settled: function(){ return !moving; }};
show(0);
focusDeck();
window.addEventListener('load', focusDeck);
})();
