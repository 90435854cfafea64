"""The history as text, for the command line: one block per version, in French."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.vocab import PARIS
from store.errors import cite_label, display_value
from store.merge import Change
from store.model import KIND_LABELS
from store.snapshots import Version

DEFAULT_CHANGE_LINES = 10


def change_line(change: Change, names: Mapping[str, str]) -> str:
    """« cité 102 (Cité des Alouettes) : statut travaux logements → livrée »."""
    return (
        f"cité {cite_label(change.cite_id, names)} : {change.field} "
        f"{display_value(change.before)} → {display_value(change.after)}"
    )


def change_lines(
    changes: Sequence[Change], names: Mapping[str, str], *, limit: int, hint: str = "", indent: str = "  "
) -> list[str]:
    """One line per change, at most ``limit``, then how many more and where to see them (``hint``)."""
    lines = [f"{indent}- {change_line(c, names)}" for c in changes[:limit]]
    if len(changes) > limit:
        more = f"{indent}… et {len(changes) - limit} autre(s) modification(s)"
        lines.append(f"{more} ({hint})" if hint else more)
    return lines


def version_heading(version: Version) -> str:
    when = version.created_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    kind = KIND_LABELS.get(version.kind, version.kind)
    return f"Version {version.number} — {when} (heure de Paris) — {version.author} — {kind}"


def version_block(
    version: Version,
    changes: Sequence[Change],
    names: Mapping[str, str],
    *,
    cites: int | None = None,
    limit: int = DEFAULT_CHANGE_LINES,
) -> str:
    """Who, when, why and what changed in one version. ``cites``: the snapshot size, for the first version."""
    lines = [version_heading(version)]
    if version.note:
        lines.append(f"  Note : {version.note}")
    if version.restored_from is not None:
        lines.append(f"  Rétablit les valeurs de la version {version.restored_from}.")
    if version.base_version is not None and version.base_version < version.number - 1:
        lines.append(
            f"  Saisie faite à partir de la version {version.base_version}, fusionnée avec les versions "
            "enregistrées depuis."
        )
    if version.kind == "initial":
        lines.append(f"  {cites if cites is not None else '?'} cités chargées depuis les données de référence.")
        return "\n".join(lines)
    if not changes:
        lines.append("  Aucune valeur modifiée.")
        return "\n".join(lines)
    lines.append(f"  {len(changes)} modification(s) :")
    hint = f"python cli.py diff {version.number - 1} {version.number}"
    lines.extend(change_lines(changes, names, limit=limit, hint=hint, indent="    "))
    return "\n".join(lines)
