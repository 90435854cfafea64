"""Download buttons for the filtered cités, stamped with the data date, sources and filters."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from domain.export import to_csv, to_geojson
from domain.filters import CiteFilter
from domain.provenance import export_stamp
from geo.load import Territory
from ui import asof, data


def cite_downloads(t: Territory, filtered: gpd.GeoDataFrame, flt: CiteFilter, *, key: str) -> None:
    stamp = export_stamp(t, "cites") | {
        "version_des_donnees": asof.caption(),
        "filtres": flt.describe(),
        "nombre_de_cites": str(len(filtered)),
    }
    date = stamp["donnees_construites_le"]
    number = data.viewed_version()
    suffix = f"_v{number}" if number is not None else ""
    formats = (
        # Callables: the files are built when a button is clicked, not on every run of the page.
        ("CSV", lambda: to_csv(filtered, stamp=stamp).encode("utf-8-sig"), "csv", "text/csv"),
        ("GeoJSON", lambda: to_geojson(filtered, stamp=stamp).encode("utf-8"), "geojson", "application/geo+json"),
    )
    for col, (label, payload, ext, mime) in zip(st.columns(len(formats)), formats, strict=True):
        col.download_button(
            f"Exporter en {label} ({len(filtered)} cité{'s' if len(filtered) > 1 else ''})",
            data=payload,
            file_name=f"cites_erbm_{date}{suffix}.{ext}",
            mime=mime,
            key=f"{key}-{ext}",
            width="stretch",
        )
