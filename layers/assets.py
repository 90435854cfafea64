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


def localise(element: object) -> None:
    """Point a folium element and its children at the local assets, never at a CDN.

    An asset that is neither served locally nor known to be unused raises, so adding a
    folium plugin without vendoring its files fails in the tests, not in a town hall.
    """
    for attr in ("default_js", "default_css"):
        if not hasattr(element, attr):
            continue
        kept = []
        for name, url in getattr(element, attr):
            if name in LOCAL:
                kept.append((name, LOCAL[name]))
            elif url.startswith(APP_STATIC):
                kept.append((name, url))
            elif name not in UNUSED:
                raise ValueError(f"asset {name} ({url}) is not served locally")
        setattr(element, attr, kept)
    for child in getattr(element, "_children", {}).values():
        localise(child)


def external_urls(element: object) -> list[str]:
    """Every JS/CSS address a folium element would load that is not served locally."""
    urls: list[str] = []
    for attr in ("default_js", "default_css"):
        urls += [u for _, u in getattr(element, attr, []) if not u.startswith(APP_STATIC)]
    for child in getattr(element, "_children", {}).values():
        urls += external_urls(child)
    return urls
