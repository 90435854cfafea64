"""The programme's located actions: ``sources/actions.csv`` and ``sources/actions_faits.csv``
checked, then placed (``actions.parquet``, EPSG:2154, one point per action and commune).

No seed publishes a site's coordinates, so nearly every action is placed « position : commune »:
a conventional point inside the commune (shapely ``point_on_surface``), spread on a small ring when
several actions share a commune so that each stays clickable, and kept inside the commune.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from core.errors import Problem
from data.inputs import sources_dir
from domain.actiondates import parse_fuzzy_date
from domain.actions import ACTION_STATUSES, AMOUNT_NATURES, DATE_KINDS, POSITIONS, THEMES, summable_amounts
from geo.crs import LAMBERT93, WGS84
from geo.errors import DataFileError

RING_M = 350.0  # spacing of the actions sharing a commune: apart at city zoom, well inside the commune


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(sources_dir() / name, dtype=str, keep_default_na=False, encoding="utf-8")


def _action_problems(actions: pd.DataFrame, communes: set[str], documents: set[str]) -> list[Problem]:
    problems = []
    for pos, a in enumerate(actions.itertuples(index=False)):
        row = pos + 1
        checks = [
            (a.theme in THEMES, "theme", f"thème « {a.theme} » inconnu"),
            (a.statut in ACTION_STATUSES, "statut", f"statut « {a.statut} » inconnu"),
            (a.position in POSITIONS, "position", f"position « {a.position} » inconnue (site ou commune)"),
            (a.document in documents, "document", f"document « {a.document} » absent de documents.csv"),
            (bool(a.citation.strip()), "citation", "citation vide"),
            (a.position != "site" or bool(a.lat and a.lon), "lat", "position « site » sans coordonnées"),
            (not a.statut_citation or a.statut_document in documents, "statut_document", "document du statut inconnu"),
        ]
        problems += [Problem(msg, row, field) for ok, field, msg in checks if not ok]
        codes = [c for c in a.communes.split("|") if c]
        if not codes:
            problems.append(Problem("aucune commune", row, "communes"))
        problems += [Problem(f"code INSEE « {c} » inconnu", row, "communes") for c in codes if c not in communes]
    dup = actions["id"][actions["id"].duplicated()]
    problems += [Problem(f"identifiant en double : « {i} »", None, "id") for i in dup]
    return problems


def _fact_problems(facts: pd.DataFrame, ids: set[str], documents: set[str]) -> list[Problem]:
    problems = []
    for pos, f in enumerate(facts.itertuples(index=False)):
        row = pos + 1
        if f.action_id not in ids:
            problems.append(Problem(f"action « {f.action_id} » absente de actions.csv", row, "action_id"))
        if f.document not in documents:
            problems.append(Problem(f"document « {f.document} » absent de documents.csv", row, "document"))
        if f.kind == "montant":
            if not f.valeur.isdigit() or int(f.valeur) <= 0:
                problems.append(Problem(f"montant « {f.valeur} » : entier positif en euros attendu", row, "valeur"))
            if f.nature not in AMOUNT_NATURES:
                problems.append(Problem(f"nature « {f.nature} » inconnue", row, "nature"))
        elif f.kind in DATE_KINDS:
            try:
                if parse_fuzzy_date(f.valeur).precision != f.precision:
                    problems.append(Problem(f"précision « {f.precision} » ≠ celle de « {f.valeur} »", row, "precision"))
            except ValueError as err:
                problems.append(Problem(str(err), row, "valeur"))
        else:
            problems.append(Problem(f"type de fait « {f.kind} » inconnu", row, "kind"))
    return problems


def _spread(base: Point, area: BaseGeometry, k: int) -> Point:
    """The ``k``-th conventional point of a commune: its inner point, then rings around it."""
    if k == 0:
        return base
    ring = 1 + (k - 1) // 6
    angle = (k - 1) % 6 * math.pi / 3 + (ring % 2) * math.pi / 6
    for scale in (1.0, 0.5, 0.25):
        p = Point(base.x + RING_M * ring * scale * math.cos(angle), base.y + RING_M * ring * scale * math.sin(angle))
        if area.contains(p):
            return p
    return base


def build_actions(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    actions = _read("actions.csv")
    facts = _read("actions_faits.csv")
    documents = set(_read("documents.csv")["doc_id"])
    by_insee = communes.set_index("insee")
    problems = _action_problems(actions, set(by_insee.index), documents)
    if problems:
        raise DataFileError(str(sources_dir() / "actions.csv"), problems)
    problems = _fact_problems(facts, set(actions["id"]), documents)
    if problems:
        raise DataFileError(str(sources_dir() / "actions_faits.csv"), problems)
    amounts = summable_amounts(facts)
    shared = set(facts.loc[facts["nature"] == "global", "action_id"])
    n_facts = facts["action_id"].value_counts()
    rows, used = [], {}
    for a in actions.itertuples(index=False):
        codes = [c for c in a.communes.split("|") if c]
        names = ", ".join(by_insee.loc[c, "nom"] for c in codes)
        for code in codes:
            commune = by_insee.loc[code]
            if a.position == "site":
                geom = gpd.GeoSeries([Point(float(a.lon), float(a.lat))], crs=WGS84).to_crs(LAMBERT93).iloc[0]
            else:
                k = used.get(code, 0)
                used[code] = k + 1
                geom = _spread(commune.geometry.point_on_surface(), commune.geometry, k)
            rows.append(
                {
                    "id": a.id,
                    "theme": a.theme,
                    "nom": a.nom,
                    "statut": a.statut,
                    "position": a.position,
                    "insee": code,
                    "commune": commune["nom"],
                    "epci_siren": commune["epci_siren"],
                    "epci_nom": commune["epci_nom"],
                    "communes": a.communes,
                    "communes_noms": names,
                    "n_communes": len(codes),
                    "document": a.document,
                    "section": a.section,
                    "citation": a.citation,
                    "statut_document": a.statut_document,
                    "statut_section": a.statut_section,
                    "statut_citation": a.statut_citation,
                    "note": a.note,
                    "montant": amounts.get(a.id, pd.NA),
                    "montant_global": a.id in shared,
                    "n_faits": int(n_facts.get(a.id, 0)),
                    "geometry": geom,
                }
            )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
    out["montant"] = out["montant"].astype("Int64")
    return out
