"""The profile of a commune: its record's facts, and how it compares with its EPCI and the perimeter."""

from __future__ import annotations

from domain.membership import cites_of_commune, cites_of_epci
from domain.profile.model import Comparison, Profile
from domain.profile.parts import (
    POP_SOURCE,
    advanced,
    assemble,
    bud_fact,
    cite_lines,
    classed_communes,
    documents_cited,
    housing,
    record_of,
    road_lines,
    share,
)
from domain.records import BUD_ACTS, MBM_DATE, MBM_INVENTORY, t_version
from geo.load import Territory


def _commune_comparisons(t: Territory, insee: str) -> tuple[Comparison, ...]:
    c = t.communes.set_index("insee").loc[insee]
    members = t.communes[t.communes["epci_siren"] == c["epci_siren"]]
    perim = t.perimeter_communes
    pop_src = POP_SOURCE.format(v=t_version(t))
    epci_pop, perim_pop = members["population"].sum(), perim["population"].sum()
    rank = int((members["population"] > c["population"]).sum()) + 1
    here, in_epci = cites_of_commune(t.cites, insee), cites_of_epci(t.cites, c["epci_siren"])
    return (
        Comparison(
            "Part de la population de l'EPCI",
            share(c["population"], epci_pop, "habitants"),
            f"population de la commune ÷ population des {len(members)} communes de l'EPCI ; "
            f"rang {rank} sur {len(members)} par population",
            pop_src,
        ),
        Comparison(
            "Part de la population du périmètre ERBM",
            share(c["population"], perim_pop, "habitants"),
            f"population de la commune ÷ population des {len(perim)} communes du périmètre",
            pop_src,
        ),
        Comparison(
            "Cités de l'inventaire",
            f"commune : {len(here)} · EPCI : {len(in_epci)} · périmètre : {len(t.cites)}",
            "une cité sur plusieurs communes (inventaire) est comptée dans chacune",
            f"{MBM_INVENTORY} ({MBM_DATE})",
        ),
        Comparison(
            "Cités dont l'avancement est renseigné",
            f"commune : {advanced(here)} sur {len(here)} · EPCI : {advanced(in_epci)} sur {len(in_epci)} · "
            f"périmètre : {advanced(t.cites)} sur {len(t.cites)}",
            "statut autre que « non renseigné » (études, travaux ou livrée), déduit des faits datés",
            "faits datés des documents cités",
        ),
        Comparison(
            "Logements des cités (nombres sourcés)",
            f"commune : {housing(here)} · EPCI : {housing(in_epci)} · périmètre : {housing(t.cites)}",
            "somme des logements des cités dont une source donne le nombre ; les autres ne sont pas comptées",
            "documents cités par cité",
        ),
        Comparison(
            "Communes classées BUD",
            f"commune : {c['bud_statut']} · EPCI : {len(classed_communes(members))} sur {len(members)} communes · "
            f"périmètre : {len(classed_communes(perim))} sur {len(perim)} communes",
            "communes classées (2018 ou 2019) ; les candidates au créneau « à confirmer » ne sont pas comptées",
            BUD_ACTS,
        ),
    )


def commune_profile(t: Territory, insee: str) -> Profile:
    rec = record_of(t, "commune", insee)
    c = t.communes.set_index("insee").loc[insee]
    facts = []
    for f in rec.facts:
        if f.label in ("Code INSEE", "Département"):
            continue  # in the subtitle
        facts.append(bud_fact(f, c["bud_methode"]) if f.label == "Bassin urbain à dynamiser" else f)
    dep = {"59": "Nord (59)", "62": "Pas-de-Calais (62)"}[c["dep"]]
    cites = cites_of_commune(t.cites, insee)
    return assemble(
        t,
        "commune",
        insee,
        title=rec.title,
        subtitle=f"Commune · code INSEE {insee} · {dep} · {c['epci_nom']}",
        facts=tuple(facts),
        cites=cite_lines(t, cites),
        roads=road_lines(t, c["geometry"]),
        comparisons=_commune_comparisons(t, insee),
        documents=documents_cited(t, cites),
    )
