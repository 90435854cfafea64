"""The side panel's record of a cité whose values a chargé de mission updated (domain/records.py)."""

from __future__ import annotations

import pytest

from domain.records import cite_record
from domain.versions import territory_at
from store import Store, build_values

CITE = "102"  # Cité des Alouettes: travaux logements, 139 logements in the build


@pytest.fixture()
def db(tmp_path, territory):
    store = Store(f"sqlite:///{(tmp_path / 'erbm.sqlite').as_posix()}")
    store.ensure_build(build_values(territory.cites), label="test")
    yield store
    store.close()


def _fact(record, label: str):
    return next(f for f in record.facts if f.label == label)


def test_a_housing_count_entered_with_the_status_quotes_the_planners_source(db, territory) -> None:
    db.apply(
        {CITE: {"statut": "livrée", "logements": 140, "source": "Courrier du bailleur du 3 mars"}},
        base_version=1,
        author="marie",
    )
    record = cite_record(territory_at(territory, db, 2), CITE)
    logements = _fact(record, "Logements")
    assert logements.value.startswith("140")
    assert logements.source.startswith("Mise à jour n° 2")
    assert logements.quote == "Courrier du bailleur du 3 mars"
    assert _fact(record, "Statut").quote == "Courrier du bailleur du 3 mars"


def test_a_housing_count_alone_quotes_the_overlays_logements_citation(db, territory) -> None:
    db.apply({CITE: {"logements": 140, "source": "Comité de suivi du 12 juin"}}, base_version=1, author="marie")
    t = territory_at(territory, db, 2)
    # What domain.versions.overlay_cites is asked to provide: the planner's source for a count they entered.
    cites = t.cites.copy()
    cites["logements_citation"] = ""
    cites.loc[cites["id"] == CITE, "logements_citation"] = "Comité de suivi du 12 juin"
    from dataclasses import replace

    record = cite_record(replace(t, cites=cites), CITE)
    assert _fact(record, "Logements").quote == "Comité de suivi du 12 juin"
    # The status is still the build's: it keeps the build's quote, not the planner's.
    assert _fact(record, "Statut").quote != "Comité de suivi du 12 juin"


def test_a_housing_count_alone_quotes_the_planners_source_end_to_end(db, territory) -> None:
    db.apply({CITE: {"logements": 140, "source": "Comité de suivi du 12 juin"}}, base_version=1, author="marie")
    record = cite_record(territory_at(territory, db, 2), CITE)
    assert _fact(record, "Logements").quote == "Comité de suivi du 12 juin"


def test_a_build_housing_count_has_no_planner_quote(db, territory) -> None:
    db.apply({CITE: {"statut": "livrée", "source": "Courrier"}}, base_version=1, author="marie")
    record = cite_record(territory_at(territory, db, 2), CITE)
    logements = _fact(record, "Logements")
    assert logements.value.startswith("139")
    assert logements.quote == ""
