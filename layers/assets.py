"""Leaflet served from installed packages, so the map draws with no internet at all.

folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs by default. The map
here needs only Leaflet: its files are copied from the XStatic wheel into Streamlit's
static folder and every folium element is pointed at them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from settings import get_settings

VENDOR = "vendor"
# Streamlit serves ./static/ at /app/static/ (server.enableStaticServing).
APP_STATIC = "/app/static/"
URL_PREFIX = APP_STATIC + VENDOR

LEAFLET_JS = [("leaflet", f"{URL_PREFIX}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{URL_PREFIX}/leaflet/leaflet.css")]


def _packages() -> dict[str, Path]:
    import xstatic.pkg.leaflet as leaflet

    return {"leaflet": Path(leaflet.BASE_DIR)}


def ensure_vendor_assets(static_dir: Path | None = None) -> Path:
    """Copy the packaged Leaflet files under ``static/vendor`` once; return that folder."""
    if static_dir is None:
        static_dir = get_settings().static_dir
    target = static_dir / VENDOR
    for name, source in _packages().items():
        dest = target / name
        marker = dest / "leaflet.js" if name == "leaflet" else dest
        if not marker.exists():
            shutil.copytree(
                source, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.map", "*-src*", "*.esm.*")
            )
    return target


LOCAL = {name: url for name, url in (*LEAFLET_JS, *LEAFLET_CSS)}
# folium's defaults that no layer here uses: markers are circles, popups are plain HTML.
UNUSED = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


def _local(assets: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, LOCAL.get(name, url)) for name, url in assets if name not in UNUSED]


def _element_classes() -> list[type]:
    """Every folium element class that declares JS or CSS files (``JSCSSMixin`` and its subclasses)."""
    from folium.elements import JSCSSMixin

    found, todo = [], [JSCSSMixin]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def localise() -> None:
    """Point folium's element classes at the local assets, never at a CDN, and drop those no layer
    here uses; once per process (idempotent). Their ``default_js`` and ``default_css`` are public
    class attributes: a folium element class imported later (a plugin) keeps its own, and
    :func:`external_links` refuses the map that uses it."""
    for cls in _element_classes():
        for attr in ("default_js", "default_css"):
            if attr in vars(cls):
                setattr(cls, attr, _local(list(vars(cls)[attr])))


def header_links(fmap: object) -> list[tuple[str, str, str]]:
    """The files a rendered folium map loads, from its figure's header (branca's public ``to_dict``):
    (asset name, link kind ``JavascriptLink`` or ``CssLink``, address), in order."""
    figure = fmap.get_root()  # type: ignore[attr-defined]
    figure.render()
    children = figure.to_dict()["header"].get("children", {})
    return [(name, child["name"], child["url"]) for name, child in children.items() if "url" in child]


def external_links(fmap: object) -> list[str]:
    """Every JS/CSS address the map would load that is not served locally (none, or a bug)."""
    return [url for _, _, url in header_links(fmap) if not url.startswith(APP_STATIC)]


def require_local(fmap: object) -> list[tuple[str, str, str]]:
    """The map's :func:`header_links` (rendering it); raise if one would load anything from the
    internet: adding a folium plugin without vendoring its files fails in the tests, not in a
    town hall."""
    links = header_links(fmap)
    external = [url for _, _, url in links if not url.startswith(APP_STATIC)]
    if external:
        raise ValueError(f"asset(s) not served locally: {', '.join(external)}")
    return links
