"""Download buttons for the filtered cités, stamped with the data date, sources and filters."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from domain.export import FRENCH_SEPARATOR, PLAIN_SEPARATOR, to_csv, to_geojson
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
    # The CSV opens as columns in French Excel by default (« ; » and a UTF-8 byte-order mark, like
    # the update template); a plain comma for other tools.
    plain = st.toggle(
        "CSV séparé par des virgules (pour les outils ; sinon « ; » pour Excel en français)",
        key=f"{key}-comma",
        value=False,
    )
    sep = PLAIN_SEPARATOR if plain else FRENCH_SEPARATOR
    formats = (
        # Callables: the files are built when a button is clicked, not on every run of the page.
        ("CSV", lambda: to_csv(filtered, stamp=stamp, sep=sep).encode("utf-8-sig"), "csv", "text/csv"),
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
