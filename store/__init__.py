"""The planners' updates of the cités' values and their full history (issue #5).

``Store`` keeps every version; ``build_values`` turns the committed cités into the reference
snapshot; ``store.parse`` reads the planners' files.
"""

from store.db import BUILD_AUTHOR, Store, Version
from store.errors import Conflict, ConflictError, InvalidChange, StoreError, UnknownVersion, display_value
from store.merge import Change, is_planner_value
from store.model import EDITABLE_FIELDS, CiteValues
from store.reference import build_label, build_values, cite_names

__all__ = [
    "BUILD_AUTHOR",
    "EDITABLE_FIELDS",
    "Change",
    "CiteValues",
    "Conflict",
    "ConflictError",
    "InvalidChange",
    "Store",
    "StoreError",
    "UnknownVersion",
    "Version",
    "build_label",
    "build_values",
    "cite_names",
    "display_value",
    "is_planner_value",
]
