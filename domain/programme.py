"""Programme indicators as time series, each point with its document, section and date."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.text import is_yes
from domain.provenance import describe_document
from geo.load import Territory


@dataclass(frozen=True)
class SeriesSpec:
    indicator: str
    title: str
    target: float | None = None
    target_year: int | None = None
    definition: str = ""
    unit: str = ""


def period_end(as_of: str) -> pd.Timestamp:
    """Last day of the period a partial date names: « 2019 » -> 2019-12-31, « 2019-06 » -> 2019-06-30."""
    return pd.Period(as_of).end_time.normalize()


def date_label(as_of: str, date_text: str = "") -> str:
    """The date as the document words it (« mi-2025 », « année scolaire 2020-2021 »), else ``as_of``."""
    return date_text.strip() or as_of


def charted_series(t: Territory, *, scope: str = "programme") -> list[SeriesSpec]:
    """Indicators worth a chart: points in two years or more, of one measure and one unit."""
    rows = t.indicators[(t.indicators["scope"] == scope) & (t.indicators["as_of"] != "")]
    specs = []
    for indicator, points in rows.groupby("indicator", sort=False):
        # Two dates in one year (« 2018-06-05 » and « 2018 ») may be the same date told at two
        # precisions: two sources disagreeing on one list (7 300 or 7 200 logements) are no trend.
        years = points["as_of"].str[:4].nunique()
        if years < 2 or points["unit"].nunique() != 1 or points["definition"].nunique() != 1:
            continue
        first = points.iloc[0]
        target = pd.to_numeric(points["target"], errors="coerce").dropna()
        year = pd.to_numeric(points["target_year"], errors="coerce").dropna()
        specs.append(
            SeriesSpec(
                str(indicator),
                f"{first['label_fr']} ({first['unit']})",
                float(target.iloc[0]) if len(target) else None,
                int(year.iloc[0]) if len(year) and len(target) else None,
                str(first["definition"]),
                str(first["unit"]),
            )
        )
    return specs


def single_facts(t: Territory) -> pd.DataFrame:
    """Every point that no chart shows, as a searchable table of facts with its source."""
    charted = {s.indicator for s in charted_series(t)}
    rows = t.indicators[~((t.indicators["scope"] == "programme") & t.indicators["indicator"].isin(charted))]
    return pd.DataFrame(
        {
            "Indicateur": rows["label_fr"],
            "Valeur": rows["value"].astype(float),
            "Unité": rows["unit"],
            "Date": [date_label(a, d) or "non daté" for a, d in zip(rows["as_of"], rows["date_text"], strict=True)],
            "Portée": rows["scope"],
            "Définition": rows["definition"],
            "Source": [describe_document(t, d, short=True) for d in rows["doc_id"]],
            "Section": rows["section"],
            "Citation": rows["quote"],
        }
    ).reset_index(drop=True)


def series(t: Territory, indicator: str, *, scope: str = "programme") -> pd.DataFrame:
    """Dated points of one indicator: ``date`` (end of the period named), value, source, quote."""
    rows = t.indicators[(t.indicators["indicator"] == indicator) & (t.indicators["scope"] == scope)].copy()
    rows = rows[rows["as_of"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=["date", "periode", "valeur", "approx", "source", "section", "citation", "label"])
    out = pd.DataFrame(
        {
            # « 2022 » is plotted at the end of 2022: the figures are cumulative « fin 2022 » or « en 2022 ».
            "date": rows["as_of"].map(period_end),
            "periode": [date_label(a, d) for a, d in zip(rows["as_of"], rows["date_text"], strict=True)],
            "valeur": rows["value"].astype(float),
            "approx": rows["approx"].map(is_yes),
            "qualificatif": [qualifier(q, is_yes(a)) for q, a in zip(rows["quote"], rows["approx"], strict=True)],
            "date_txt": [
                as_of_label(a, n, date_text=d)
                for a, n, d in zip(rows["as_of"], rows["note"], rows["date_text"], strict=True)
            ],
            "source": [describe_document(t, d, short=True) for d in rows["doc_id"]],
            "section": rows["section"],
            "citation": rows["quote"],
            "label": rows["label_fr"],
        }
    )
    return out.sort_values("date").reset_index(drop=True)


def epci_breakdown(t: Territory) -> pd.DataFrame:
    """Every EPCI-scoped figure, with « non renseigné » rows for signatory EPCI the sources do not cover."""
    rows = t.indicators[t.indicators["scope"].str.startswith("epci:")].copy()
    rows["siren"] = rows["scope"].str.split(":").str[1]
    names = t.epci.set_index("siren")["nom"]
    rows["EPCI"] = rows["siren"].map(names).fillna(rows["siren"])
    table = pd.DataFrame(
        {
            "EPCI": rows["EPCI"],
            "Indicateur": rows["label_fr"],
            "Valeur": rows["value"].astype(float),
            "Unité": rows["unit"],
            "Date": [date_label(a, d) or "non datée" for a, d in zip(rows["as_of"], rows["date_text"], strict=True)],
            "Source": [describe_document(t, d, short=True) for d in rows["doc_id"]],
        }
    )
    covered = set(rows["siren"])
    missing = t.epci[t.epci["signataire"] & ~t.epci["siren"].isin(covered)]
    gaps = pd.DataFrame(
        {
            "EPCI": missing["nom"],
            "Indicateur": "aucun chiffre propre à cet EPCI dans les sources",
            "Valeur": float("nan"),
            "Unité": "",
            "Date": "non renseigné",
            "Source": "",
        }
    )
    return pd.concat([table, gaps], ignore_index=True).sort_values(["EPCI", "Indicateur"]).reset_index(drop=True)


_QUALIFIERS = ("plus de", "près de", "environ", "au moins", "presque", "quelque", "moins de")


def qualifier(quote: str, approx: bool) -> str:
    """The source's own word for an inexact figure (« plus de », « environ »…), or « ≈ » when it has none."""
    low = quote.lower()
    found = [(low.find(q), q) for q in _QUALIFIERS if q in low]
    if found:
        return min(found)[1]
    return "≈" if approx else ""


def as_of_label(as_of: str, note: str, *, date_text: str = "") -> str:
    """The date a figure describes; a document's date is said to be one, not passed off as the figure's."""
    if not as_of:
        return "non daté"
    if date_text.strip():
        return date_text.strip()
    if "date du document" in note:
        return f"{as_of} (date du document ; chiffre non daté dans le texte)"
    return as_of
