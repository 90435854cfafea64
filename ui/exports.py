"""Download buttons for the filtered cités, stamped with the data date, sources and filters."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from domain.export import to_csv, to_geojson
from domain.filters import CiteFilter
from domain.provenance import export_stamp
from geo.load import Territory


def cite_downloads(t: Territory, filtered: gpd.GeoDataFrame, flt: CiteFilter, *, key: str) -> None:
    stamp = export_stamp(t, "cites") | {"filtres": flt.describe(), "nombre_de_cites": str(len(filtered))}
    date = stamp["donnees_construites_le"]
    c1, c2 = st.columns(2)
    c1.download_button(
        f"Exporter en CSV ({len(filtered)} cités)",
        data=to_csv(filtered, stamp=stamp).encode("utf-8-sig"),
        file_name=f"cites_erbm_{date}.csv",
        mime="text/csv",
        key=f"{key}-csv",
        width="stretch",
    )
    c2.download_button(
        f"Exporter en GeoJSON ({len(filtered)} cités)",
        data=to_geojson(filtered, stamp=stamp).encode("utf-8"),
        file_name=f"cites_erbm_{date}.geojson",
        mime="application/geo+json",
        key=f"{key}-geojson",
        width="stretch",
    )
