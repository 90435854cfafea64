"""How a cité's status is derived from dated facts (the statuses themselves are ``core.vocab``'s)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.vocab import NON_RENSEIGNE, STATUSES, UNDATED


@dataclass(frozen=True)
class DerivedStatus:
    status: str
    date: str | None
    doc_id: str | None
    quote: str | None
    date_note: str = ""


def document_dated(note: object) -> bool:
    """True when a fact's date is only its document's date (the fact itself is undated)."""
    return "date du document" in str(note or "")


def date_label(date: object, note: object) -> str:
    """A fact's date as a reader needs it: a document's date is only an upper bound."""
    date, note = str(date or ""), str(note or "")
    if not date:
        return note or "date non publiée"
    if document_dated(note):
        return f"au plus tard {date} ({note.split(':', 1)[-1].strip()})"
    return f"{date} ({note})" if note else date


def date_sort_key(value: object) -> str:
    """Partial ISO dates ('2019', '2019-06', '2019-06-14') sort correctly as strings once padded."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return ""
    text = str(value).strip()
    return (text + "-12-31")[:10] if len(text) == 4 else (text + "-31")[:10] if len(text) == 7 else text[:10]


def derive_status(facts: pd.DataFrame, *, as_of: str | None = None) -> DerivedStatus:
    """Status of one cité from its facts (columns status, fact_date, doc_id, quote).

    ``as_of`` (ISO date) ignores facts dated after it, so the map can show a past state.
    """
    if facts.empty or "status" not in facts:
        return DerivedStatus(NON_RENSEIGNE, None, None, None)
    rows = facts[facts["status"].isin(STATUSES[1:])].copy()
    rows["_key"] = rows["fact_date"].map(date_sort_key)
    rows["_rank"] = rows["status"].map(STATUSES.index)
    dated = rows[rows["_key"] != ""]
    if as_of:
        dated = dated[dated["_key"] <= date_sort_key(as_of)]
    if not dated.empty:
        best = dated.sort_values(["_key", "_rank"]).iloc[-1]
        if document_dated(best.get("date_note")):
            # A document's date only bounds the fact; a fact dated on its own wins for the same status.
            own = dated[(dated["status"] == best["status"]) & ~dated["date_note"].map(document_dated)]
            if not own.empty:
                best = own.sort_values("_key").iloc[-1]
        return DerivedStatus(
            str(best["status"]),
            str(best["fact_date"]),
            str(best["doc_id"]),
            str(best["quote"]),
            str(best.get("date_note", "") or ""),
        )
    undated = rows[rows["_key"] == ""]
    if undated.empty or as_of:
        # An undated fact cannot be placed before a past date: the past view stays honest.
        return DerivedStatus(NON_RENSEIGNE, None, None, None)
    best = undated.sort_values("_rank").iloc[-1]
    return DerivedStatus(str(best["status"]), UNDATED, str(best["doc_id"]), str(best["quote"]))
