"""Map first: a browser's first view of the Carte page draws the map before the widgets.

Streamlit loads the code of each kind of element (widgets, metrics, components) on first use,
and React keeps a newly loaded element hidden while other elements of the same update are still
waiting for their code (up to half a second after the last placeholder appeared). On a cold
load the map was therefore shown only once the sidebar's widgets (some 40 files) had arrived.

So the first run of a browser session on the Carte page sends the map, the header and the key
figures (Markdown, whose code the page already has), but not the widgets of the sidebar, the
exports, the « as of » picker or, when it starts the session, the pages' navigation (the
*prelude*). The map's component reports once the communes are drawn, or could not be, or after a
few seconds at most (its ``map_drawn`` state, :func:`on_map_drawn`): the widgets' code and
drawing then no longer compete with the map's. The next run draws the whole page, around the map
already mounted. A session without a browser (Streamlit's AppTest) never hears from the
component: it gets the whole page at once.

The entry point, the Carte page and the explorer ask only this module, and it has one switch,
:data:`MAP_FIRST`: off, every run draws the whole page. (The Carte page's document then announces
no file either: ``ui/mapview.py`` announces the files of a prelude's map, ``ui/preload.py``.)
"""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

# The one switch: a browser's first view of the Carte page draws the map before the widgets.
MAP_FIRST = True

# Session keys, each named for what it records.
# The map's component reported the map drawn (or given up on) in this session's browser.
MAP_DRAWN_KEY = "_erbm_map_drawn"
# This session has had a run (of any page): its next runs are no longer its first.
SESSION_HAS_RUN_KEY = "_erbm_session_has_run"
# The map was just reported drawn: the next run of the map's fragment reruns the whole page.
FULL_PAGE_DUE_KEY = "_erbm_full_page_due"
# The Carte page's run in progress is a prelude (read once by the entry point, after the page).
PRELUDE_IN_PROGRESS_KEY = "_erbm_prelude_in_progress"


def _has_browser() -> bool:
    # The websocket handshake's headers: a session driven by AppTest has none.
    try:
        return bool(st.context.headers)
    except Exception:  # noqa: BLE001 - no context outside a Streamlit run
        return False


def holds_widgets() -> bool:
    """Whether this run holds the widgets back: true until this session's browser has drawn the
    map (or given up on it), when :data:`MAP_FIRST` is on and there is a browser."""
    return MAP_FIRST and not st.session_state.get(MAP_DRAWN_KEY) and _has_browser()


def base_path() -> str:
    """The server's base path (``server.baseUrlPath``), without slashes: ``""`` at the root."""
    from streamlit import config

    return str(config.get_option("server.baseUrlPath") or "").strip("/")


def is_carte_url(url: str, *, base_path: str = "") -> bool:
    """Whether ``url`` (the browser's address) opens the Carte page (``/`` or ``/carte``)."""
    path = urlparse(url).path.strip("/")
    base = base_path.strip("/")
    if base:
        if path != base and not path.startswith(base + "/"):
            return False
        path = path[len(base) :].strip("/")
    return path in ("", "carte")


def hides_navigation() -> bool:
    """Whether the pages' navigation waits for the map too: only in the run that starts a browser
    session on the Carte page (a prelude). Its eight links are some 20 ms of the page's first
    drawing; the sidebar then says they are coming, and they arrive with the widgets. Any other
    first run (another page, a session that opened elsewhere) shows them at once."""
    first_run = not st.session_state.get(SESSION_HAS_RUN_KEY)
    st.session_state[SESSION_HAS_RUN_KEY] = True
    if not (first_run and holds_widgets()):
        return False
    url = st.context.url
    if not url:  # unknown: the links stay where they are
        return False
    return is_carte_url(url, base_path=base_path())


def begin_prelude() -> bool:
    """Whether this run of the Carte page is the prelude (and remember it for the entry point)."""
    prelude = holds_widgets()
    st.session_state[PRELUDE_IN_PROGRESS_KEY] = prelude
    return prelude


def ended_prelude() -> bool:
    """Whether the page that just ran was a prelude (read once, by the entry point)."""
    return bool(st.session_state.pop(PRELUDE_IN_PROGRESS_KEY, False))


def on_map_drawn() -> None:
    """Widget callback of the map component's ``map_drawn`` state: the whole page is now due."""
    if not st.session_state.get(MAP_DRAWN_KEY):
        st.session_state[MAP_DRAWN_KEY] = True
        st.session_state[FULL_PAGE_DUE_KEY] = True


def rerun_if_full_page_due() -> None:
    """In the map's fragment: after the prelude, rerun the whole page (not only the fragment)."""
    if st.session_state.pop(FULL_PAGE_DUE_KEY, False):
        st.rerun(scope="app")
