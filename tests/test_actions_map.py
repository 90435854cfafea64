"""The « Actions du programme » layer, its filters, its side-panel record and the search."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.actions import ActionFilter, facet_counts, load_actions
from domain.records import record
from domain.search import search
from domain.urlstate import DEFAULT_LAYERS, LAYER_KEYS
from geo.crs import to_display
from geo.load import load_territory
from layers import actions as layer
from layers.style import style_json

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def actions():
    return load_actions(data_dir=DATA)


@pytest.fixture(scope="module")
def territory():
    return load_territory(data_dir=DATA)


def test_every_theme_has_its_own_glyph_and_colour() -> None:
    assert len(set(layer.THEME_GLYPHS.values())) == len(layer.THEME_GLYPHS) == 8
    assert len(set(layer.THEME_COLORS.values())) == 8


def test_circles_go_in_the_bundle_glyphs_with_each_run_and_a_legend_per_theme(actions) -> None:
    built = layer.build(to_display(actions.points), total=120)
    assert (built.key, built.title, built.feature_count) == ("actions", "Actions du programme", 171)
    assert set(built.features) == {"actions_glyphes"} and built.state == {}
    circles = layer.bundle_features(to_display(actions.points))["features"]
    glyphs = built.features["actions_glyphes"]["features"]
    assert len(circles) == len(glyphs) == 171
    hospital = next(f["properties"] for f in circles if f["properties"]["ref"] == "hopital-lens")
    assert hospital["kind"] == "action"
    assert hospital["montant_txt"] == "193\u202f900\u202f000 €"
    assert glyphs[0]["properties"] == {"glyph": "⌂"}
    assert hospital["position"] == "commune"
    assert {f["properties"]["glyph"] for f in glyphs} == set(layer.THEME_GLYPHS.values())
    labels = [e.label for e in built.legend.entries]
    assert labels[2] == "✚ Santé et sport (36)"
    assert built.legend.title == "Actions du programme (120 sur 120 affichées)"


def test_position_commune_is_drawn_with_a_dashed_ring() -> None:
    site = layer.STYLE.look(position="site")
    commune = layer.STYLE.look(position="commune")
    assert site.stroke.dash is None and commune.stroke.dash == (3, 2)
    assert style_json(layer.GLYPH_STYLE)["interactive"] is False


def test_filters_count_each_value_among_the_other_facet(actions) -> None:
    table = actions.table
    flt = ActionFilter().with_facet("theme", ["santé"])
    assert len(flt.apply(table)) == 36
    by_status = facet_counts(table, flt, "statut")
    assert sum(by_status.values()) == 36
    assert by_status["études"] == 13  # the 13 health centres whose project was validated in 2019
    by_theme = facet_counts(table, flt, "theme")
    assert by_theme["mobilité"] == 15  # the theme facet ignores its own selection
    built = layer.build(to_display(flt.apply(actions.points)), total=120, filtered=True)
    assert built.legend.title == "Actions du programme (36 sur 120 affichées)"
    assert built.state["dim"] is True and len(built.state["highlight"]) == 36  # the others drawn empty
    assert len(built.features["actions_glyphes"]["features"]) == 44  # 36 actions, linked to 44 communes
    hidden = layer.STYLE.variant(state="dimmed")
    assert (hidden.radius, hidden.fill.opacity, hidden.stroke.opacity) == (0.1, 0, 0)


def test_the_panel_record_gives_amounts_dates_and_sources(territory) -> None:
    rec = record(territory, "action", "ligne-lourches-valenciennes")
    facts = {f.label: f for f in rec.facts}
    assert rec.title == "Régénération de la ligne ferroviaire Lourches – Valenciennes"
    assert facts["Montant retenu pour les totaux"].value == "31\u202f194\u202f000 €"
    assert facts["Montant (État)"].value == "5\u202f470\u202f000 €"
    assert "non additionné" in facts["Montant d'ensemble (plusieurs actions)"].value
    assert facts["Début prévue par le document (précision : année)"].value == "2020"
    assert {r[2] for r in rec.related} == {"Lourches", "Valenciennes"}
    assert record(territory, "action", "nope") is None


def test_search_finds_actions_by_name(territory) -> None:
    hits = [h for h in search(territory, "micro-lycée") if h.kind == "action"]
    assert [h.ref for h in hits] == ["micro-lycee-lievin"]
    assert hits[0].label == "Micro-lycée de Liévin (45 places) — action du programme"


def test_the_actions_layer_is_a_known_and_default_layer() -> None:
    assert "actions" in LAYER_KEYS and "actions" in DEFAULT_LAYERS


def test_mon_territoire_lists_what_the_programme_does_here(territory) -> None:
    from domain.profile import profile

    here = profile(territory, "commune", "59172").programme  # Denain
    assert here.count == 11
    themes = dict(here.themes)
    assert [a.nom for a in themes["Économie et foncier"]][
        0
    ] == "Requalification de la friche des Pierres Blanches (ZAC, 80 ha)"
    acv = next(a for a in themes["Centralités"] if a.id == "action-coeur-de-ville")
    assert "7 communes ; non compté ici" in acv.montant  # a shared amount is not summed for one town
    assert here.total.startswith(
        "11 action(s) ; 2 montant(s) propre(s) à ce territoire, 5\u202f660\u202f000 € au total"
    )
    labels = [i.label for i in here.indicators]
    assert "Échangeur n°31 de l'A21 à Denain : financement de l'État" in labels
    caph = profile(territory, "epci", "200042190").programme
    assert caph.count == 20 and "seed-000" in caph.doc_ids
