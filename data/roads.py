"""The road projects: facts in French with their sources, and an indicative trace through the
anchors, unless a user supplied a surveyed geometry (``python cli.py import-route``)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from core.vocab import NON_RENSEIGNE
from data.inputs import read_ref, sha256_of, sources_dir, supplied_roads_dir
from data.road_facts import road_figures
from geo.crs import LAMBERT93, WGS84
from geo.ops import line_through

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
        "statut": (
            "modification de l'échangeur achevée en mars 2022 ; desserte des Pierres Blanches ouverte en juin 2022"
        ),
    },
    {
        "id": "rn17",
        "nom": "RN17 – mise à 2×2 voies Avion–Vimy",
        "anchors_road": "RN17 2x2 voies Avion–Vimy",
        "infra_project": "RN17 2x2 voies Avion–Vimy",
        "maitre_ouvrage": "État",
        "longueur": "3,8 km",
        "statut": "section agricole ouverte le 31/07/2020 ; mise à 2×2 voies achevée en novembre 2021",
    },
    {
        "id": "contournement-nord-valenciennes",
        "nom": "Contournement nord de Valenciennes (Raismes – Saint-Saulve)",
        "anchors_road": "Contournement nord de Valenciennes (RD, 5.2 km)",
        "infra_project": "Contournement nord de Valenciennes",
        "maitre_ouvrage": "Département du Nord",
        "longueur": "5,2 km",
        # The full opening was announced (20/11/2025) for 24/11/2025; no source consulted confirms it
        # happened, so it stays an announcement of that date, never today's state.
        "statut": (
            "travaux engagés en 2016 ; section est ouverte le 06/03/2023 ; non achevé au 02/09/2025 (convention "
            "2025-2027) ; ouverture complète annoncée pour le 24/11/2025 (annonce : aucune source consultée ne "
            "confirme l'ouverture)"
        ),
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


SUPPLIED_LABEL = "géométrie fournie"


def supplied_geometry_file(road_id: str, *, folder: Path | None = None) -> Path | None:
    """A surveyed geometry a user supplied for this road (``data/sources/roads/<id>.geojson|.gpkg``)."""
    folder = folder if folder is not None else supplied_roads_dir()
    found = [folder / f"{road_id}{ext}" for ext in (".geojson", ".gpkg") if (folder / f"{road_id}{ext}").exists()]
    return found[0] if found else None


def build_roads(communes: gpd.GeoDataFrame, *, supplied: Path | None = None) -> gpd.GeoDataFrame:
    from geo.roads import read_road_geometry

    supplied = supplied if supplied is not None else supplied_roads_dir()
    perimeter = shapely.coverage_union_all(communes.loc[communes["perimetre_erbm"]].geometry.values)
    anchors = read_ref("roads_anchors.csv")
    infra = read_ref("infra_points.csv")
    reps = dict(zip(communes["insee"], communes.geometry.representative_point(), strict=True))
    figures = road_figures(sources_dir() / "road_facts.csv", [r["id"] for r in ROADS])
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
            method = f"Géométrie fournie : {path.name} (SHA-256 {sha256_of(path)[:12]}), remplace le tracé indicatif"
        rows.append(
            {
                "id": road["id"],
                "nom": road["nom"],
                "maitre_ouvrage": road["maitre_ouvrage"],
                "longueur": road["longueur"],
                "statut": road["statut"],
                **figures[road["id"]],
                "faits": json.dumps(said, ensure_ascii=False) if said else "[]",
                "communes": ",".join(communes_names),
                "trace": trace,
                "trace_methode": method,
                "source": " | ".join(sources),
                "geometry": geom,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=LAMBERT93)
