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


# The headline series of the programme page, in the order a council reads them.
HEADLINE: tuple[SeriesSpec, ...] = (
    SeriesSpec("logements_rehabilites", "Logements miniers réhabilités (cumul)", 23_000, 2027),
    SeriesSpec("subventions_rehabilitation_accordees", "Subventions accordées à la réhabilitation (euros)"),
    SeriesSpec("subventions_espaces_publics_accordees", "Subventions accordées aux espaces publics (euros)"),
    SeriesSpec("bud_entreprises_creees", "Entreprises créées ou implantées en zone BUD"),
    SeriesSpec("bud_emplois_crees", "Emplois liés aux entreprises de la zone BUD"),
    SeriesSpec("heures_insertion", "Heures d'insertion"),
)


def period_end(as_of: str) -> pd.Timestamp:
    """Last day of the period a partial date names: « 2019 » -> 2019-12-31, « 2019-06 » -> 2019-06-30."""
    return pd.Period(as_of).end_time.normalize()


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
            "periode": rows["as_of"],
            "valeur": rows["value"].astype(float),
            "approx": rows["approx"].map(is_yes),
            "qualificatif": [qualifier(q, is_yes(a)) for q, a in zip(rows["quote"], rows["approx"], strict=True)],
            "date_txt": [as_of_label(a, n) for a, n in zip(rows["as_of"], rows["note"], strict=True)],
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
            "Date": rows["as_of"].replace("", "non datée"),
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


def as_of_label(as_of: str, note: str) -> str:
    """The date a figure describes; a document's date is said to be one, not passed off as the figure's."""
    if not as_of:
        return "non daté"
    if "date du document" in note:
        return f"{as_of} (date du document ; chiffre non daté dans le texte)"
    return as_of
