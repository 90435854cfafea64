"""State -> link -> state: the URL parameters restore exactly what was on screen."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest

from domain.filters import CiteFilter, apply
from domain.urlstate import ViewState, from_params, to_params


def roundtrip(state: ViewState, territory) -> tuple[ViewState, list[str], str]:
    query = urlencode(to_params(state, territory), doseq=True)
    back, warnings = from_params(parse_qs(query), territory)
    return back, warnings, query


def test_full_state_roundtrip(territory) -> None:
    state = ViewState(
        indicator="logements",
        basemap="ign",
        layers=("communes", "bud", "cites"),
        center=(50.42123, 2.77891),
        zoom=13,
        cite_filter=CiteFilter(
            statut=("travaux logements", "travaux espaces publics"),
            epci=("Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",),
            unesco=("oui",),
        ),
        selection=("cite", "552"),
    )
    back, warnings, query = roundtrip(state, territory)
    assert warnings == []
    assert back == state
    # Codes, not names, carry EPCI and communes: the comma in the EPCI name never reaches the URL.
    assert "epci_filtre=200072460" in query
    assert "cite=552" in query and "zoom=13" in query and "couches=communes%2Cbud%2Ccites" in query


def test_default_state_is_an_empty_query(territory) -> None:
    back, warnings, query = roundtrip(ViewState(), territory)
    assert query == ""
    assert back == ViewState() and warnings == []


def test_filtered_set_is_the_same_after_the_link(territory) -> None:
    flt = CiteFilter(bailleur=("SIA",), commune=("Raismes",))
    back, _, _ = roundtrip(ViewState(cite_filter=flt), territory)
    assert apply(territory.cites, back.cite_filter)["id"].tolist() == apply(territory.cites, flt)["id"].tolist()
    assert back.cite_filter.commune == ("Raismes",)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("indicateur=chomage", "Paramètre « indicateur » : valeur « chomage » ignorée"),
        ("statut=terminé", "Paramètre « statut » : valeur « terminé » ignorée (aucune cité ne porte cette valeur)"),
        ("commune=99999", "Paramètre « commune » : valeur « 99999 » ignorée (identifiant inconnu)"),
        ("zoom=40", "Paramètre « zoom » : valeur « 40 » ignorée"),
        ("lat=48.85&lon=2.35", "coordonnées hors du Nord et du Pas-de-Calais"),
        ("couches=communes,rivieres", "Paramètre « couches » : valeur « rivieres » ignorée"),
    ],
)
def test_bad_parameters_are_named_in_french_and_ignored(territory, query, expected) -> None:
    state, warnings = from_params(parse_qs(query), territory)
    assert len(warnings) == 1
    assert expected in warnings[0]
    assert state.selection is None


def test_hostile_values_are_ignored_and_shown_inert(territory) -> None:
    from ui.text import md_escape

    query = "cite=<script>alert(1)</script>&bailleur=${x}&commune=[Cliquez](https://phish.example)"
    state, warnings = from_params(parse_qs(query), territory)
    assert state.selection is None and state.cite_filter.is_empty()
    assert len(warnings) == 3
    shown = md_escape(" ".join(warnings), limit=500)
    assert "[Cliquez](https" not in shown and r"\[Cliquez\]\(https" in shown
    assert "<script>" not in shown and "${x}" not in shown


def test_unknown_parameter_names_are_reported(territory) -> None:
    _, warnings = from_params(parse_qs("foo=1&zoom=12"), territory)
    assert warnings == ["Paramètre inconnu « foo » ignoré."]


def test_bud_selection_survives_the_link(territory) -> None:
    state = ViewState(selection=("bud", "à confirmer"))
    back, warnings, query = roundtrip(state, territory)
    assert warnings == [] and back.selection == ("bud", "à confirmer")


def test_missing_longitude_is_named_not_printed_as_none(territory) -> None:
    _, warnings = from_params(parse_qs("lat=50.5"), territory)
    assert warnings == [
        "Paramètre « lat/lon » : valeur « 50.5/absente » ignorée (coordonnées hors du Nord et du Pas-de-Calais ou illisibles)."
    ]


def test_md_escape_keeps_addresses_from_becoming_links() -> None:
    from ui.text import md_escape

    out = md_escape("voir http://evil.example/a.png, www.x.fr ou a@b.fr [x](y)", limit=200)
    assert "://" not in out.replace("\u200b://", "")
    assert out == ("voir http\u200b://evil\\.example/a\\.png, www\u200b\\.x\\.fr ou a@\u200bb\\.fr \\[x\\]\\(y\\)")
