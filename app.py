"""Carte ERBM : point d'entrée Streamlit (``streamlit run app.py``)."""

import streamlit as st

from layers.assets import ensure_vendor_assets

st.set_page_config(page_title="Carte ERBM", page_icon="🗺️", layout="wide")
ensure_vendor_assets()

pages = [
    st.Page("pages/carte.py", title="Carte", icon=":material/map:", url_path="carte", default=True),
    st.Page("pages/cites.py", title="Cités", icon=":material/holiday_village:", url_path="cites"),
    st.Page("pages/programme.py", title="Programme", icon=":material/monitoring:", url_path="programme"),
    st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
]
st.navigation(pages).run()
