"""The map component's Python side: what a click may select, what each run sends, and the base
map rendered through folium's and branca's public API."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from layers.assets import LEAFLET_CSS, LEAFLET_JS
from layers.map import Assets, MapView, build_map
from ui import mapcomponent
from ui.mapview import clicked_feature

ASSETS = Assets(
    bundle_url="/app/static/bundles/carte-0123456789abcdef.json",
    js_url="/app/static/bundles/carte-0123456789abcdef.js",
    css_url="/app/static/bundles/carte-0123456789abcdef.css",
)
VIEW = MapView((50.2, 2.3, 50.7, 3.7))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"clicked_feature": {"kind": "commune", "ref": "62498"}}, ("commune", "62498")),
        (SimpleNamespace(clicked_feature={"kind": "cite", "ref": "cite-012"}), ("cite", "cite-012")),
        ({"clicked_feature": None}, None),
        (None, None),
        ({"clicked_feature": "commune:62498"}, None),
        ({"clicked_feature": {"kind": "commune", "ref": 62498}}, None),
        ({"clicked_feature": {"kind": "", "ref": "62498"}}, None),
        ({"clicked_feature": {"kind": "commune", "ref": "6" * 65}}, None),
        ({"clicked_feature": {"kind": ["commune"], "ref": "62498"}}, None),
    ],
)
def test_only_a_well_formed_click_selects(state, expected) -> None:
    assert clicked_feature(state) == expected


def _base() -> mapcomponent.Rendered:
    return mapcomponent.Rendered(
        script="var map_div = L.map('map_div');",
        map_id="map_div",
        css_links=("/app/static/vendor/leaflet/leaflet.css",),
        js_links=("/app/static/bundles/carte-0123456789abcdef.js", "/app/static/vendor/leaflet/leaflet.js"),
        component_key="k1",
        prefetch=("/app/static/bundles/carte-fedcba9876543210.json",),
    )


def _sent(monkeypatch) -> dict:
    sent: dict = {}

    def component(**kwargs):
        sent.clear()
        sent.update(kwargs)
        return SimpleNamespace(clicked_feature=None)

    monkeypatch.setattr(mapcomponent, "_component", lambda: component)
    return sent


def test_each_run_sends_the_base_map_and_the_update_as_data(monkeypatch) -> None:
    sent = _sent(monkeypatch)
    base = _base()
    mapcomponent.show(base, {"state": {}, "features": {}, "legend": ""}, key="carte", height=680, on_click=print)
    assert sent["key"] == "carte"
    assert sent["on_clicked_feature_change"] is print
    assert "on_map_drawn_change" not in sent
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
    assert data["report_map_drawn"] is False
    mapcomponent.show(base, {}, key="carte", height=500, on_click=print, center=(50.43, 2.83), zoom=12)
    assert sent["data"]["view"] == {"center": [50.43, 2.83], "zoom": 12}


def test_a_first_view_asks_the_component_to_report_the_map_drawn(monkeypatch) -> None:
    sent = _sent(monkeypatch)
    mapcomponent.show(_base(), {}, key="carte", height=680, on_click=print, on_drawn=input)
    assert sent["data"]["report_map_drawn"] is True
    assert sent["on_map_drawn_change"] is input
    # The component's code sets exactly these values.
    code = mapcomponent.JS_PATH.read_text(encoding="utf-8")
    assert 'setTriggerValue("clicked_feature", feature)' in code
    assert 'setStateValue("map_drawn", true)' in code
    assert "data.report_map_drawn" in code


def test_base_map_script_files_and_key_come_from_folium_the_same_for_each_build() -> None:
    first = mapcomponent.render(build_map([], view=VIEW, assets=ASSETS), key="carte", prefetch=(ASSETS.bundle_url,))
    again = mapcomponent.render(build_map([], view=VIEW, assets=ASSETS), key="carte", prefetch=(ASSETS.bundle_url,))
    assert first == again
    assert first.map_id == "map_div"
    assert first.script.startswith("var map_div = L.map(\n")
    assert f'erbmInit(map, "{ASSETS.bundle_url}");' in first.script
    assert "let layer_control_div_" in first.script
    # Every element is named by its rank in the map's tree: no random id is left.
    assert not re.search(r"[0-9a-f]{32}", first.script)
    assert all(line and line == line.strip() for line in first.script.split("\n"))
    # The map's code before Leaflet (it starts fetching the geometries), then the styles.
    assert first.js_links == (ASSETS.js_url, LEAFLET_JS[0][1])
    assert first.css_links == (LEAFLET_CSS[0][1], ASSETS.css_url)
    assert first.prefetch == (ASSETS.bundle_url,)


def test_component_key_changes_with_what_the_component_mounts() -> None:
    key = mapcomponent.render(build_map([], view=VIEW, assets=ASSETS), key="carte").component_key
    other_key = mapcomponent.render(build_map([], view=VIEW, assets=ASSETS), key="autre").component_key
    other_code = Assets(ASSETS.bundle_url, ASSETS.js_url.replace("0123", "4567"), ASSETS.css_url)
    other_files = mapcomponent.render(build_map([], view=VIEW, assets=other_code), key="carte").component_key
    large = mapcomponent.render(build_map([], view=VIEW, assets=ASSETS, large_type=True), key="carte").component_key
    assert len({key, other_key, other_files, large}) == 4
