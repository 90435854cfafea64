"""The cités layer: the Mission Bassin Minier inventory, with status and housing count read in the facts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from core.text import format_percent
from core.vocab import NON_RENSEIGNE
from data.inputs import read_ref, sources_dir
from data.unesco import IN_PROPERTY_MIN_SHARE, property_shares
from domain.status import derive_status
from geo.crs import LAMBERT93, WGS84

MBM_CITES_SOURCE = "Inventaire des cités ERBM de la Mission Bassin Minier (couche cites_erbm, Licence Ouverte 2.0)"
OUTLINES_FILE = "mbm_cites-erbm.geojson"
# An outline farther than this from the commune of its cité's point is not trusted (same tolerance
# as the point's own check in geo.load.cross_check: borders are generalised).
NEAR_COMMUNE_M = 250.0
WITH_OUTLINE = "contour de l'inventaire"


def _area(text: str) -> float | None:
    return float(text) if text else None


def _yes(value: str) -> bool:
    return value.strip().lower().startswith("oui")


def _parse_sources() -> pd.DataFrame:
    return pd.read_csv(sources_dir() / "cite_facts.csv", dtype=str, keep_default_na=False)


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


def member_communes(communes_source: str, point_insee: str, communes: gpd.GeoDataFrame) -> list[str]:
    """INSEE codes of every commune the inventory names for a cité (« SOMAIN / ABSCON »), the one
    holding its point first: a cité that spans several communes belongs to each of them."""
    from core.text import search_key

    perimeter = communes[communes["perimetre_erbm"]]
    codes = [point_insee]
    for name in filter(None, (part.strip() for part in communes_source.split("/"))):
        key = search_key(name)
        found = perimeter.loc[perimeter["nom"].map(search_key) == key, "insee"].tolist()
        if len(found) != 1:
            raise ValueError(f"cites_erbm_mbm.csv: commune « {name} » introuvable (ou ambiguë) dans le périmètre")
        if found[0] not in codes:
            codes.append(found[0])
    return codes


def _outline_problem(geom: object, commune: object) -> str:
    """Why an outline cannot be used (empty text: it can)."""
    if geom is None or shapely.is_empty(geom):
        return "contour absent"
    if not shapely.is_valid(geom):
        return f"contour invalide ({shapely.is_valid_reason(geom)})"
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return f"contour de type {geom.geom_type}"
    if geom.distance(commune) > NEAR_COMMUNE_M:
        return f"contour à plus de {NEAR_COMMUNE_M:.0f} m de sa commune"
    return ""


def load_outlines() -> gpd.GeoSeries:
    """The inventory's polygons in Lambert-93, by cité id (``id_lsm``)."""
    raw = gpd.read_file(sources_dir() / OUTLINES_FILE)
    ids = raw["id_lsm"].map(lambda v: str(int(v)))
    return gpd.GeoSeries(raw.geometry.values, index=ids.to_numpy(), crs=raw.crs).to_crs(LAMBERT93)


def _outline_columns(pts: gpd.GeoDataFrame, communes: gpd.GeoDataFrame, unesco: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per cité: its outline (or None, with why), area from it and its overlap with the UNESCO property."""
    outlines = load_outlines()
    by_insee = communes.set_index("insee")["geometry"]
    geoms, why = [], []
    for cid, insee in zip(pts["id_lsm"], pts["insee_point"], strict=True):
        geom = outlines.get(cid)
        problem = _outline_problem(geom, by_insee[insee])
        geoms.append(None if problem else geom)
        why.append(problem)
    cols = pd.DataFrame({"contour_geom": geoms, "contour_probleme": why}, index=pts.index)
    has = cols["contour_probleme"] == ""
    series = gpd.GeoSeries(cols.loc[has, "contour_geom"], crs=LAMBERT93)
    cols["contour_ha"] = (series.area / 10_000).round(2).reindex(cols.index)
    cols["unesco_part"] = property_shares(series, unesco).round(3).reindex(cols.index)
    return cols


def _unesco_fields(inv_row: pd.Series, share: float) -> dict[str, object]:
    if pd.isna(share):
        return {
            "unesco": _yes(inv_row["unesco_bien_inscrit"]),
            "unesco_part": None,
            "unesco_methode": "sans contour : recouvrement relevé dans reference/cites_erbm_mbm.csv",
        }
    return {
        "unesco": bool(share >= IN_PROPERTY_MIN_SHARE),
        "unesco_part": float(share),
        "unesco_methode": (
            f"calculé par recouvrement : {format_percent(share, 1)} de la surface du contour de la cité est dans "
            f"le bien inscrit (oui à partir de {format_percent(IN_PROPERTY_MIN_SHARE, 1)})"
        ),
    }


def cite_outlines(cites: gpd.GeoDataFrame, outlines: pd.DataFrame) -> gpd.GeoDataFrame:
    """The ``cite_contours`` layer: one polygon per cité whose outline is usable."""
    has = outlines["contour_probleme"] == ""
    return gpd.GeoDataFrame(
        {
            "id": cites.loc[has, "id"].to_numpy(),
            "nom": cites.loc[has, "nom"].to_numpy(),
            "surface_ha": outlines.loc[has, "contour_ha"].to_numpy(),
            "source": f"{MBM_CITES_SOURCE}, fichier {OUTLINES_FILE}",
        },
        geometry=outlines.loc[has, "contour_geom"].to_numpy(),
        crs=LAMBERT93,
    )


def build_cites(communes: gpd.GeoDataFrame, unesco: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The cités (their inventory point as geometry) and their outlines (``cite_contours``)."""
    inv = read_ref("cites_erbm_mbm.csv")
    facts = _parse_sources()
    pts = gpd.GeoDataFrame(
        inv,
        geometry=[Point(float(x), float(y)) for x, y in zip(inv["lon"], inv["lat"], strict=True)],
        crs=WGS84,
    ).to_crs(LAMBERT93)
    by_insee = communes.set_index("insee")
    outlines = _outline_columns(pts, communes, unesco)
    rows = []
    for pos, c in pts.iterrows():
        shape = outlines.loc[pos]
        cid = c["id_lsm"]
        own = facts.loc[facts["cite_id"].str.split("|").map(lambda ids, cid=cid: cid in ids).astype(bool)]
        # Status and housing count rest only on facts certainly about this one cité; probable or
        # grouped matches are listed in the cité's record, never turned into its headline figures.
        certain = own[(own["match"] == "certain") & ~own["cite_id"].str.contains(r"\|")]
        status = derive_status(certain)
        logements, logements_src, logements_alt = _chosen_count(certain)
        first_ops = certain[certain["fact_type"] == "premieres_operations"]
        commune = by_insee.loc[c["insee_point"]]
        members = by_insee.loc[member_communes(c["communes_source"], c["insee_point"], communes)]
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
                # Every commune and EPCI the cité belongs to ("|"-joined, the point's first).
                "insee_communes": "|".join(members.index),
                "communes_noms": "|".join(members["nom"]),
                "epci_sirens": "|".join(dict.fromkeys(members["epci_siren"])),
                "epci_noms": "|".join(dict.fromkeys(members["epci_nom"])),
                "bailleur": c["bailleur_source"] or NON_RENSEIGNE,
                "type_cite": c["type_cite"] or NON_RENSEIGNE,
                "compagnie": c["compagnie"] or NON_RENSEIGNE,
                "interet_patrimonial": c["interet_patrimonial_mbm"] or NON_RENSEIGNE,
                **_unesco_fields(c, shape["unesco_part"]),
                "unesco_nom": c["unesco_nom"],
                "surface_ha": shape["contour_ha"] if shape["contour_probleme"] == "" else _area(c["area_ha"]),
                "surface_methode": (
                    "surface du contour de l'inventaire, calculée en Lambert-93 (EPSG:2154)"
                    if shape["contour_probleme"] == ""
                    else "relevée dans reference/cites_erbm_mbm.csv"
                ),
                "contour": WITH_OUTLINE
                if not shape["contour_probleme"]
                else f"point seul : {shape['contour_probleme']}",
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
    contours = cite_outlines(out, outlines)
    order = out["id"].astype(int).argsort(kind="stable")
    contours = contours.sort_values("id", key=lambda s: s.astype(int)).reset_index(drop=True)
    return out.iloc[order].reset_index(drop=True), contours
