"""What the data and store commands share: the store brought up to the committed data, the cités'
values at a chosen version or day, and a write failure told in French."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.load import Territory
    from store import Store


def write_failure(err: OSError) -> str:
    return {FileNotFoundError: "dossier inexistant", PermissionError: "permission refusée"}.get(
        type(err), err.strerror or type(err).__name__
    )


@contextmanager
def open_store() -> Iterator[tuple[Store, Territory]]:
    """The configured store, brought up to the committed data before any command reads it; closed
    afterwards, so that a command run in-process leaves no connection behind."""
    from domain.provenance import manifest
    from geo.load import load_territory
    from settings import get_settings
    from store import Store, build_label, build_values, cite_names

    settings = get_settings()
    territory = load_territory(data_dir=settings.data_dir)
    db = Store(settings.store_url(), cite_names=cite_names(territory.cites))
    try:
        built = manifest(data_dir=settings.data_dir).get("built")
        db.ensure_build(build_values(territory.cites), label=build_label(str(built) if built else None))
        yield db, territory
    finally:
        db.close()


def version_on(db: Store, day: date) -> int:
    """The version the data were in at the end of ``day`` in Paris; refused for a day to come or before the first."""
    from store.errors import StoreError
    from store.parse import paris_today
    from store.report import PARIS

    if day > paris_today():
        raise StoreError(f"Date du {day:%d/%m/%Y} à venir : les valeurs ne sont connues que jusqu'à aujourd'hui.")
    found = db.version_at(day)
    if found is None:
        first = db.version(1).created_at.astimezone(PARIS)
        raise StoreError(
            f"Aucune version au {day:%d/%m/%Y} : la première version date du {first:%d/%m/%Y à %H:%M} (heure de Paris)."
        )
    return found.number


def territory_for(version: int | None, day: date | None = None) -> tuple[Territory, str]:
    """The territory with the cités' values of ``version``, or at the end of ``day`` (the latest when
    both are None), and its label."""
    from domain.versions import territory_at, version_label

    with open_store() as (db, territory):
        if day is not None:
            number = version_on(db, day)
        else:
            number = db.head_number() if version is None else db.version(version).number
        label = version_label(db.version(number)) + (" — dernière version" if number == db.head_number() else "")
        return territory_at(territory, db, number), label
