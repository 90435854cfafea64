"""The roads' own figures (cost, funders, dates), read in ``sources/road_facts.csv``: each one with
its document, section and verbatim quote, so the side panel and the fiche can show where it comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from core.text import format_int
from core.vocab import NON_RENSEIGNE

FIELD_LABELS = {
    "cout": "Coût",
    "financeur": "Financement",
    "debut": "Début des travaux",
    "achevement": "Achèvement",
    "en_cours": "Non achevé à cette date",
    "annonce": "Annonce (non confirmée)",
    "programme": "Programme d'ensemble",
    "investissement": "Investi",
    "autre": "Autre chiffre",
    "remarque": "Remarque",
}
_QUALIFIERS = ("plus de", "près de", "environ")


def read_road_facts(path: Path) -> pd.DataFrame:
    facts = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = sorted(set(facts["field"]) - set(FIELD_LABELS))
    if unknown:
        raise ValueError(f"{path.name} : champ(s) inconnu(s) {unknown} (admis : {', '.join(FIELD_LABELS)})")
    return facts


def euros(value: str, quote: str = "") -> str:
    """« 26 200 000 € », with the source's own qualifier (« près de 125 000 000 € »)."""
    word = next((q for q in _QUALIFIERS if q in quote.lower()), "")
    return f"{word} {format_int(float(value))} €".strip()


def _source(f: pd.Series) -> str:
    where = "données de référence" if f["doc_id"] == "reference" else f["doc_id"]
    return f"{where}, {f['section']}" if f["section"] else where


def _one(facts: pd.DataFrame, field: str) -> pd.Series | None:
    rows = facts[facts["field"] == field]
    return rows.iloc[0] if len(rows) else None


def figures_of(facts: pd.DataFrame) -> dict[str, object]:
    """The structured fields of one road (« non renseigné » where its facts are silent)."""
    cost, start, end = _one(facts, "cout"), _one(facts, "debut"), _one(facts, "achevement")
    funders = facts[facts["field"] == "financeur"]
    chiffres = [
        {
            "champ": FIELD_LABELS[f["field"]],
            "texte": " ; ".join(
                p
                for p in (
                    f["funder"],
                    euros(f["value_eur"], f["quote"]) if f["value_eur"] else "",
                    f["date_text"],
                    f["note"],
                )
                if p
            ),
            "source": _source(f),
            "citation": f["quote"],
        }
        for _, f in facts.iterrows()
    ]
    return {
        "cout": euros(cost["value_eur"], cost["quote"]) if cost is not None else NON_RENSEIGNE,
        "cout_eur": float(cost["value_eur"]) if cost is not None else None,
        "financeurs": " ; ".join(f"{f['funder']} : {euros(f['value_eur'], f['quote'])}" for _, f in funders.iterrows())
        or NON_RENSEIGNE,
        "debut": start["date_text"] if start is not None else NON_RENSEIGNE,
        "achevement": end["date_text"] if end is not None else NON_RENSEIGNE,
        "chiffres": json.dumps(chiffres, ensure_ascii=False),
    }


def road_figures(path: Path, road_ids: list[str]) -> dict[str, dict[str, object]]:
    """Every road's structured fields; a fact naming an unknown road is refused in French."""
    facts = read_road_facts(path)
    unknown = sorted(set(facts["road_id"]) - set(road_ids))
    if unknown:
        raise ValueError(f"{path.name} : projet(s) routier(s) inconnu(s) {unknown}")
    return {rid: figures_of(facts[facts["road_id"] == rid]) for rid in road_ids}
