"""Search communes, EPCI and cités by name or code, accents and case optional."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.text import search_key
from domain.actions import search_rows as action_rows
from geo.load import Territory

Kind = Literal["commune", "epci", "cite", "action"]
KIND_LABELS: dict[str, str] = {"commune": "commune", "epci": "EPCI", "cite": "cité", "action": "action du programme"}


# The names people use for the EPCI of the basin (acronyms, former and short names), by SIREN: a
# search for « CAPH » or « Douaisis Agglo » finds the EPCI whose official name does not say it.
EPCI_ALIASES: dict[str, tuple[str, ...]] = {
    "245901152": ("Cœur d'Ostrevent", "Coeur d'Ostrevent", "CCCO"),
    "200044618": ("CA du Douaisis", "Douaisis Agglo", "CAD"),
    "245901160": ("CAVM", "Valenciennes Métropole"),
    "246200299": ("CAHC", "Hénin-Carvin"),
    "200072460": ("CABBALR", "Béthune-Bruay"),
    "246200364": ("CALL", "Lens-Liévin"),
    "200042190": ("CAPH", "Porte du Hainaut"),
}


@dataclass(frozen=True)
class SearchHit:
    kind: Kind
    ref: str
    label: str
    score: int


def search(t: Territory, query: str, *, limit: int = 12) -> list[SearchHit]:
    """Hits for ``query``, best first: exact code, then name prefix, then word prefix, then substring."""
    q = search_key(query)
    if not q:
        return []
    rows: list[tuple[Kind, str, str, list[str], str]] = []
    for c in t.perimeter_communes.itertuples(index=False):
        rows.append(("commune", c.insee, f"{c.nom} ({c.insee}) — commune", [c.nom], c.insee))
    for e in t.epci.itertuples(index=False):
        aliases = EPCI_ALIASES.get(str(e.siren), ())
        short = f" ({aliases[0]})" if aliases and aliases[0].isupper() else ""
        rows.append(("epci", e.siren, f"{e.nom}{short} — EPCI", [e.nom, *aliases], e.siren))
    for c in t.cites.itertuples(index=False):
        names = [c.nom] + ([c.nom_2] if c.nom_2 else [])
        rows.append(("cite", c.id, f"{c.nom} ({c.commune}) — cité", names, c.id))
    rows += action_rows()
    hits: list[SearchHit] = []
    for kind, ref, label, names, code in rows:
        best = 0
        if q == code:
            best = 100
        for name in names:
            n = search_key(name)
            if n == q:
                best = max(best, 90)
            elif n.startswith(q):
                best = max(best, 70)
            elif any(w.startswith(q) for w in n.split()) or f" {q}" in f" {n}":
                best = max(best, 50)
            elif q in n:
                best = max(best, 30)
        if best:
            hits.append(SearchHit(kind, ref, label, best))
    hits.sort(key=lambda h: (-h.score, h.kind != "commune", search_key(h.label)))
    return hits[:limit]
