"""The planners' commands on the cités' values and their history: template, import, history, diff,
rollback, and hash-password for the editors' accounts."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from commands.shared import open_store, write_failure
from core.text import terminal_safe


def default_author() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "inconnu"


def cmd_template(fmt: str, output: str | None) -> int:
    from store.template import template_csv, template_xlsx

    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        print(
            "Erreur : un classeur Excel ne s'affiche pas dans le terminal ; indiquez --output modele.xlsx",
            file=sys.stderr,
        )
        return 2
    with open_store() as (db, territory):
        head = db.head_number()
        write = template_csv if fmt == "csv" else template_xlsx
        count = len(db.values(head))
        data = write(db.values(head), territory.cites[["id", "nom", "commune"]], version=head)
    if output is None:
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            # « template cites | head » closes the pipe early: not an error for the user.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    try:
        Path(output).write_bytes(data)
    except OSError as err:
        print(f"Erreur : impossible d'écrire {output} ({write_failure(err)})", file=sys.stderr)
        return 2
    print(f"Modèle écrit : {output} (version {head}, {count} cités)")
    return 0


def _missing_base(name: str, head: int) -> str:
    return (
        f"Import refusé, rien n'a été enregistré : {name} n'indique pas de quelle version il part "
        "(colonne « version_base » absente ou vide).\n"
        "Sans elle, chaque ligne du fichier compterait comme une modification de la version actuelle et "
        "remettrait ses anciennes valeurs à la place de celles enregistrées depuis par d'autres.\n"
        "Pour l'importer :\n"
        "  - téléchargez un modèle à jour (python cli.py template cites > modele.csv) et reportez-y vos "
        "modifications ;\n"
        "  - ou, si vous savez de quelle version vient le fichier (python cli.py history), indiquez-la : "
        f"--base N (version actuelle : {head})."
    )


def _read_capped(source: Path) -> bytes | None:
    """The file's bytes, or None (and the refusal printed) when it is too large to import."""
    from store.model import MAX_IMPORT_BYTES

    # Read one byte past the limit: a file too large is refused without loading it whole.
    with source.open("rb") as handle:
        data = handle.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // 1024 // 1024
        print(f"Import refusé, rien n'a été enregistré : fichier de plus de {limit} Mo ({source}).", file=sys.stderr)
        return None
    return data


def _refusal(name: str, problems: Sequence[str], *, in_file: int | None, given: int | None, head: int) -> str | None:
    """Why a read file cannot be recorded (problems in it, or no sure base version), or None.

    ``problems`` are the file's problems as its reader words them (``ParsedImport.lines()``);
    ``in_file`` is the file's own base version, ``given`` the one given with --base."""
    if problems:
        lines = [f"Import refusé, rien n'a été enregistré : {len(problems)} problème(s) dans {name}"]
        return "\n".join([*lines, *(f"  {problem}" for problem in problems)])
    if in_file is None and given is None:
        return _missing_base(name, head)
    if in_file is not None and given is not None and given != in_file:
        return (
            f"Import refusé, rien n'a été enregistré : --base {given} contredit la colonne « version_base » "
            f"de {name} ({in_file}). Retirez --base : le fichier dit d'où il part."
        )
    return None


def cmd_import(fichier: str, author: str | None, note: str | None, base: int | None = None) -> int:
    from store import ConflictError
    from store.parse import read_import

    source = Path(fichier)
    if not source.is_file():
        print(terminal_safe(f"Erreur : fichier introuvable : {source}"), file=sys.stderr)
        return 2
    data = _read_capped(source)
    if data is None:
        return 1
    with open_store() as (db, _territory):
        parsed = read_import(data, source.name, known_ids=set(db.values()))
        refusal = _refusal(source.name, parsed.lines(), in_file=parsed.base_version, given=base, head=db.head_number())
        if refusal is not None:
            print(terminal_safe(refusal), file=sys.stderr)
            return 1
        try:
            version = db.apply(
                parsed.rows,
                base_version=parsed.base_version if parsed.base_version is not None else base,
                author=author or default_author(),
                note=note if note is not None else f"fichier {source.name}",
            )
        except ConflictError as err:
            print(terminal_safe(err.french_message()), file=sys.stderr)
            return 1
        if version is None:
            print(f"Aucune modification : le fichier reprend les valeurs actuelles (version {db.head_number()}).")
            return 0
    print(f"Version {version.number} enregistrée : {version.changes} modification(s)")
    return 0


def cmd_history(limit: int | None, details: int) -> int:
    from store.report import version_block

    with open_store() as (db, _territory):
        listed = db.versions()
        for version in listed[:limit] if limit is not None else listed:  # limit ≥ 1 (argparse)
            changes = db.diff(version.number - 1, version.number) if version.number > 1 else []
            cites = len(db.values(version.number)) if version.kind == "initial" else None
            print(terminal_safe(version_block(version, changes, db.cite_names, cites=cites, limit=details)))
            print()
    return 0


def cmd_rollback(number: int, author: str | None, note: str | None) -> int:
    with open_store() as (db, _territory):
        version = db.rollback(number, author=author or default_author(), note=note or "")
    if version is None:
        print(f"Rien à restaurer : la version {number} est identique à la version actuelle.")
        return 0
    print(
        f"Version {version.number} enregistrée : valeurs de la version {number} rétablies, "
        f"{version.changes} modification(s)"
    )
    return 0


def cmd_diff(a: int, b: int) -> int:
    from store.report import change_lines

    with open_store() as (db, _territory):
        changes = db.diff(a, b)
        names = db.cite_names
    if not changes:
        print(f"Aucune différence entre les versions {a} et {b}.")
        return 0
    print(f"De la version {a} à la version {b} : {len(changes)} modification(s)")
    print(terminal_safe("\n".join(change_lines(changes, names, limit=len(changes)))))
    return 0


def cmd_hash_password() -> int:
    import getpass

    from domain.accounts import hash_password

    try:
        password = getpass.getpass("Mot de passe : ")
        if not password:
            print("Erreur : mot de passe vide.", file=sys.stderr)
            return 1
        confirmation = getpass.getpass("Mot de passe (confirmation) : ")
    except EOFError:  # piped input that ends early: getpass reads it line by line
        print(
            "Erreur : l'entrée s'est terminée avant le mot de passe et sa confirmation "
            "(deux lignes attendues) ; rien n'a été produit.",
            file=sys.stderr,
        )
        return 2
    if confirmation != password:
        print("Erreur : les deux saisies diffèrent ; rien n'a été produit.", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0
