"""Naive baseline for issue #6: the way most folium apps are written.

One page, every layer drawn raw from the same committed data (``geo.load.load_territory()``),
reprojected with ``.to_crs(4326)`` only: all columns, unsimplified, no caching, ``gdf.explore()``
into one folium map rendered by ``streamlit_folium.st_folium``. The only concessions are the
ones needed to compare offline: no online basemap (the app has none by default either) and
Leaflet served locally (``layers.assets.localise``, checked by ``require_local``), so the map
really draws without network.

Run: ``streamlit run bench/baseline_app.py --server.enableStaticServing true``
(Streamlit serves ``bench/static/`` at ``/app/static/``; Leaflet is copied there at start-up).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from domain.selection import cites_with_outlines  # noqa: E402
from geo.load import load_territory  # noqa: E402
from layers.assets import ensure_vendor_assets, localise, require_local  # noqa: E402

STATIC_DIR = Path(__file__).resolve().parent / "static"

st.set_page_config(page_title="Baseline ERBM", layout="wide")
ensure_vendor_assets(STATIC_DIR)

t = load_territory()  # no cache: read and validated at every rerun, as in most apps
st.title("Carte ERBM (baseline naïve)")

statuts = sorted(t.cites["statut"].dropna().unique())
chosen = st.sidebar.multiselect("Statut", options=statuts, placeholder="Toutes")
cites = t.cites[t.cites["statut"].isin(chosen)] if chosen else t.cites
# The same richer data as the app (issue #16): the cités as their outlines, the UNESCO property.
cites = cites_with_outlines(cites, t.cite_contours)

localise()
m = folium.Map(location=[50.45, 2.85], zoom_start=9, tiles=None)
for name, gdf in [
    ("Communes", t.perimeter_communes),
    ("EPCI", t.epci),
    ("Zone BUD", t.bud_zone),
    ("Cités", cites),
    ("Projets routiers", t.roads),
]:
    gdf.to_crs(4326).explore(m=m, name=name)
t.unesco.to_crs(4326).explore(m=m, name="Patrimoine mondial UNESCO", show=False)
folium.LayerControl().add_to(m)
require_local(m)

st_folium(m, height=680, use_container_width=True)
st.markdown(f"**{len(cites)} cité(s) affichée(s) sur {len(t.cites)}**")
