// Carte ERBM's map, mounted in the app's page itself (st.components.v2: no iframe, no frontend
// bundle of its own). Streamlit calls this function on mount and whenever the run's data changes,
// with the same parentElement: the Leaflet map is built once per base map and kept on that
// element; later calls only apply the per-run update and the view asked for.
//
// data = {base: {key, id, script, css: [urls], js: [urls], prefetch: [urls]}, update: {...},
//         view: {center, zoom, bounds?} | null, height: px | {fill: CSS length, min: px},
//         report_map_drawn: bool}
// A ``fill`` height makes the map fill the window's height below the page's header: the window's
// height less the CSS length ``fill`` (the header above the map), never less than ``min`` pixels.
// It sets the trigger value ``clicked_feature`` ({kind, ref}) on a click on a feature and, when
// ``report_map_drawn``, the state value ``map_drawn`` once (ui/mapcomponent.py).

// One request per address for the whole page, shared by every mount (and by a remount after a
// change of display options).
const requested = new Map();
// The widgets of a first view wait for the map at most this long.
const MAX_WAIT_FOR_MAP_MS = 4000;

function load(url, css) {
  if (!requested.has(url)) {
    requested.set(
      url,
      new Promise((resolve, reject) => {
        const el = document.createElement(css ? "link" : "script");
        // Ahead of the widgets' code, which the page requests at the same time.
        el.fetchPriority = "high";
        if (css) {
          el.rel = "stylesheet";
          el.href = url;
        } else {
          // Scripts download in parallel and run in the order they were added.
          el.async = false;
          el.src = url;
        }
        el.onload = () => resolve();
        el.onerror = () => {
          requested.delete(url);
          reject(new Error(url));
        };
        document.head.appendChild(el);
      }),
    );
  }
  return requested.get(url);
}

// The geometries are fetched at once, alongside Leaflet; the map's code takes this request.
function prefetch(url) {
  const early = (window.erbmEarly = window.erbmEarly || {});
  if (!early[url]) {
    early[url] = fetch(url, { priority: "high" }).then((r) => {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
    early[url].catch(() => delete early[url]);
  }
}

// The page's layout around a map (ui/mapview.css) holds while at least one map is mounted.
let mounted = 0;

function teardown(host) {
  host.gone = true;
  if (--mounted === 0) document.documentElement.classList.remove("erbm-map-page");
  if (host.map) host.map.remove();
  host.box.remove();
  if (window.erbm && window.erbm.map === host.map) delete window.erbm;
}

// The box's height: fixed pixels, or the window's height less the header (``dvh`` where the
// browser knows it: a phone's toolbar then does not hide the map's bottom).
function sizeBox(box, height) {
  if (height && typeof height === "object") {
    const min = Number(height.min) || 320;
    box.style.height = `max(${min}px, calc(100vh - ${height.fill}))`;
    box.style.height = `max(${min}px, calc(100dvh - ${height.fill}))`;
  } else {
    box.style.height = `${Number(height) || 600}px`;
  }
}

function mount(parent, base, height, reportClick) {
  base.prefetch.forEach(prefetch);
  mounted += 1;
  document.documentElement.classList.add("erbm-map-page");
  const box = document.createElement("div");
  box.className = "erbm-map-box";
  // Its own stacking context: Leaflet's panes and controls (z-index up to 1000) stay under the
  // page's header and the record panel drawn over the map.
  box.style.cssText = "position:relative;width:100%;isolation:isolate";
  sizeBox(box, height);
  const div = document.createElement("div");
  div.id = base.id;
  div.style.cssText = "position:absolute;inset:0";
  box.appendChild(div);
  parent.appendChild(box);
  const host = { box, key: base.key, update: null, view: null, gone: false, map: null };
  host.ready = Promise.all([...base.css.map((u) => load(u, true)), ...base.js.map((u) => load(u, false))]).then(
    () => {
      if (host.gone) return;
      // folium's script is written for a page of its own: its top-level names (``var map_div``,
      // ``let layer_control_div_20``…) would be globals here, and a second base map in the same
      // page (other display options) would fail on the ``let`` already declared. It runs in a
      // function of its own; the map alone is published, as ``window[id]``.
      // Run from a blob URL, not as inline code: the page's Content-Security-Policy (ui/headers.py)
      // allows scripts from this server and blob: only, never inline ones.
      const code = `(function(){\n${base.script}\nwindow[${JSON.stringify(base.id)}] = ${base.id};\n})();`;
      const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      const script = document.createElement("script");
      return new Promise((done, fail) => {
        script.onload = done;
        script.onerror = fail;
        script.src = url;
        document.head.appendChild(script);
      }).then(() => {
        URL.revokeObjectURL(url);
        script.remove();
        if (host.gone) return;
        host.map = window[base.id];
        window.erbm.relay.on("click", (e) => {
          const p = (e.layer && e.layer.feature && e.layer.feature.properties) || {};
          if (p.kind && p.ref !== undefined) reportClick({ kind: String(p.kind), ref: String(p.ref) });
        });
      });
    },
  );
  host.ready.catch(() => {
    box.textContent = "La carte n’a pas pu être chargée (fichiers de la carte indisponibles) : rechargez la page.";
  });
  return host;
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  let host = parentElement.erbmMap;
  if (host && host.key !== data.base.key) {
    teardown(host);
    host = null;
  }
  if (!host) {
    // For the benchmark (bench/run.py): when Streamlit handed the map over to this code.
    if (!performance.getEntriesByName("erbm-carte-start").length) performance.mark("erbm-carte-start");
    host = parentElement.erbmMap = mount(parentElement, data.base, data.height, (feature) =>
      setTriggerValue("clicked_feature", feature),
    );
  }
  const current = host;
  // The page's first run held back its widgets: they are asked for once the communes are drawn,
  // so that their code and their drawing do not compete with the map's (ui/firstpaint.py).
  // A map that cannot be drawn, or is slow to, does not keep them away.
  if (data.report_map_drawn && !parentElement.erbmMapDrawnReported) {
    parentElement.erbmMapDrawnReported = true;
    let reported = false;
    const reportDrawn = () => {
      if (!reported) {
        reported = true;
        setStateValue("map_drawn", true);
      }
    };
    current.ready.then(() => window.erbm && window.erbm.drawn).then(reportDrawn, reportDrawn);
    setTimeout(reportDrawn, MAX_WAIT_FOR_MAP_MS);
  }
  current.ready.then(() => {
    if (current.gone) return;
    const update = JSON.stringify(data.update);
    if (update !== current.update) {
      current.update = update;
      window.erbm.update(data.update);
    }
    const view = JSON.stringify(data.view || null);
    if (view !== current.view) {
      current.view = view;
      // Not animated: a zoom animation still running when the page around the map changes (a
      // phone's first view) could end on the previous view.
      // A territory to frame (a search, a link naming one) is framed here, at the map's own size:
      // the same link frames the same commune on a phone and on a projector.
      if (data.view && data.view.bounds) {
        const [s, w, n, e] = data.view.bounds;
        current.map.fitBounds([[s, w], [n, e]], { maxZoom: 14, animate: false });
      } else if (data.view) current.map.setView(data.view.center, data.view.zoom, { animate: false });
    }
  });
  // Called when the element leaves the page (another page, another layout): free the map.
  return () => {
    if (parentElement.erbmMap === current) {
      teardown(current);
      delete parentElement.erbmMap;
    }
  };
}
