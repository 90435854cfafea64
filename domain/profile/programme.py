"""« Ce que le programme fait ici »: the programme's actions linked to a commune, an EPCI's communes
or a cité's commune, grouped by theme with their amounts and status, and the indicators of
``indicators.csv`` scoped to that commune or EPCI. Every line names its document and section."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.text import format_int, format_number
from core.vocab import NON_RENSEIGNE
from domain.actiondates import french_fuzzy_date
from domain.actions import DATE_KINDS, SUM_METHOD, THEMES, Actions, load_actions
from domain.territory import member_communes
from geo.load import Territory


@dataclass(frozen=True)
class ActionLine:
    id: str
    nom: str
    communes: str
    statut: str
    montant: str  # the amount counted for the action, or « non renseigné »
    dates: str  # « Début : 2023 · Livraison ou mise en service : automne 2026 », or « non renseigné »
    source: str  # « seed-001, 3c. Améliorer l'accès à la santé »


@dataclass(frozen=True)
class IndicatorLine:
    label: str
    value: str
    date: str
    source: str
    quote: str


@dataclass(frozen=True)
class ProgrammeHere:
    scope: str  # « la commune », « les communes de l'EPCI », « la commune de la cité »
    themes: tuple[tuple[str, tuple[ActionLine, ...]], ...]  # (theme label, its actions), themes in order
    total: str  # « 3 actions, dont 2 avec un montant (193 900 000 €) »
    indicators: tuple[IndicatorLine, ...]
    doc_ids: tuple[str, ...] = ()  # the documents its lines cite
    method: str = SUM_METHOD

    @property
    def count(self) -> int:
        return sum(len(lines) for _, lines in self.themes)


SCOPES = {"commune": "la commune", "epci": "les communes de l'EPCI", "cite": "la commune de la cité"}


def _communes(t: Territory, kind: str, ref: str) -> set[str]:
    if kind == "cite":
        return set(t.cites.loc[t.cites["id"] == ref, "insee"])
    return member_communes(t, kind, ref)


def _dates(facts: pd.DataFrame) -> str:
    rows = facts[facts["kind"].isin(list(DATE_KINDS))]
    text = " · ".join(f"{DATE_KINDS[f.kind]} : {french_fuzzy_date(f.valeur)}" for f in rows.itertuples(index=False))
    return text or NON_RENSEIGNE


def _wholly_in(a: pd.Series, insee: set[str]) -> bool:
    return set(a["communes"].split("|")) <= insee


def _line(actions: Actions, a: pd.Series, insee: set[str]) -> ActionLine:
    amount = NON_RENSEIGNE if pd.isna(a["montant"]) else f"{format_int(int(a['montant']))} €"
    if not pd.isna(a["montant"]) and not _wholly_in(a, insee):
        amount += f" (pour l'ensemble de l'action, {a['n_communes']} communes ; non compté ici)"
    return ActionLine(
        a["id"],
        a["nom"],
        a["communes_noms"],
        a["statut"],
        amount,
        _dates(actions.facts_of(a["id"])),
        f"{a['document']}, {a['section']}",
    )


def _indicators(t: Territory, kind: str, ref: str, insee: set[str]) -> tuple[IndicatorLine, ...]:
    scopes = {f"commune:{c}" for c in insee} | ({f"epci:{ref}"} if kind == "epci" else set())
    rows = t.indicators[t.indicators["scope"].isin(scopes)]
    out = []
    for r in rows.itertuples(index=False):
        try:
            value = f"{format_number(float(r.value))} {r.unit}".strip()
        except ValueError:
            value = f"{r.value} {r.unit}".strip()
        out.append(IndicatorLine(r.label_fr, value, french_fuzzy_date(r.as_of), f"{r.doc_id}, {r.section}", r.quote))
    return tuple(out)


def programme_here(t: Territory, kind: str, ref: str, *, actions: Actions | None = None) -> ProgrammeHere:
    actions = actions if actions is not None else load_actions()
    insee = _communes(t, kind, ref)
    here = actions.in_communes(insee)
    groups = tuple(
        (label, tuple(_line(actions, a, insee) for _, a in here[here["theme"] == theme].iterrows()))
        for theme, label in THEMES.items()
        if (here["theme"] == theme).any()
    )
    own = here[here.apply(lambda a: _wholly_in(a, insee), axis=1)] if len(here) else here
    amounts = own["montant"].dropna()
    total = f"{len(here)} action(s) ; {len(amounts)} montant(s) propre(s) à ce territoire"
    if len(amounts):
        total += f", {format_int(int(amounts.sum()))} € au total"
    shared = int(here["montant"].notna().sum()) - len(amounts)
    if shared:
        total += f" ; {shared} action(s) partagée(s) avec d'autres communes, montant non réparti"
    indicators = _indicators(t, kind, ref, insee)
    docs = [*here["document"], *(i.source.split(",")[0] for i in indicators)]
    return ProgrammeHere(SCOPES[kind], groups, total, indicators, tuple(sorted(set(docs))))
