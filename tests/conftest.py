from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo.load import DATA_DIR, Territory, load_territory  # noqa: E402


@pytest.fixture(scope="session")
def territory() -> Territory:
    return load_territory()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break without touching the real one."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dest
