"""Editing the cités' values, without Streamlit: the service behind the « Mise à jour » page.

``service`` checks a planner's file or table, compares it with the store and saves it; ``reports``
holds the French tables it returns for display.
"""

from domain.edition.reports import (
    CONFLICT_COLUMNS,
    FIELD_LABELS,
    NOTE_MAX_CHARS,
    PREVIEW_COLUMNS,
    PREVIEW_CONFLICT_COLUMNS,
    PROBLEM_COLUMNS,
    TABLE_PROBLEM_COLUMNS,
    EditorTable,
    Preview,
    SaveResult,
    Upload,
    cite_names,
    conflict_label,
    field_label,
    problems_frame,
)
from domain.edition.service import SUGGEST_SCAN, Editing, changed_cells, winning_rows

__all__ = [
    "CONFLICT_COLUMNS",
    "FIELD_LABELS",
    "NOTE_MAX_CHARS",
    "PREVIEW_COLUMNS",
    "PREVIEW_CONFLICT_COLUMNS",
    "PROBLEM_COLUMNS",
    "SUGGEST_SCAN",
    "TABLE_PROBLEM_COLUMNS",
    "Editing",
    "EditorTable",
    "Preview",
    "SaveResult",
    "Upload",
    "changed_cells",
    "cite_names",
    "conflict_label",
    "field_label",
    "problems_frame",
    "winning_rows",
]
