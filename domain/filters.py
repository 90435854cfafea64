"""Filtering cités: one typed filter shared by the map, the table, the counts and the exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import pandas as pd

# Facet name -> column of the cités frame. Booleans are shown as « oui » / « non ».
FACETS: dict[str, str] = {
    "statut": "statut",
    "bailleur": "bailleur",
    "epci": "epci_nom",
    "commune": "commune",
    "unesco": "unesco",
    "patrimoine": "interet_patrimonial",
    "premieres_operations": "premieres_operations",
}

FACET_LABELS: dict[str, str] = {
    "statut": "Statut",
    "bailleur": "Bailleur",
    "epci": "EPCI",
    "commune": "Commune",
    "unesco": "Dans le bien inscrit UNESCO (patrimoine mondial)",
    "patrimoine": "Intérêt patrimonial (Mission Bassin Minier)",
    "premieres_operations": "Parmi les premières opérations 2018-2019",
}


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


@dataclass(frozen=True)
class CiteFilter:
    """Selected values per facet; an empty selection means « all »."""

    statut: tuple[str, ...] = ()
    bailleur: tuple[str, ...] = ()
    epci: tuple[str, ...] = ()
    commune: tuple[str, ...] = ()
    unesco: tuple[str, ...] = ()
    patrimoine: tuple[str, ...] = ()
    premieres_operations: tuple[str, ...] = ()

    def selected(self, facet: str) -> tuple[str, ...]:
        return getattr(self, facet)

    def with_facet(self, facet: str, values: Iterable[str]) -> CiteFilter:
        return replace(self, **{facet: tuple(values)})

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def describe(self) -> str:
        """French summary for exports and captions."""
        parts = [f"{FACET_LABELS[f]} : {', '.join(self.selected(f))}" for f in FACETS if self.selected(f)]
        return " ; ".join(parts) if parts else "aucun filtre (toutes les cités)"


# Facets whose cités may hold several values: a cité named « SOMAIN / ABSCON » by the inventory is
# in both communes (and both EPCI), so it is found and counted under each.
MULTI_VALUED: dict[str, str] = {"commune": "communes_noms", "epci": "epci_noms"}


def facet_options(cites: pd.DataFrame, facet: str) -> pd.Series:
    """Every value of the facet for every cité, as a list of the texts shown to the user."""
    column = MULTI_VALUED.get(facet)
    if column and column in cites.columns:
        return cites[column].fillna("").astype(str).str.split("|").map(lambda vs: [v for v in vs if v])
    return facet_values(cites, facet).map(lambda v: [v])


def facet_values(cites: pd.DataFrame, facet: str) -> pd.Series:
    """The facet's value for every cité, as the text shown to the user (the point's commune or EPCI
    for a multi-valued facet; :func:`facet_options` gives them all)."""
    return cites[FACETS[facet]].map(_as_text)


def apply(cites: pd.DataFrame, flt: CiteFilter, *, skip: str | None = None) -> pd.DataFrame:
    """The cités matching every facet of ``flt`` (all but ``skip``, for faceted counts)."""
    mask = pd.Series(True, index=cites.index)
    for facet in FACETS:
        chosen = flt.selected(facet)
        if chosen and facet != skip:
            wanted = set(chosen)
            mask &= facet_options(cites, facet).map(lambda vs, wanted=wanted: bool(wanted.intersection(vs)))
    return cites[mask]


def facet_counts(cites: pd.DataFrame, flt: CiteFilter, facet: str) -> dict[str, int]:
    """How many cités each option would hold, given the other facets' selections.

    Every option ever possible is listed (with 0 when the other filters exclude it), so
    the options stay stable while the user filters and a selection is never dropped. A cité
    in two communes counts once under each.
    """
    universe = sorted(set(facet_options(cites, facet).explode().dropna()), key=_option_order(facet))
    subset = facet_options(apply(cites, flt, skip=facet), facet).explode().value_counts()
    return {v: int(subset.get(v, 0)) for v in universe}


def _option_order(facet: str):
    if facet == "statut":
        from core.vocab import STATUSES

        return lambda v: (STATUSES.index(v) if v in STATUSES else 99, v)
    return lambda v: v.casefold()
