"""The map component's Python side: what a click may select, what each run sends."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ui import mapcomponent
from ui.mapview import clicked_feature


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"clic": {"kind": "commune", "ref": "62498"}}, ("commune", "62498")),
        (SimpleNamespace(clic={"kind": "cite", "ref": "cite-012"}), ("cite", "cite-012")),
        ({"clic": None}, None),
        (None, None),
        ({"clic": "commune:62498"}, None),
        ({"clic": {"kind": "commune", "ref": 62498}}, None),
        ({"clic": {"kind": "", "ref": "62498"}}, None),
        ({"clic": {"kind": "commune", "ref": "6" * 65}}, None),
        ({"clic": {"kind": ["commune"], "ref": "62498"}}, None),
    ],
)
def test_only_a_well_formed_click_selects(state, expected) -> None:
    assert clicked_feature(state) == expected


def test_each_run_sends_the_base_map_and_the_update_as_data(monkeypatch) -> None:
    sent = {}

    def component(**kwargs):
        sent.update(kwargs)
        return SimpleNamespace(clic=None)

    monkeypatch.setattr(mapcomponent, "_component", lambda: component)
    base = mapcomponent.Rendered(
        script="var map_div = L.map('map_div');",
        header="",
        html="",
        map_id="map_div",
        css_links=("/app/static/vendor/leaflet/leaflet.css",),
        js_links=("/app/static/bundles/carte-0123456789abcdef.js", "/app/static/vendor/leaflet/leaflet.js"),
        component_key="k1",
        prefetch=("/app/static/bundles/carte-fedcba9876543210.json",),
    )
    mapcomponent.show(base, {"state": {}, "features": {}, "legend": ""}, key="carte", height=680, on_click=print)
    assert sent["key"] == "carte"
    assert sent["on_clic_change"] is print
    data = sent["data"]
    assert data["base"] == {
        "key": "k1",
        "id": "map_div",
        "script": "var map_div = L.map('map_div');",
        "css": ["/app/static/vendor/leaflet/leaflet.css"],
        "js": ["/app/static/bundles/carte-0123456789abcdef.js", "/app/static/vendor/leaflet/leaflet.js"],
        "prefetch": ["/app/static/bundles/carte-fedcba9876543210.json"],
    }
    assert data["view"] is None and data["height"] == 680
    mapcomponent.show(base, {}, key="carte", height=500, on_click=print, center=(50.43, 2.83), zoom=12)
    assert sent["data"]["view"] == {"center": [50.43, 2.83], "zoom": 12}
