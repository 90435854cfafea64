"""Cités the programme documents name but the Mission Bassin Minier inventory does not hold: listed
on the Sources page (« citée mais hors inventaire »), never placed on the map nor counted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.errors import Problem
from geo.errors import DataFileError, missing_file
from settings import get_settings

FILE = "cites_hors_inventaire.csv"
COLUMNS = ("nom", "communes", "insee", "doc_id", "section", "quote", "note")


def cites_outside_inventory(*, sources_dir: Path | None = None) -> pd.DataFrame:
    """``sources/cites_hors_inventaire.csv``: name, communes, document, section and quote of each."""
    path = (sources_dir if sources_dir is not None else get_settings().sources_dir) / FILE
    if not path.exists():
        raise missing_file(str(path))
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise DataFileError(str(path), [Problem(f"colonne obligatoire absente : « {c} »") for c in missing])
    return table
