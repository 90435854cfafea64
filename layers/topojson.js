// Decodes one object of a Topology into a GeoJSON FeatureCollection (TopoJSON 1.0, quantized):
// the browser twin of layers/topojson.py decode().
function erbmTopo(topo){
  var s = topo.transform.scale, t = topo.transform.translate;
  // Each arc is decoded when an object first uses it: the communes, drawn first, do not wait for
  // the arcs of the layers drawn later (or never: a layer that stays off).
  var arcs = new Array(topo.arcs.length);
  function arc(i){
    if (!arcs[i]) {
      var x = 0, y = 0;
      arcs[i] = topo.arcs[i].map(function(p){ x += p[0]; y += p[1]; return [x * s[0] + t[0], y * s[1] + t[1]]; });
    }
    return arcs[i];
  }
  function ring(ix){
    var pts = [];
    ix.forEach(function(i){
      var a = i < 0 ? arc(~i).slice().reverse() : arc(i);
      if (pts.length) pts.pop();
      for (var k = 0; k < a.length; k++) pts.push(a[k]);
    });
    return pts;
  }
  function geometry(g){
    if (g.type === 'Polygon') return {type: 'Polygon', coordinates: g.arcs.map(ring)};
    if (g.type === 'MultiPolygon') {
      return {type: 'MultiPolygon', coordinates: g.arcs.map(function(p){ return p.map(ring); })};
    }
    return null;
  }
  return function(name){
    return {type: 'FeatureCollection', features: topo.objects[name].geometries.filter(function(g){ return g.type; })
      .map(function(g){ return {type: 'Feature', properties: g.properties || {}, geometry: geometry(g)}; })};
  };
}
