"""The batch commands: ``recueil`` (one binder PDF) and ``fiches`` (one PDF per commune in a folder).

Both render in a process pool (``--workers``, by default the machine's cores) with a progress bar
on the terminal, and the same files whatever the number of workers. Bad input (unknown SIREN,
INSEE code or cité, unknown version, folder that cannot be written) is refused in French with
exit code 2 before anything is rendered; files are written under a temporary name and renamed
once complete, so a failure leaves no partial file.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from commands.shared import territory_for, write_failure

if TYPE_CHECKING:
    from domain.recueil import Binder, Sheet
    from geo.load import Territory


@dataclass(frozen=True)
class Target:
    """What to bind: an EPCI (SIREN), the whole perimeter, communes (INSEE) or cités (identifiers)."""

    epci: str | None = None
    toutes: bool = False
    communes: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Refusal(Exception):
    """Bad input, told in French; the command exits with code 2."""


def _binder(t: Territory, target: Target, order: str) -> Binder:
    from domain.profile import UnknownFeatureError
    from domain.recueil import cites_binder, communes_binder, epci_binder, perimeter_binder

    try:
        if target.epci is not None:
            return epci_binder(t, target.epci, order=order)
        if target.communes:
            return communes_binder(t, target.communes, order=order)
        if target.cites:
            return cites_binder(t, target.cites, order=order)
        return perimeter_binder(t, order=order)
    except UnknownFeatureError as err:
        raise Refusal(str(err)) from None


def _sheets(t: Territory, target: Target) -> tuple[Sheet, ...]:
    from domain.profile import UnknownFeatureError
    from domain.recueil import communes_sheets, epci_sheets, perimeter_sheets

    try:
        if target.epci is not None:
            return epci_sheets(t, target.epci, order="insee")
        if target.communes:
            return communes_sheets(t, target.communes, order="insee")
        return perimeter_sheets(t, order="insee")
    except UnknownFeatureError as err:
        raise Refusal(str(err)) from None


def _territory(version: int | None, day: date | None) -> tuple[Territory, str]:
    from store.errors import StoreError

    try:
        return territory_for(version, day)
    except StoreError as err:
        raise Refusal(err.french_message()) from None


@contextmanager
def _progress(total: int, what: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr when it is a terminal (nothing in a pipe or a log)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=not console.is_terminal, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done, _total: bar.update(task, completed=done)


def _writable_dir(folder: Path, *, create: bool) -> bool:
    """Whether ``folder`` was created (when ``create`` and only it is missing); raises Refusal unless it
    then exists and takes a new file."""
    created = False
    try:
        if create and not folder.exists():
            folder.mkdir()
            created = True
        if not folder.is_dir():
            raise Refusal(f"{folder} n'est pas un dossier" if folder.exists() else f"dossier inexistant : {folder}")
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".erbm-", suffix=".part")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        if created:
            folder.rmdir()
        raise Refusal(f"impossible d'écrire dans le dossier {folder} ({write_failure(err)})") from None
    return created


def _refused(err: Refusal) -> int:
    from core.text import terminal_safe

    print(terminal_safe(f"Erreur : {str(err).rstrip('.')} ; aucun fichier écrit."), file=sys.stderr)
    return 2


def cmd_recueil(
    target: Target, output: str | None, order: str, workers: int, version: int | None, day: date | None = None
) -> int:
    from domain.recueil import binder_filename
    from fiche.recueil import assemble, cover_map, page_counts, render_sheets

    try:
        territory, label = _territory(version, day)
        binder = _binder(territory, target, order)
        path = Path(output or binder_filename(binder))
        _writable_dir(path.parent, create=False)
    except Refusal as err:
        return _refused(err)
    with _progress(len(binder.sheets), "Fiches du recueil") as progress:
        sheets = render_sheets(territory, binder.sheets, values_version=label, workers=workers, progress=progress)
    pdf = assemble(binder, sheets, png=cover_map(territory, binder), values_version=label)
    try:
        _write_atomically(path, pdf)
    except OSError as err:
        return _refused(Refusal(f"impossible d'écrire {path} ({write_failure(err)})"))
    pages = page_counts([pdf])[0]
    print(f"{path} : recueil de {len(binder.sheets)} fiches, {pages} pages")
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    fd, part = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(part, 0o666 & ~_umask())  # mkstemp makes it private; the PDF gets a new file's usual mode
        os.replace(part, path)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def cmd_fiches(target: Target, dossier: str, workers: int, version: int | None, day: date | None = None) -> int:
    from fiche.pdf import fiche_filename
    from fiche.recueil import render_sheets

    folder = Path(dossier)
    try:
        territory, label = _territory(version, day)
        sheets = _sheets(territory, target)
        created = _writable_dir(folder, create=True)
    except Refusal as err:
        return _refused(err)
    # Every sheet goes to a hidden folder first: the fiches appear together, or not at all.
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".fiches-erbm-"))
    names = [fiche_filename(s.kind, s.ref) for s in sheets]
    try:
        with _progress(len(names), "Fiches") as progress:
            render_sheets(
                territory,
                sheets,
                values_version=label,
                workers=workers,
                progress=progress,
                done=lambda i, pdf: (staging / names[i]).write_bytes(pdf),
            )
        for name in names:
            os.replace(staging / name, folder / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created and not any(folder.iterdir()):
            folder.rmdir()
        raise
    staging.rmdir()
    print(f"{len(names)} fiches écrites dans {folder}")
    return 0
