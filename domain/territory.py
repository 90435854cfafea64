"""« Mon territoire »: which communes a commune, an EPCI or a cité stands for on the map."""

from __future__ import annotations

import geopandas as gpd

from domain.membership import communes_of_cite
from geo.load import Territory

KINDS = {"commune": "Commune", "epci": "EPCI", "cite": "Cité"}


def choices(t: Territory, kind: str) -> dict[str, str]:
    """Id -> label of every territory of ``kind``, sorted by label."""
    if kind == "commune":
        rows = t.perimeter_communes.sort_values("nom")
        return {r.insee: f"{r.nom} ({r.insee})" for r in rows.itertuples(index=False)}
    if kind == "epci":
        rows = t.epci.sort_values(["signataire", "nom"], ascending=[False, True])
        return {r.siren: r.nom + ("" if r.signataire else " (non signataire)") for r in rows.itertuples(index=False)}
    if kind == "cite":
        rows = t.cites.sort_values("nom")
        return {r.id: f"{r.nom} ({r.commune})" for r in rows.itertuples(index=False)}
    raise KeyError(kind)


def member_communes(t: Territory, kind: str, ref: str) -> set[str]:
    """INSEE codes of the perimeter communes to highlight for this territory."""
    communes = t.perimeter_communes
    if kind == "commune":
        return {ref} & set(communes["insee"])
    if kind == "epci":
        return set(communes.loc[communes["epci_siren"] == ref, "insee"])
    if kind == "cite":
        return communes_of_cite(t.cites, ref) & set(communes["insee"])
    raise KeyError(kind)


ID_COLUMNS = {
    "commune": ("communes", "insee"),
    "epci": ("epci", "siren"),
    "cite": ("cites", "id"),
    "route": ("roads", "id"),
    "bud": ("bud_zone", "statut"),
}


def feature_frame(t: Territory, kind: str, ref: str) -> gpd.GeoDataFrame:
    """The row(s) of the layer behind a feature kind (empty when ``ref`` is unknown).

    An EPCI is its dissolved polygon, so its extent covers all its communes, in the
    perimeter or not.
    """
    if kind == "action":
        from domain.actions import load_actions

        points = load_actions().points
        return points[points["id"] == ref]
    layer, column = ID_COLUMNS[kind]
    frame = getattr(t, layer)
    return frame[frame[column] == ref]
