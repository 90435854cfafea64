"""The cités layer: the Mission Bassin Minier inventory, with status and housing count read in the facts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from core.vocab import NON_RENSEIGNE
from data.inputs import read_ref, sources_dir
from domain.status import derive_status
from geo.crs import LAMBERT93, WGS84

MBM_CITES_SOURCE = "Inventaire des cités ERBM de la Mission Bassin Minier (couche cites_erbm, Licence Ouverte 2.0)"


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


def build_cites(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    inv = read_ref("cites_erbm_mbm.csv")
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
