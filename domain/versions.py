"""The cités as of one version of the planners' store: the build's frame with that version's values.

The store keeps only the editable values (``store.model.CiteValues``); everything else about a cité
comes from the build. A value a planner entered is sourced to its version, which becomes a document
of its own (``maj-<n>``) so that records, fiches and the Sources page cite it like any other source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import geopandas as gpd
import pandas as pd

from core.vocab import PARIS
from store.merge import PLANNER_PREFIX, is_planner_value, planner_source
from store.model import KIND_LABELS

if TYPE_CHECKING:
    from geo.load import Territory
    from store import Store


class VersionLike(Protocol):
    number: int
    created_at: datetime
    author: str
    note: str
    kind: str


class ValuesLike(Protocol):
    statut: str
    statut_date: str
    logements: int | None
    source: str
    statut_source: str
    logements_source: str


def local_date(when: datetime) -> str:
    """The version's day in Paris, ISO: what the planners and the readers call its date."""
    return when.astimezone(PARIS).date().isoformat()


def version_label(v: VersionLike) -> str:
    """« version 12 du 22/11/2026 14:05 (marie) » for captions and export stamps."""
    when = v.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    return f"version {v.number} du {when} ({v.author})"


def version_documents(versions: Iterable[VersionLike]) -> pd.DataFrame:
    """One document row per planner version, in the columns of ``data/sources/documents.csv``."""
    rows = [
        {
            "doc_id": planner_source(v.number),
            "title": f"Mise à jour n° {v.number} de Carte ERBM ({KIND_LABELS.get(v.kind, v.kind)})",
            "publisher": f"saisie par {v.author}",
            "published": local_date(v.created_at),
            "kind": "mise à jour",
            "location": "historique des versions (page Historique)",
            "note": v.note,
        }
        for v in versions
        if v.kind not in ("initial", "build")
    ]
    return pd.DataFrame(rows, columns=["doc_id", "title", "publisher", "published", "kind", "location", "note"])


def overlay_cites(
    cites: gpd.GeoDataFrame,
    values: Mapping[str, ValuesLike],
    versions: Mapping[int, VersionLike],
) -> gpd.GeoDataFrame:
    """``cites`` with the statut, date and housing count of one version's snapshot.

    A cité absent from the snapshot keeps its build values. A value whose source is a planner
    version carries that version as its source, the planner's own reference as its quote, and
    the version's date, as an upper bound, when the planner gave none.
    """
    out = cites.copy()
    # The planner's reference for a count they entered (the build's counts have no quote).
    out["logements_citation"] = ""
    for pos, cite_id in enumerate(out["id"]):
        v = values.get(cite_id)
        if v is None:
            continue
        row = out.index[pos]
        build = cites.loc[row]
        statut_date = v.statut_date
        if is_planner_value(v.statut_source):
            out.at[row, "statut_citation"] = v.source
            number = int(v.statut_source.removeprefix(PLANNER_PREFIX))
            version = versions.get(number)
            out.at[row, "statut_date_note"] = ""
            if not statut_date and version is not None:
                # Like a seed fact with no date of its own: the version's date only bounds it.
                statut_date = local_date(version.created_at)
                out.at[row, "statut_date_note"] = (
                    f"pas de date propre au fait : date du document, mise à jour n° {number}"
                )
        elif (v.statut, v.statut_date, v.statut_source) != (
            build["statut"],
            build["statut_date"],
            build["statut_source"],
        ):
            # A build value of an older build: its quote and note belonged to other data.
            out.at[row, "statut_citation"] = ""
            out.at[row, "statut_date_note"] = ""
        out.at[row, "statut"] = v.statut
        out.at[row, "statut_date"] = statut_date
        out.at[row, "statut_source"] = v.statut_source
        out.at[row, "logements"] = pd.NA if v.logements is None else int(v.logements)
        if is_planner_value(v.logements_source):
            out.at[row, "logements_citation"] = v.source
            version = versions.get(int(v.logements_source.removeprefix(PLANNER_PREFIX)))
            when = local_date(version.created_at) if version is not None else "date non précisée"
            out.at[row, "logements_source"] = f"{v.logements_source} ({when})"
        else:
            out.at[row, "logements_source"] = v.logements_source
        if v.logements is None:
            out.at[row, "logements_source"] = ""
    out["logements"] = out["logements"].astype("Int64")
    return out


def territory_at(t: Territory, db: Store, number: int) -> Territory:
    """``t`` with the cités' values of version ``number`` and the versions up to it as documents."""
    versions = {v.number: v for v in db.versions() if v.number <= number}
    cites = overlay_cites(t.cites, db.values(number), versions)
    documents = pd.concat([t.documents, version_documents(versions.values())], ignore_index=True)
    return replace(t, cites=cites, documents=documents)
