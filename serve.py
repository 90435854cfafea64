"""Carte ERBM, served: ``streamlit run serve.py`` (the page scripts start from ``app.py``).

The same application as ``streamlit run app.py``, with one addition: the Carte page's document
announces the files its map will need (``Link: rel=preload``, ``ui/preload.py``), so the browser
fetches them while it loads Streamlit's own code instead of after it.
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.preload import PreloadLinks

app = st.App("app.py", middleware=[Middleware(PreloadLinks)])
