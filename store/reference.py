"""The build's values of the cités: the reference snapshot that seeds the store and follows rebuilds."""

from __future__ import annotations

import pandas as pd

from store.model import CiteValues


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)


def _count(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[arg-type]


def build_values(cites: pd.DataFrame) -> dict[str, CiteValues]:
    """One :class:`CiteValues` per cité of ``geo.load.load_territory().cites``.

    The frame's ``source`` column is the inventory's citation, not a planner's reference, so the
    build leaves the planners' ``source`` empty.
    """
    return {
        str(row.id): CiteValues(
            statut=_text(row.statut),
            statut_date=_text(row.statut_date),
            logements=_count(row.logements),
            source="",
            statut_source=_text(row.statut_source),
            logements_source=_text(row.logements_source),
        )
        for row in cites.itertuples(index=False)
    }


def cite_names(cites: pd.DataFrame) -> dict[str, str]:
    """The cités' names by id, as the map shows them: how a version's changes name each cité."""
    return dict(zip(cites["id"].astype(str), cites["nom"].astype(str), strict=True))


def build_label(built: str | None) -> str:
    """How the history names a build: its date when the manifest gives one."""
    return f"construction du {built}" if built else "construction des données"
