"""Where the build reads its sources and writes the datasets, and how it reads and fingerprints them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from settings import get_settings

# Where the build reads its sources and writes the datasets: settings decide (ERBM_DATA_DIR).
DATA_DIR = get_settings().data_dir
SOURCES = get_settings().sources_dir
REFERENCE = SOURCES / "reference"


def read_ref(name: str) -> pd.DataFrame:
    """A researched list of ``data/sources/reference``, every cell as text."""
    return pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
