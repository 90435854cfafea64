"""Cités as circles coloured by status (Okabe-Ito palette) and sized by housing count."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from core.vocab import NON_RENSEIGNE, STATUSES
from domain.status import STATUS_COLORS
from layers._geojson import features
from layers.jsvalue import js
from layers.spec import BuiltLayer, ClientSpec, LegendEntry, LegendSection, Part

BASE_RADIUS = 5.0


def radius(logements: object) -> float:
    """Area proportional to housing count; unknown counts get the base size and a dashed ring."""
    try:
        n = float(logements)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return BASE_RADIUS
    if math.isnan(n) or n <= 0:
        return BASE_RADIUS
    return BASE_RADIUS + 0.6 * math.sqrt(n)


CLIENT = ClientSpec(
    style=f"""function(f){{
  var p = f.properties, colors = {js(STATUS_COLORS)};
  return {{radius: p._r, fill: true, fillColor: colors[p.statut] || colors[{js(NON_RENSEIGNE)}], fillOpacity: 0.9,
    color: '#111111', weight: p._known ? 1.5 : 1, dashArray: p._known ? null : '2 2'}};
}}""",
    point=f"function(f, ll){{ return L.circleMarker(ll, {{radius: {BASE_RADIUS}}}); }}",
    tooltip="""function(f){
  var p = f.properties;
  return erbm.table([['Cité', p.nom], ['Commune', p.commune], ['Statut', p.statut], ['Logements', p.logements_txt]]);
}""",
    hover="{weight: 4}",
)
TITLE = "Cités minières"


def build(cites: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    """``cites``: the filtered cités in EPSG:4326, sent with each run (they follow the filters)."""
    gdf = cites.assign(
        logements_txt=cites["logements"].map(lambda v: NON_RENSEIGNE if pd.isna(v) else f"{int(v)} logements"),
        _r=cites["logements"].map(radius).round(2),
        _known=cites["logements"].notna(),
    )
    data = features(gdf, ["nom", "commune", "statut", "logements_txt", "_r", "_known"], kind="cite", id_column="id")
    counts = cites["statut"].value_counts()
    entries = tuple(LegendEntry(f"{s} ({int(counts.get(s, 0))})", STATUS_COLORS[s], "circle") for s in STATUSES) + (
        LegendEntry("taille : nombre de logements (cercle pointillé : non renseigné)", "#ffffff", "circle", 10),
    )
    legend = LegendSection(f"Cités ({len(cites)} affichées)", entries, note="Statut déduit des faits sourcés datés")
    return BuiltLayer(
        "cites",
        TITLE,
        (Part("cites", CLIENT),),
        legend,
        show=show,
        feature_count=len(cites),
        features={"cites": data},
    )
