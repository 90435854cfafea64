"""The editable values of a cité, shared by the parser, the database and the app.

Only these fields change after the build; everything else about a cité (name, commune, geometry,
inventory attributes) comes from ``data/cites.parquet`` and is not editable here.
"""

from __future__ import annotations

from dataclasses import dataclass

# Columns a planner edits, in template order. ``source`` is the planner's own reference for the row
# (a letter, a meeting, a document); it is kept with the version and shown as the figure's source.
EDITABLE_FIELDS: tuple[str, ...] = ("statut", "statut_date", "logements", "source")
# Columns of the template: ``id`` identifies the row; ``nom`` and ``commune`` help the planner and
# are ignored on import; ``version_base`` records the version the template was made from, so that
# an import based on an old version is merged (or refused as a conflict) rather than overwriting.
TEMPLATE_COLUMNS: tuple[str, ...] = ("id", "nom", "commune", *EDITABLE_FIELDS, "version_base")
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "statut", "logements")
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Version numbers are 32-bit integer columns on both databases: anything outside is no version.
MAX_VERSION = 2**31 - 1
# How the history names each kind of version, in the CLI and in the app.
KIND_LABELS: dict[str, str] = {
    "initial": "données initiales",
    "build": "reconstruction des données",
    "import": "import de fichier",
    "edit": "modification dans le tableau",
    "rollback": "restauration",
}


@dataclass(frozen=True)
class CiteValues:
    """One cité's editable values in one version.

    ``statut`` is one of ``domain.status.STATUSES``; ``statut_date`` is "" (non renseigné), an ISO
    date ``YYYY-MM-DD``, a month ``YYYY-MM``, a year ``YYYY`` or ``domain.status.UNDATED``;
    ``logements`` is None when non renseigné. ``statut_source`` / ``logements_source`` say where the
    value comes from: a document id of ``data/sources/documents.csv`` for the build's values, or
    ``maj-<version>`` for a value entered by a planner. ``source`` is the planner's free text.
    """

    statut: str
    statut_date: str = ""
    logements: int | None = None
    source: str = ""
    statut_source: str = ""
    logements_source: str = ""
