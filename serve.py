"""Carte ERBM, served: ``streamlit run serve.py`` (the page scripts start from ``app.py``).

The same application as ``streamlit run app.py``, with four additions: the Carte page's document
announces the files its map will need (``Link: rel=preload``, ``ui/preload.py``), so the browser
fetches them while it loads Streamlit's own code instead of after it; and every response carries
the headers of ``ui/headers.py`` (no content sniffing, no referrer to other sites, hashed bundles
cached for a year); every browser gets the random key that an editor's login is bound to
(``ui/browserkey.py``): without ``serve.py`` nobody can log in as an editor; an address that
names no page gets a French « page introuvable » (``ui/routes.py``); and its pages say they are in
French (``<html lang="fr">``, ``ui/htmllang.py``).
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.browserkey import BrowserKey
from ui.headers import SecurityHeaders
from ui.htmllang import DocumentLanguage
from ui.preload import PreloadLinks
from ui.routes import FrenchNotFound

app = st.App(
    "app.py",
    middleware=[
        Middleware(FrenchNotFound),
        Middleware(SecurityHeaders),
        Middleware(BrowserKey),
        Middleware(PreloadLinks),
        Middleware(DocumentLanguage),
    ],
)
