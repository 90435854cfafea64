"""The map in the page: a Streamlit component (``st.components.v2``) fed a base map rendered once
per set of display options.

The base map (Leaflet map, empty groups, layer control, legend box, share button) is a folium
map, rendered once per set of display options through folium's and branca's public API: the
page's script (``Figure.script``), the JavaScript and CSS files its elements ask for (the links
of ``Figure.header``, read with ``to_dict``) and its elements' names made the same from one
build to the next. The component (``mapcomponent.js``) runs that script in the app's page
itself: no iframe and no frontend bundle of its own to load before the map can start. Leaflet,
the map's code and style and its geometries are static files, requested in parallel as soon as
the component mounts. Each run then only sends the per-run update, which the mounted map
applies without being rebuilt, and the view asked for (a search). A click on a feature comes
back as the trigger value ``clicked_feature`` (kind and ref), once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from layers.assets import require_local
from ui.memo import process_cache

COMPONENT_NAME = "erbm_carte"
JS_PATH = Path(__file__).with_suffix(".js")
# The trigger value a click on a feature sets: {"kind": ..., "ref": ...}.
CLICKED_FEATURE = "clicked_feature"
# The state value the component sets once the map is drawn (or could not be, or after a few
# seconds), when the run asked for it: the page's first view then draws its widgets.
MAP_DRAWN = "map_drawn"
# The map's element id and JavaScript name (``window.map_div``, which the tests and the benchmark
# read); the other elements are named ``<kind>_div_<n>`` in the order of the map's tree.
MAP_NAME = "map_div"
_ELEMENT_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


@dataclass(frozen=True)
class Rendered:
    """A base map as the component runs it, computed once."""

    script: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    # Changes whenever anything above does: the component then mounts a new map.
    component_key: str
    # Fetched as soon as the component mounts, before the map's code asks for them.
    prefetch: tuple[str, ...] = ()


def _ids(tree: dict) -> Iterator[str]:
    """The ids of an element's tree (branca's ``to_dict``), parents before their children."""
    yield tree["id"]
    for child in tree.get("children", {}).values():
        yield from _ids(child)


def _stable_names(script: str, fmap) -> str:
    """``script`` with the random ids of the map's elements (``map_3f9c…``) replaced by their rank
    in the map's tree, so that the same options give the same script from one build to the next."""
    ranks = {element_id: f"div_{n}" if n else "div" for n, element_id in enumerate(_ids(fmap.to_dict()))}
    return _ELEMENT_ID.sub(lambda m: ranks.get(m.group(), m.group()), script)


def _links(fmap) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Render the map; the addresses of the CSS and JavaScript links in its figure's header, in
    the order the map's elements asked for them, each once; raise if one is not served locally."""
    links = require_local(fmap)

    def urls(kind: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(url for _, link_kind, url in links if link_kind == kind))

    return urls("CssLink"), urls("JavascriptLink")


def render(fmap, *, key: str, prefetch: tuple[str, ...] = ()) -> Rendered:
    """The script, files and component key of the folium map ``fmap`` (``key``: the component's)."""
    figure = fmap.get_root()
    css, js = _links(fmap)  # renders the figure: its header (links) and script, every element's part
    # Without the indentation and blank lines of folium's templates: the script is sent twice on a
    # first view (the map first, then the whole page), and no string in it spans lines.
    lines = _stable_names(figure.script.render(), fmap).splitlines()
    script = "\n".join(line.strip() for line in lines if line.strip())
    map_id = _stable_names(fmap.get_name(), fmap)
    if map_id != MAP_NAME:
        raise ValueError(f"the map's name is {map_id!r}, not {MAP_NAME!r}")
    if not js:  # Leaflet at least: without it the map cannot draw, nor its files be announced
        raise ValueError("the map names no JavaScript file")
    sent = json.dumps([key, map_id, script, css, js, prefetch])
    return Rendered(
        script=script,
        map_id=map_id,
        css_links=css,
        js_links=js,
        component_key=hashlib.sha256(sent.encode("utf-8")).hexdigest()[:32],
        prefetch=prefetch,
    )


@process_cache(maxsize=64)  # per process: no client message can empty it (issue #18)
def rendered(cache_key: tuple, key: str, _build: Callable[[], object], prefetch: tuple[str, ...] = ()) -> Rendered:
    """The rendering of the base map built by ``_build``, once per ``cache_key``."""
    return render(_build(), key=key, prefetch=prefetch)


@functools.cache
def _component():
    return st.components.v2.component(COMPONENT_NAME, js=JS_PATH.read_text(encoding="utf-8"), isolate_styles=False)


def _view(center, zoom, bounds) -> dict[str, object] | None:
    if center is None or zoom is None:
        return None
    view: dict[str, object] = {"center": list(center), "zoom": zoom}
    if bounds is not None:
        view["bounds"] = list(bounds)
    return view


def show(
    base: Rendered,
    update: dict[str, object],
    *,
    key: str,
    height: int | dict[str, object],
    on_click: Callable[[], None],
    on_drawn: Callable[[], None] | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    bounds: tuple[float, float, float, float] | None = None,
):
    """Draw the map; ``update`` is applied to the mounted map whenever it changes.

    ``height``: pixels, or ``{"fill": CSS length, "min": px}``, the window's height less that
    length (the page's header above the map). ``bounds`` (south, west, north, east), if given,
    are framed by the browser at the map's own size; else ``center`` and ``zoom`` are shown.

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
        "view": _view(center, zoom, bounds),
        "height": height,
        "report_map_drawn": on_drawn is not None,
    }
    callbacks = {f"on_{CLICKED_FEATURE}_change": on_click}
    if on_drawn is not None:
        callbacks[f"on_{MAP_DRAWN}_change"] = on_drawn
    return _component()(key=key, data=data, **callbacks)
