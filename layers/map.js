
// The map's code, the same for every map: published once as a static file (gzip-compressed, kept
// by the browser), loaded before Leaflet. ``erbmSetup`` receives the parts' styles (data: see
// layers/style.py) and the static bundle's address; ``erbmInit`` builds the registry every other
// piece of script goes through: the parts, the per-run state, the legend, the share button.
(function(){
  var specs = {};
  var S = window.erbmStyle;
  // erbmSetup starts fetching the static bundle; erbmInit takes the same request.
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
  var erbm = window.erbm = {map: map, state: {}, parts: {}, order: [], groups: {}, rank: {}, marks: {}};
  // Every interactive feature's events reach this one group, whenever its layer is drawn or
  // shown: the component reports clicks on features from it.
  var relay = erbm.relay = L.featureGroup().addTo(map);
  erbm.table = function(rows){
    return '<table>' + rows.map(function(r){ return '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>'; }).join('')
      + '</table>';
  };
  erbm.group = function(title, group){ erbm.groups[title] = group; };
  // A feature's colour and shown value from the per-run state (the communes' indicator). The
  // values follow the order of the features in the static bundle (``erbm.rank``): categorical
  // indicators send one class per feature (the class names its colour and text), numeric ones a
  // class and the formatted number.
  function choropleth(name, f){
    var s = erbm.state[name] || {}, v = (s.values || [])[(erbm.rank[name] || {})[f.properties.ref]];
    var none = specs[name].base.fill.color;
    if (v === undefined) return {color: none, text: 'non renseigné'};
    var numeric = Array.isArray(v), c = (s.palette || [])[numeric ? v[0] : v] || [], text = numeric ? v[1] : c[1];
    if (text == null) return {color: c[0] || none, text: 'non renseigné'};
    return {color: c[0] || none, text: text + (numeric && s.unit ? ' ' + s.unit : '')};
  }
  function tooltip(name, o, f){
    var p = f.properties;
    return erbm.table(o.tooltip.map(function(r){
      return r.state ? [(erbm.state[name] || {}).label || '', choropleth(name, f).text] : [r.label, p[r.prop]];
    }));
  }
  // The parts that follow the filters (the cités, the actions' circles) are drawn by their own SVG
  // renderer, in a pane over the communes' canvas: a filter redraws a few hundred of their paths,
  // not the whole canvas with every commune (on one canvas, the changed cités spread over the basin
  // made Leaflet redraw it all). The pane lets the pointer through, its paths do not.
  function filteredRenderer(){
    if (!erbm.filteredRenderer) {
      var pane = map.createPane('erbmFiltered');
      pane.style.zIndex = 410;  // over the overlay pane (400), under the selection's halo (450)
      pane.style.pointerEvents = 'none';
      erbm.filteredRenderer = L.svg({pane: 'erbmFiltered'});
    }
    return erbm.filteredRenderer;
  }
  erbm.part = function(name, group, followsFilters){
    var o = specs[name], hover = S.hover(o), draw = followsFilters ? {renderer: filteredRenderer()} : {};
    var layer = L.geoJSON(null, L.extend({interactive: o.interactive,
      style: function(f){
        return S.look(o, f.properties, erbm.state[name], o.choropleth ? choropleth(name, f).color : null);
      },
      pointToLayer: o.point ? function(f, ll){ return S.point(o, f.properties, ll, draw); } : undefined}, draw));
    // One tooltip and one pair of hover handlers for the whole layer, not one per feature.
    if (o.tooltip.length) {
      layer.bindTooltip(function(l){ return tooltip(name, o, l.feature); }, {sticky: true, className: 'erbm-tip'});
    }
    if (hover) {
      layer.on('mouseover', function(e){ if (e.layer.setStyle) e.layer.setStyle(hover); });
      layer.on('mouseout', function(e){ layer.resetStyle(e.layer); });
    }
    layer.addTo(group);
    // A circle's mark (a cité status's shape) and light halo, shown and hidden with its layer.
    if (o.point && o.point.glyph_prop) erbm.marks[name] = L.layerGroup().addTo(group);
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
  // Not interactive: a click goes through to the circle under it.
  function drawMarks(name){
    var marks = erbm.marks[name], y = specs[name].point;
    if (!marks) return;
    marks.clearLayers();
    erbm.parts[name].eachLayer(function(l){
      var g = l.getLatLng && y.glyphs[l.feature.properties[y.glyph_prop]];
      if (!g) return;
      // A white ring round the circle and the status's glyph in black or white, whichever contrasts
      // most with the status colour. Zoomed out to the whole region (a phone's first view) the
      // circles overlap and their marks would hide them: they show from zoom 9 on (the legend
      // keeps them).
      var d = Math.round(2 * l.getRadius() + 3), f = Math.max(8, Math.min(16, Math.round(d * 0.55)));
      marks.addLayer(S.text(l.getLatLng(), g.glyph, {font: '{}px "DejaVu Sans",system-ui,sans-serif', size: f,
        color: g.ink, ring: d / 2, min_zoom: 9}));
    });
  }
  function addData(name, fc){
    var layer = erbm.parts[name];
    if (layer) {
      layer.addData(specs[name].outline ? rings(fc) : fc);
      // The marks wait for the communes: on a first view they must not delay the map's drawing.
      if (erbm.marks[name]) Promise.resolve(erbm.drawn).then(function(){ setTimeout(function(){ drawMarks(name); }, 0); });
    }
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
    if (d.type === 'Topology') return erbmTopo(d)(Object.keys(d.objects)[0]);
    return {type: 'FeatureCollection', features: d.rows.map(function(r){
      var p = {};
      d.fields.forEach(function(k, i){ p[k] = r[i + 2]; });
      return {type: 'Feature', properties: p, geometry: {type: 'Point', coordinates: [r[0], r[1]]}};
    })};
  }
  // Rows sent with a run, joined by ``ref`` to shapes of the static bundle (the cités' outlines:
  // layers/cites.py): the shapes are decoded once, after the communes are drawn.
  var shapes = {};
  function shapesOf(name){
    if (!shapes[name]) {
      shapes[name] = erbm.drawn.then(function(){ return topology; }).then(function(topo){
        var byRef = {};
        topo(name).features.forEach(function(f){ byRef[f.properties.ref] = f.geometry; });
        return byRef;
      });
    }
    return shapes[name];
  }
  function joined(d, byRef){
    return {type: 'FeatureCollection', features: d.rows.filter(function(r){ return byRef[r[1]]; }).map(function(r){
      var p = {};
      d.fields.forEach(function(k, i){ p[k] = r[i]; });
      return {type: 'Feature', properties: p, geometry: byRef[r[1]]};
    })};
  }
  // What each part last drew (its features as sent) and the state it was styled with: a run that
  // sends the same features (another indicator, a click) redraws nothing, and restyles a part only
  // when its state changed (each restyle makes Leaflet redraw what the part is drawn on).
  var sent = {}, pending = {}, styled = {};
  erbm.update = function(u){
    erbm.state = u.state;
    Object.keys(erbm.parts).forEach(function(n){
      var layer = erbm.parts[n], d = u.features[n], text = d ? JSON.stringify(d) : null;
      var state = JSON.stringify(u.state[n] === undefined ? null : u.state[n]);
      if (!d || text === sent[n]) {
        if (state !== styled[n]) { styled[n] = state; layer.resetStyle(); }
        return;
      }
      styled[n] = state;
      sent[n] = text;
      var run = pending[n] = {};
      if (!d.join) { layer.clearLayers(); erbm.add(n, collection(d)); return; }
      shapesOf(d.join).then(function(byRef){
        if (pending[n] !== run) return;  // a later run's features came first
        layer.clearLayers();
        erbm.add(n, joined(d, byRef));
        if (erbm.selection) erbm.select(erbm.selection);
      });
    });
    erbm.selection = u.selection || null;
    erbm.select(erbm.selection);
    var legend = document.getElementById('erbm-legend-body');
    if (legend) { legend.innerHTML = legendHtml(Array.isArray(u.legend) ? u.legend : []); erbm.syncLegend(); }
  };
  // The legend's sections (layers/legend.py: every text escaped on the server); a swatch's shape
  // is a class of map.css, its colour and size set here.
  function swatch(e){
    var c = e.color, s = 'width:' + e.size + 'px;height:' + e.size + 'px;';
    if (e.shape === 'line' || e.shape === 'dashed') return 'border-top-color:' + c;
    if (e.shape === 'outline') return s + 'border-color:' + c;
    if (e.shape === 'hatched') return s + 'background:repeating-linear-gradient(45deg,' + c + ',' + c + ' 3px,#fff 3px,#fff 6px)';
    return s + 'background:' + c;
  }
  function legendHtml(sections){
    return sections.map(function(sec){
      return '<section class="erbm-legend-section" data-layer="' + sec.layer + '"' + (sec.show ? '' : ' style="display:none"')
        + '><h4>' + sec.title + '</h4>' + sec.entries.map(function(e){
          var mark = e.glyph ? '<span class="erbm-sw-glyph" style="color:' + e.ink + '">' + e.glyph + '</span>' : '';
          return '<div class="erbm-legend-row"><span class="erbm-swatch erbm-sw-' + e.shape + '" style="' + swatch(e)
            + '">' + mark + '</span><span>' + e.label + '</span></div>';
        }).join('') + (sec.note ? '<div class="erbm-legend-note">' + sec.note + '</div>' : '') + '</section>';
    }).join('');
  }
  function note(text){
    var c = L.control({position: 'topright'});
    c.onAdd = function(){ var d = L.DomUtil.create('div', 'erbm-offline'); d.textContent = text; return d; };
    c.addTo(map);
  }
  // Settled once the perimeter's communes are drawn (or could not be): the page waits for it
  // before drawing its widgets (ui/firstpaint.py).
  var topology = null;
  erbm.drawn = erbmFetch(url).then(function(b){
    var topo = topology = erbmTopo(b.topology);
    function object(n, add){
      if (!erbm.parts[n]) return;
      var fc = topo(n), rank = erbm.rank[n] = {};
      // Per-run values (commune colours) come as arrays in this order: index them before drawing.
      fc.features.forEach(function(f, i){ if (f.properties.ref !== undefined) rank[f.properties.ref] = i; });
      add(n, fc);
    }
    // The perimeter's communes first, drawn at once; the context and outlines once the communes
    // are on screen (after the next paint; at most a tenth of a second later if no frame comes).
    object('communes', erbm.add);
    var rest = false;
    function later(){
      if (rest) return;
      rest = true;
      Object.keys(b.topology.objects).forEach(function(n){ if (n !== 'communes') object(n, addData); });
      Object.keys(b.geojson).forEach(function(n){ addData(n, b.geojson[n]); });
      erbm.restack();
      if (erbm.selection) erbm.select(erbm.selection);
      erbm.loaded = true;
    }
    requestAnimationFrame(function(){ setTimeout(later, 0); });
    setTimeout(later, 100);
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
  // The layer list and the legend fold into small buttons; on a narrow map (a phone) and in large
  // type both start folded, elsewhere the legend starts open and the layer list folded: at load,
  // open panels hide little of the map. ``o``: {label, large}.
  erbm.controls = function(o){
    var box = map.getContainer();
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', o.label);
    box.setAttribute('aria-roledescription', 'carte');
    var live = L.DomUtil.create('div', 'erbm-live', box);
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    // Its text comes escaped from the server (layers/map.py, update_payload).
    erbm.announce = function(html){ live.innerHTML = html; };
    // The window's width, not the map's: reading a size of the page here would force a layout of
    // the whole page while the map is being built (the map spans a narrow window's width).
    var narrow = window.innerWidth < 768 || o.large;
    var legend = document.getElementById('erbm-legend');
    if (legend) legend.open = !narrow;
    var list = box.querySelector('.leaflet-control-layers');
    if (list) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'erbm-fold';
      b.textContent = 'Couches';
      b.title = 'Afficher ou masquer la liste des couches';
      list.insertBefore(b, list.firstChild);
      var set = function(open){
        list.classList.toggle('erbm-folded', !open);
        b.setAttribute('aria-expanded', String(open));
        b.textContent = open ? 'Couches ▴' : 'Couches ▾';
      };
      L.DomEvent.on(b, 'click', function(){ set(list.classList.contains('erbm-folded')); });
      set(false);
    }
    // The record drawn over the map (ui/mapview.css) starts under the layer list, open or not.
    // Read when the list's size changes (a ResizeObserver runs after layout: no layout forced while
    // the map is being drawn), written on the map's stage, the record's container: on the document's
    // root, the property made the browser restyle the whole page.
    var placed = '';
    function placePanel(){
      if (!list || !box.isConnected) return;
      var r = list.getBoundingClientRect(), m = box.getBoundingClientRect();
      var top = Math.round(r.bottom - m.top + 8) + 'px';
      if (top === placed) return;
      placed = top;
      (box.closest('.st-key-erbm-stage') || document.documentElement).style.setProperty('--erbm-fiche-top', top);
    }
    if (list && window.ResizeObserver) new ResizeObserver(placePanel).observe(list);
    map.on('resize', placePanel);
    // The mouse wheel zooms the map only once the map has been clicked or focused, until the
    // pointer leaves it: elsewhere it scrolls the page, as the reader expects.
    map.scrollWheelZoom.disable();
    var wake = function(){ map.scrollWheelZoom.enable(); };
    map.on('click focus', wake);
    map.on('mouseout blur', function(){ map.scrollWheelZoom.disable(); });
    // On a phone or a projector the sources' credit is one line that a tap or click unfolds: whole,
    // it hid a tenth of a phone's map.
    var credit = box.querySelector('.leaflet-control-attribution');
    if (credit && (window.innerWidth < 1366 || o.large)) {
      credit.classList.add('erbm-compact');
      credit.tabIndex = 0;
      credit.setAttribute('role', 'button');
      credit.setAttribute('aria-expanded', 'false');
      credit.title = 'Afficher les sources de la carte';
      L.DomEvent.on(credit, 'click keydown', function(e){
        if (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ') return;
        if (e.target.tagName === 'A' && credit.classList.contains('erbm-open')) return;
        L.DomEvent.preventDefault(e);
        var open = credit.classList.toggle('erbm-open');
        credit.setAttribute('aria-expanded', String(open));
      });
    }
    var frame = erbm.frameControl();
    // A phone's narrow map: the short word, the full one for screen readers and as a tooltip.
    if (window.innerWidth < 768) { frame.textContent = 'Cadrer'; frame.setAttribute('aria-label', 'Cadrer sur la sélection'); }
  };
  // « Cadrer sur la sélection »: the selected element, else the cités shown (the filtered ones:
  // their outlines and markers, and the circles of those without an outline).
  erbm.frame = function(){
    var b = erbm.halo && erbm.halo.getLayers().length ? erbm.halo.getBounds() : null;
    if (!b) {
      ['cites', 'cites_contours', 'cites_marqueurs'].forEach(function(n){
        var part = erbm.parts[n];
        if (!part || !map.hasLayer(part) || !part.getLayers().length) return;
        b = b ? b.extend(part.getBounds()) : L.latLngBounds(part.getBounds().getSouthWest(), part.getBounds().getNorthEast());
      });
    }
    if (b && b.isValid()) map.fitBounds(b, {padding: [30, 30], maxZoom: 15});
  };
  erbm.frameControl = function(){
    var c = L.control({position: 'topleft'}), button;
    c.onAdd = function(){
      var b = button = L.DomUtil.create('button', 'erbm-frame');
      b.type = 'button';
      b.textContent = 'Cadrer sur la sélection';
      b.title = 'Cadrer la carte sur l’élément sélectionné, sinon sur les cités affichées (filtrées)';
      L.DomEvent.disableClickPropagation(b);
      L.DomEvent.on(b, 'click', erbm.frame);
      return b;
    };
    c.addTo(map);
    return button;
  };
  // The selected element drawn over every layer: a wide light halo under a thick dark outline.
  function haloLayers(kind, ref){
    var found = [];
    Object.keys(erbm.parts).forEach(function(n){
      erbm.parts[n].eachLayer(function(l){
        var p = l.feature && l.feature.properties;
        if (p && p.kind === kind && String(p.ref) === ref) found.push(l);
      });
    });
    return found;
  }
  erbm.select = function(sel){
    var key = sel ? sel.kind + ':' + sel.ref : '';
    if (erbm.halo) { erbm.halo.remove(); erbm.halo = null; }
    if (!sel) { erbm.selectedKey = ''; return; }
    if (!map.getPane('erbmHalo')) {
      map.createPane('erbmHalo').style.zIndex = 450;
      map.getPane('erbmHalo').style.pointerEvents = 'none';
    }
    var renderer = erbm.haloRenderer = erbm.haloRenderer || L.svg({pane: 'erbmHalo'});
    var halo = erbm.halo = L.featureGroup();
    haloLayers(sel.kind, sel.ref).forEach(function(l){
      var o = {renderer: renderer, interactive: false, fill: false, pane: 'erbmHalo'};
      if (l.getLatLng) {
        var r = (l.getRadius ? l.getRadius() : 6) + 5;
        halo.addLayer(L.circleMarker(l.getLatLng(), L.extend({}, o, {radius: r, color: '#ffd21f', weight: 9, opacity: .95})));
        halo.addLayer(L.circleMarker(l.getLatLng(), L.extend({}, o, {radius: r, color: '#000', weight: 3, className: 'erbm-selected'})));
      } else if (l.getLatLngs) {
        var ll = l.getLatLngs(), line = l instanceof L.Polygon ? L.polygon : L.polyline;
        halo.addLayer(line(ll, L.extend({}, o, {color: '#ffd21f', weight: 11, opacity: .9})));
        halo.addLayer(line(ll, L.extend({}, o, {color: '#000', weight: 3.5, className: 'erbm-selected'})));
      }
    });
    halo.addTo(map);
    if (key !== erbm.selectedKey) {
      erbm.selectedKey = key;
      if (sel.label) erbm.announce && erbm.announce('Sélection : ' + sel.label);
      // A newly selected element out of view is brought into view (a search or a link frames it
      // on its own: ui/mapcomponent.js).
      if (halo.getLayers().length && !map.getBounds().contains(halo.getBounds())) erbm.frame();
    }
  };
  return erbm;
  };
  // ``config``: {parts: {name: LayerStyle}, bundle: address of the static bundle or null}. The
  // bundle is fetched at once, while the page's map script is still on its way.
  window.erbmSetup = function(config){
    specs = config.parts;
    if (config.bundle) window.erbmFetch(config.bundle);
  };
})();
