"""Which communes and EPCI a cité belongs to: every one its inventory names (« SOMAIN / ABSCON »),
not only the one holding its point, so that it counts and shows in each of their sheets."""

from __future__ import annotations

import pandas as pd

SEP = "|"


def _members(cites: pd.DataFrame, column: str, fallback: str) -> pd.Series:
    """Each cité's member codes as a list (the point's commune alone for data built without them)."""
    if column in cites.columns:
        return cites[column].fillna("").astype(str).str.split(SEP).map(lambda codes: [c for c in codes if c])
    return cites[fallback].astype(str).map(lambda code: [code])


def cites_of_commune(cites: pd.DataFrame, insee: str) -> pd.DataFrame:
    """The cités that lie, wholly or partly, in commune ``insee``."""
    return cites[_members(cites, "insee_communes", "insee").map(lambda codes: insee in codes)]


def cites_of_epci(cites: pd.DataFrame, siren: str) -> pd.DataFrame:
    """The cités that lie, wholly or partly, in EPCI ``siren``."""
    return cites[_members(cites, "epci_sirens", "epci_siren").map(lambda codes: siren in codes)]


def communes_of_cite(cites: pd.DataFrame, cite_id: str) -> set[str]:
    rows = cites[cites["id"] == cite_id]
    return {code for codes in _members(rows, "insee_communes", "insee") for code in codes}


def cite_count_by_commune(cites: pd.DataFrame) -> pd.Series:
    """Number of cités per INSEE code, a multi-commune cité counted in each of its communes."""
    return _members(cites, "insee_communes", "insee").explode().value_counts()


def housing_by_commune(cites: pd.DataFrame) -> pd.Series:
    """Known housing counts per INSEE code. A multi-commune cité's count is the whole cité's (the
    sources never split it by commune), so it is added to each of its communes, as its sheet says."""
    frame = cites.assign(_codes=_members(cites, "insee_communes", "insee")).explode("_codes")
    known = frame[frame["logements"].notna()]
    return known.groupby("_codes")["logements"].sum()
