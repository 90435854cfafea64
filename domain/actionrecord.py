"""The side panel's record of one programme action: every fact with its document, section and quote."""

from __future__ import annotations

import pandas as pd

from core.text import format_int
from core.vocab import NON_RENSEIGNE
from domain.actiondates import french_fuzzy_date, parse_fuzzy_date
from domain.actions import (
    ACTION_STATUSES,
    AMOUNT_NATURES,
    DATE_KINDS,
    POSITIONS,
    STATUS_NOTE,
    SUM_METHOD,
    THEMES,
    Actions,
    load_actions,
)
from domain.provenance import describe_document
from domain.records import Fact, Record
from geo.load import Territory


def _source(t: Territory, doc: str, section: str) -> str:
    return describe_document(t, doc) + (f", « {section} »" if section else "")


def _doc_date(t: Territory, doc: str) -> str:
    docs = t.documents.set_index("doc_id")
    return str(docs.loc[doc, "published"]) if doc in docs.index else ""


def _amount_facts(t: Territory, facts: pd.DataFrame) -> list[Fact]:
    out = []
    for f in facts[facts["kind"] == "montant"].itertuples(index=False):
        if f.nature == "global":
            label = f"Montant d'ensemble ({f.financeur or 'plusieurs actions'})"
        else:
            label = f"Montant ({f.financeur or AMOUNT_NATURES[f.nature]})"
        value = f"{format_int(int(f.valeur))} €" + (" — non additionné" if f.nature == "global" else "")
        out.append(Fact(label, value, _source(t, f.document, f.section), _doc_date(t, f.document), f.citation))
    return out


def is_forecast(t: Territory, value: str, doc: str) -> bool:
    """The date lies after the document that gives it: an announcement, not a fact of that date."""
    published = _doc_date(t, doc)
    if not published:
        return False
    return parse_fuzzy_date(value).start > parse_fuzzy_date(published).end


def _date_facts(t: Territory, facts: pd.DataFrame) -> list[Fact]:
    dated = facts[facts["kind"].isin(list(DATE_KINDS))]
    dated = dated.assign(_s=dated["valeur"].map(lambda v: parse_fuzzy_date(v).start)).sort_values("_s")
    return [
        Fact(
            f"{DATE_KINDS[f.kind]}{' prévue par le document' if is_forecast(t, f.valeur, f.document) else ''}"
            f" (précision : {f.precision})",
            french_fuzzy_date(f.valeur),
            _source(t, f.document, f.section),
            _doc_date(t, f.document),
            f.citation,
        )
        for f in dated.itertuples(index=False)
    ]


def action_record(t: Territory, action_id: str, *, actions: Actions | None = None) -> Record:
    """KeyError when ``action_id`` is not an action."""
    actions = actions if actions is not None else load_actions()
    a = actions.table.set_index("id").loc[action_id]
    facts = actions.facts_of(action_id)
    status_doc = a["statut_document"] or a["document"]
    status_quote = a["statut_citation"] or a["citation"]
    status_section = a["statut_section"] if a["statut_citation"] else a["section"]
    out = [
        Fact(
            "Ce que dit le document",
            a["nom"],
            _source(t, a["document"], a["section"]),
            _doc_date(t, a["document"]),
            a["citation"],
        ),
        Fact("Thème", THEMES[a["theme"]]),
        Fact(
            "Statut",
            ACTION_STATUSES[a["statut"]] if a["statut"] != NON_RENSEIGNE else NON_RENSEIGNE,
            _source(t, status_doc, status_section),
            _doc_date(t, status_doc),
            status_quote if a["statut"] != NON_RENSEIGNE else "",
        ),
        Fact("Communes", a["communes_noms"]),
        Fact("Position", POSITIONS[a["position"]]),
        Fact(
            "Montant retenu pour les totaux",
            NON_RENSEIGNE if pd.isna(a["montant"]) else f"{format_int(int(a['montant']))} €",
            SUM_METHOD,
        ),
        *(_amount_facts(t, facts) or [Fact("Montants", NON_RENSEIGNE)]),
        *(_date_facts(t, facts) or [Fact("Dates", NON_RENSEIGNE)]),
    ]
    rows = actions.points[actions.points["id"] == action_id]
    perimeter = set(t.perimeter_communes["insee"])
    related = tuple(("commune", r.insee, r.commune) for r in rows.itertuples(index=False) if r.insee in perimeter)
    notes = tuple(n for n in (a["note"], STATUS_NOTE) if n)
    return Record(
        "action", action_id, a["nom"], f"Action du programme · {THEMES[a['theme']]}", tuple(out), related, notes
    )
