"""The map in the page: a Streamlit component (``st.components.v2``) fed a base map rendered once
per set of display options.

The base map (Leaflet map, empty groups, layer control, legend box, share button) is built with
folium and rendered once per set of display options, into the strings ``st_folium`` would
compute from it (through streamlit-folium's rendering helpers, pinned by requirements.txt). The
component (``mapcomponent.js``) runs that script in the app's page itself: no iframe and no
frontend bundle of its own to load before the map can start. Leaflet, the map's code and style
and its geometries are static files, requested in parallel as soon as the component mounts.
Each run then only sends the per-run update, which the mounted map applies without being
rebuilt, and the view asked for (a search). A click on a feature comes back as the trigger value
``clic`` (kind and ref), once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

COMPONENT_NAME = "erbm_carte"
JS_PATH = Path(__file__).with_suffix(".js")


@dataclass(frozen=True)
class Rendered:
    """What ``st_folium`` sends for a map, computed once."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    component_key: str
    # Fetched as soon as the component mounts, before the map's code asks for them.
    prefetch: tuple[str, ...] = ()


def render(fmap, *, key: str, prefetch: tuple[str, ...] = ()) -> Rendered:
    """The strings ``st_folium(fmap, key=key)`` computes, in the same order (it renames ids)."""
    import streamlit_folium as sf

    fmap.get_root().render()
    fmap.render()
    body = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css: list[str] = []
    js: list[str] = []

    def walk(element) -> None:
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(fmap)
    return Rendered(
        script=script,
        header=header,
        html=body,
        map_id=sf.get_full_id(fmap),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        component_key=sf.generate_js_hash(script, key, False),
        prefetch=prefetch,
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def rendered(cache_key: tuple, key: str, _build: Callable[[], object], prefetch: tuple[str, ...] = ()) -> Rendered:
    """The rendering of the base map built by ``_build``, once per ``cache_key``."""
    return render(_build(), key=key, prefetch=prefetch)


@functools.cache
def _component():
    return st.components.v2.component(COMPONENT_NAME, js=JS_PATH.read_text(encoding="utf-8"), isolate_styles=False)


def show(
    base: Rendered,
    update: dict[str, object],
    *,
    key: str,
    height: int,
    on_click: Callable[[], None],
    on_drawn: Callable[[], None] | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
):
    """Draw the map; ``update`` is applied to the mounted map whenever it changes.

    ``on_click`` runs (as a widget callback, before the next run) when a feature is clicked;
    ``on_drawn``, if given, once the communes are drawn (or could not be) in the browser.
    """
    # The component names the map in the code it runs (``window[id] = id``).
    if not base.map_id.isidentifier():
        raise ValueError(f"map id is not a JavaScript identifier: {base.map_id!r}")
    data = {
        "base": {
            "key": base.component_key,
            "id": base.map_id,
            "script": base.script,
            "css": list(base.css_links),
            "js": list(base.js_links),
            "prefetch": list(base.prefetch),
        },
        "update": update,
        "view": {"center": list(center), "zoom": zoom} if center is not None and zoom is not None else None,
        "height": height,
        "report_drawn": on_drawn is not None,
    }
    callbacks = {"on_clic_change": on_click}
    if on_drawn is not None:
        callbacks["on_pret_change"] = on_drawn
    return _component()(key=key, data=data, **callbacks)
