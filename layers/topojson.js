// Decodes one object of a Topology into a GeoJSON FeatureCollection (TopoJSON 1.0, quantized):
// the browser twin of layers/topojson.py decode().
function erbmTopo(topo){
  var s = topo.transform.scale, t = topo.transform.translate;
  var arcs = topo.arcs.map(function(a){
    var x = 0, y = 0;
    return a.map(function(p){ x += p[0]; y += p[1]; return [x * s[0] + t[0], y * s[1] + t[1]]; });
  });
  function ring(ix){
    var pts = [];
    ix.forEach(function(i){
      var a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
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
