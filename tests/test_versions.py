"""The cités as of a version: planner values sourced to their version, build values untouched."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pandas as pd

from domain.records import record
from domain.versions import overlay_cites, version_documents, version_label
from store import build_values


@dataclass(frozen=True)
class V:
    number: int
    created_at: datetime
    author: str
    note: str
    kind: str


VERSIONS = {
    1: V(1, datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "construction des données", "", "initial"),
    2: V(2, datetime(2026, 11, 21, 23, 30, tzinfo=UTC), "marie", "comité du 21/11", "import"),
}


def test_build_snapshot_gives_back_the_build(territory):
    out = overlay_cites(territory.cites, build_values(territory.cites), VERSIONS)
    assert set(out["logements_citation"]) == {""}
    pd.testing.assert_frame_equal(
        out.drop(columns=["geometry", "logements_citation"]).reset_index(drop=True),
        territory.cites.drop(columns="geometry").reset_index(drop=True),
    )


def test_planner_values_are_sourced_to_their_version(territory):
    values = build_values(territory.cites)
    values["20"] = replace(
        values["20"],
        statut="livrée",
        statut_date="",
        logements=212,
        source="courrier de Maisons et Cités <b>",
        statut_source="maj-2",
        logements_source="maj-2",
    )
    out = overlay_cites(territory.cites, values, VERSIONS).set_index("id")
    row = out.loc["20"]
    assert (row["statut"], row["logements"]) == ("livrée", 212)
    # 23:30 UTC on 21 November is already the 22nd in Paris: the date is the planners' day.
    assert row["statut_date"] == "2026-11-22"
    assert row["statut_date_note"] == "pas de date propre au fait : date du document, mise à jour n° 2"
    assert row["statut_citation"] == "courrier de Maisons et Cités <b>"
    assert row["logements_source"] == "maj-2 (2026-11-22)"
    assert row["logements_citation"] == "courrier de Maisons et Cités <b>"
    # Other cités keep their build values.
    assert out.loc["102", "statut"] == "travaux logements"
    assert out.loc["102", "logements"] == 139

    docs = pd.concat([territory.documents, version_documents(VERSIONS.values())], ignore_index=True)
    t = replace(territory, cites=out.reset_index(), documents=docs)
    facts = {f.label: f for f in record(t, "cite", "20").facts}
    assert facts["Statut"].value == "livrée"
    assert facts["Statut"].source == "Mise à jour n° 2 de Carte ERBM (import de fichier) (saisie par marie, 2026-11-22)"
    assert facts["Statut"].date == "au plus tard 2026-11-22 (date du document, mise à jour n° 2)"
    assert facts["Logements"].value == "212"


def test_version_documents_skip_build_versions():
    docs = version_documents(VERSIONS.values())
    assert docs["doc_id"].tolist() == ["maj-2"]
    assert docs.loc[0, "note"] == "comité du 21/11"
    assert version_label(VERSIONS[2]) == "version 2 du 22/11/2026 00:30 (marie)"


def test_a_value_cleared_by_a_planner_is_non_renseigne(territory):
    values = build_values(territory.cites)
    values["102"] = replace(values["102"], logements=None, logements_source="maj-2")
    out = overlay_cites(territory.cites, values, VERSIONS).set_index("id")
    assert pd.isna(out.loc["102", "logements"])
    assert out.loc["102", "logements_source"] == ""
