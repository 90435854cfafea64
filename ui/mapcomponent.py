"""The map in the page: streamlit-folium's component, fed a map rendered once per set of options.

``st_folium`` renders the whole folium figure (three passes through Jinja for every element)
on every run, even when only the per-run update changed: about 20 ms of each filter change.
Here the base map is rendered once per set of display options and kept (the strings
``st_folium`` would compute from it), and each run only adds its update, passed to the same
component in the same form as ``st_folium(..., feature_group_to_add=...)``: the mounted map
evaluates it without being rebuilt.

This relies on streamlit-folium's rendering helpers and component, in the version pinned by
requirements.txt; the browser tests draw the real map through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st


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


def render(fmap, *, key: str) -> Rendered:
    """The strings ``st_folium(fmap, key=key)`` computes, in the same order (it renames ids)."""
    import streamlit_folium as sf

    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
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
        html=html,
        map_id=sf.get_full_id(fmap),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        component_key=sf.generate_js_hash(script, key, False),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def rendered(cache_key: tuple, key: str, _build: Callable[[], object]) -> Rendered:
    """The rendering of the base map built by ``_build``, once per ``cache_key``."""
    return render(_build(), key=key)


def show(
    base: Rendered,
    update_js: str,
    *,
    key: str,
    height: int,
    initial: dict[str, object],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict:
    """Draw the component; ``update_js`` is evaluated in the mounted map whenever it changes.

    ``initial`` names the values the map returns and what it reports when mounted, in the order
    it reports them: the map sends its values once mounted, and any difference with ``initial``
    would cost a needless run of the page.
    """
    import streamlit_folium as sf

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(base.component_key, {})

    # The component appends the layer control's code (none here) to this one: end the statement.
    return sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=base.component_key,
        height=height,
        width=None,
        returned_objects=list(initial),
        default=dict(initial),
        zoom=zoom,
        center=center,
        feature_group=update_js.rstrip() + "\n;\n",
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(base.css_links),
        js_links=list(base.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
