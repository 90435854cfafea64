"""Hands the parsed arguments to the command they name."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from commands import data as data_commands
from commands import fiches as batch_commands
from commands import store as store_commands


def _fiche(args: argparse.Namespace) -> int:
    kind, ref = next(
        (k, v) for k, v in (("commune", args.commune), ("epci", args.epci), ("cite", args.cite)) if v is not None
    )
    return data_commands.cmd_fiche(kind, ref, args.output, args.version, args.date)


def _target(args: argparse.Namespace) -> batch_commands.Target:
    return batch_commands.Target(
        epci=args.epci, toutes=args.toutes, communes=args.communes or (), cites=getattr(args, "cites", None) or ()
    )


def _workers(args: argparse.Namespace) -> int:
    return args.workers or batch_commands.default_workers()


# Looked up in the modules at each run, so that a test may replace one command.
_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build-data": lambda _args: data_commands.cmd_build(),
    "inventory": lambda _args: data_commands.cmd_inventory(),
    "export": lambda args: data_commands.cmd_export(args.layer, args.format, args.version, args.date),
    "import-route": lambda args: data_commands.cmd_import_route(args.route, args.fichier, args.retirer),
    "fiche": _fiche,
    "recueil": lambda args: batch_commands.cmd_recueil(
        _target(args), args.output, args.ordre, _workers(args), args.version, args.date
    ),
    "fiches": lambda args: batch_commands.cmd_fiches(
        _target(args), args.dossier, _workers(args), args.version, args.date
    ),
    "template": lambda args: store_commands.cmd_template(args.format, args.output),
    "import": lambda args: store_commands.cmd_import(args.fichier, args.author, args.note, args.base),
    "history": lambda args: store_commands.cmd_history(args.limit, args.details),
    "rollback": lambda args: store_commands.cmd_rollback(args.version, args.author, args.note),
    "diff": lambda args: store_commands.cmd_diff(args.a, args.b),
    "hash-password": lambda _args: store_commands.cmd_hash_password(),
}


def run(args: argparse.Namespace) -> int:
    """The exit code of the command ``args`` name (1 for a name no command has)."""
    command = _COMMANDS.get(args.command)
    return command(args) if command is not None else 1
