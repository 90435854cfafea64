"""Where the build reads its sources and writes the datasets, and how it reads and fingerprints them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from settings import get_settings

# Where the build reads its sources and writes the datasets: settings decide (ERBM_DATA_DIR), read
# at each call, so that a changed setting (a test's, an in-process command's) is never missed.


def data_dir() -> Path:
    return get_settings().data_dir


def sources_dir() -> Path:
    return get_settings().sources_dir


def supplied_roads_dir() -> Path:
    """Where ``import-route`` keeps the road geometries a user supplied."""
    return sources_dir() / "roads"


def read_ref(name: str) -> pd.DataFrame:
    """A researched list of ``data/sources/reference``, every cell as text."""
    return pd.read_csv(sources_dir() / "reference" / name, dtype=str, keep_default_na=False)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
