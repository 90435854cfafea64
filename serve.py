"""Carte ERBM, served: ``streamlit run serve.py`` (the page scripts start from ``app.py``).

The same application as ``streamlit run app.py``, with two additions: the Carte page's document
announces the files its map will need (``Link: rel=preload``, ``ui/preload.py``), so the browser
fetches them while it loads Streamlit's own code instead of after it; and every response carries
the headers of ``ui/headers.py`` (no content sniffing, no referrer to other sites, hashed bundles
cached for a year); its pages say they are in French (``<html lang="fr">``, ``ui/htmllang.py``).
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.headers import SecurityHeaders
from ui.htmllang import DocumentLanguage
from ui.preload import PreloadLinks

app = st.App("app.py", middleware=[Middleware(SecurityHeaders), Middleware(PreloadLinks), Middleware(DocumentLanguage)])
