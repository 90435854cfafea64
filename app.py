"""Carte ERBM : point d'entrée Streamlit (``streamlit run app.py``)."""

import streamlit as st

from layers.assets import ensure_vendor_assets
from ui import asof, firstpaint

st.set_page_config(page_title="Carte ERBM", page_icon="🗺️", layout="wide")
ensure_vendor_assets()

# Page scripts live in views/, not pages/: Streamlit still treats a pages/ folder as a
# legacy multipage app, so a direct link such as /territoire?commune=62498 would run the page
# script alone (no page config, no navigation) instead of this entry point.
pages = [
    st.Page("views/carte.py", title="Carte", icon=":material/map:", url_path="carte"),
    st.Page("views/territoire.py", title="Mon territoire", icon=":material/location_city:", url_path="territoire"),
    st.Page("views/cites.py", title="Cités", icon=":material/holiday_village:", url_path="cites"),
    st.Page("views/edition.py", title="Mise à jour", icon=":material/edit_note:", url_path="mise-a-jour"),
    st.Page("views/historique.py", title="Historique", icon=":material/history:", url_path="historique"),
    st.Page("views/presentation.py", title="Présentation", icon=":material/slideshow:", url_path="presentation"),
    st.Page("views/programme.py", title="Programme", icon=":material/monitoring:", url_path="programme"),
    st.Page("views/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    # Streamlit serves its default page at the root only, whatever its url_path: the Carte page is
    # also the root's page, under an internal name, so that /carte is the Carte page's own address.
    st.Page("views/carte.py", title="Carte", url_path="accueil", default=True, visibility="hidden"),
]
# A browser's first view of the Carte page draws its navigation with the widgets, after the map.
prelude_nav = firstpaint.hides_navigation()
nav = st.navigation(pages, position="hidden" if prelude_nav else "sidebar")
if prelude_nav:
    st.sidebar.caption("Chargement de la navigation et des filtres…")
# Every page shows the cités at the version chosen in the sidebar (the latest by default); a link
# may name one (version=, date=), read before the page loads its data.
asof.load_once()
nav.run()
# The Carte page's first run draws the map before any widget (ui/firstpaint.py).
if not firstpaint.ended_prelude():
    asof.sidebar_picker()
