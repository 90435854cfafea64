"""The command line's arguments: an argparse parser whose messages a planner reads in French."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import NoReturn

EXPORT_LAYERS = ("communes", "epci", "bud", "cites", "roads", "unesco", "actions")
BINDER_ORDERS = ("alpha", "insee")  # domain.recueil.ORDERS, not imported: the parser stays light
MAX_NOTE_CHARS = 500
MAX_AUTHOR_CHARS = 100
# What ``add_subparsers()`` returns offers to add one command: its ``add_parser``.
AddCommand = Callable[..., argparse.ArgumentParser]


# argparse's own messages that the planners' options can trigger, in French.
_ARGPARSE_FRENCH = (
    (
        re.compile(r"^argument (\S+): not allowed with argument (\S+)$"),
        r"argument \1 : incompatible avec l'argument \2",
    ),
    (re.compile(r"^argument (\S+): expected one argument$"), r"argument \1 : une valeur est attendue"),
    (re.compile(r"^argument (\S+): "), r"argument \1 : "),
)


class FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, french in _ARGPARSE_FRENCH:
            message = pattern.sub(french, message, count=1)
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : argument invalide ({message}).\n")


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, « {text} » reçu") from None


def positive(text: str) -> int:
    number = integer(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"nombre entier positif attendu, « {text} » reçu")
    return number


def not_negative(text: str) -> int:
    number = integer(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"nombre entier positif ou nul attendu, « {text} » reçu")
    return number


def day(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, « {text} » reçu") from None


def free_text(what: str, limit: int) -> Callable[[str], str]:
    """An argparse type for --note / --author: length-capped, no control characters or bidi overrides."""

    def check(text: str) -> str:
        from store.errors import InvalidChange
        from store.fields import clean_free_text

        try:
            return clean_free_text(text, what=what, limit=limit)
        except InvalidChange as err:
            raise argparse.ArgumentTypeError(err.french_message()) from None

    return check


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="python cli.py", description="Carte ERBM : données et exports.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=FrenchParser)
    for add_commands in (_add_data_commands, _add_batch_commands, _add_template_and_import, _add_history_commands):
        add_commands(sub.add_parser)
    return parser


def _add_version_choice(command: argparse.ArgumentParser) -> None:
    when = command.add_mutually_exclusive_group()
    when.add_argument(
        "--version", type=integer, metavar="N", help="valeurs des cités à la version N (par défaut : la dernière)"
    )
    when.add_argument(
        "--date",
        type=day,
        metavar="AAAA-MM-JJ",
        help="valeurs des cités à la fin de ce jour (heure de Paris)",
    )


def _add_data_commands(add: AddCommand) -> None:
    add("build-data", help="reconstruit les jeux de données de data/ depuis leurs sources")
    add("inventory", help="affiche en JSON ce qui est chargé (comptes, sources, dates)")
    export = add("export", help="exporte une couche en CSV ou GeoJSON (EPSG:4326)")
    export.add_argument("layer", choices=EXPORT_LAYERS, help="couche à exporter")
    export.add_argument("--format", choices=("csv", "geojson"), default="csv", help="format de sortie")
    _add_version_choice(export)
    route = add(
        "import-route",
        help="remplace le tracé indicatif d'un projet routier par une géométrie levée (GeoJSON ou GeoPackage)",
    )
    route.add_argument(
        "route", help="identifiant du projet : a21, a21-echangeur-31, rn17, contournement-nord-valenciennes"
    )
    route.add_argument("fichier", nargs="?", help="fichier GeoJSON ou GeoPackage contenant la ligne")
    route.add_argument("--retirer", action="store_true", help="revenir au tracé indicatif")
    fiche = add("fiche", help="écrit la fiche PDF (A4) d'une commune, d'un EPCI ou d'une cité")
    target = fiche.add_mutually_exclusive_group(required=True)
    target.add_argument("--commune", metavar="INSEE", help="code INSEE d'une des communes du périmètre")
    target.add_argument("--epci", metavar="SIREN", help="SIREN d'un EPCI qui touche le périmètre")
    target.add_argument("--cite", metavar="ID", help="identifiant d'une cité de l'inventaire")
    fiche.add_argument(
        "--output",
        "-o",
        metavar="FICHIER.pdf",
        help="fichier PDF à écrire (par défaut : fiche-erbm-TYPE-IDENTIFIANT.pdf dans le dossier courant)",
    )
    _add_version_choice(fiche)


def id_list(what: str) -> Callable[[str], tuple[str, ...]]:
    """An argparse type for « A,B,C »: ``what`` names the expected identifiers in the French error."""

    def split(text: str) -> tuple[str, ...]:
        ids = tuple(part.strip() for part in text.split(",") if part.strip())
        if not ids:
            raise argparse.ArgumentTypeError(f"{what} séparés par des virgules attendus, « {text} » reçu")
        return ids

    return split


def _add_batch_target(command: argparse.ArgumentParser, *, cites: bool) -> None:
    target = command.add_mutually_exclusive_group(required=True)
    target.add_argument("--epci", metavar="SIREN", help="les communes du périmètre de cet EPCI")
    target.add_argument("--toutes", action="store_true", help="les 250 communes du périmètre")
    target.add_argument(
        "--communes", type=id_list("codes INSEE"), metavar="INSEE,INSEE…", help="ces communes du périmètre"
    )
    if cites:
        target.add_argument(
            "--cites", type=id_list("identifiants de cités"), metavar="ID,ID…", help="ces cités de l'inventaire"
        )
    command.add_argument(
        "--workers",
        type=positive,
        metavar="N",
        help="processus de rendu en parallèle (par défaut : les cœurs de la machine) ; le résultat est le même",
    )
    _add_version_choice(command)


def _add_batch_commands(add: AddCommand) -> None:
    recueil = add(
        "recueil",
        help="écrit un seul PDF : couverture, sommaire paginé, signets, puis la fiche de chaque commune (ou cité)",
    )
    _add_batch_target(recueil, cites=True)
    recueil.add_argument(
        "--output",
        "-o",
        metavar="FICHIER.pdf",
        help="fichier PDF à écrire (par défaut : recueil-erbm-epci-SIREN.pdf, recueil-erbm-perimetre.pdf "
        "ou recueil-erbm-cites.pdf dans le dossier courant)",
    )
    recueil.add_argument(
        "--ordre",
        choices=BINDER_ORDERS,
        default="alpha",
        help="ordre des fiches : alpha (alphabétique, par défaut) ou insee (code INSEE)",
    )
    fiches = add("fiches", help="écrit dans un dossier la fiche PDF de chaque commune (fiche-erbm-commune-INSEE.pdf)")
    _add_batch_target(fiches, cites=False)
    fiches.add_argument("--dossier", required=True, metavar="DOSSIER", help="dossier où écrire les fiches")


def _add_author_and_note(command: argparse.ArgumentParser, *, author: str, note: str) -> None:
    """--author and --note, checked as free text; ``author`` starts the help of --author, ``note`` is the
    help of --note."""
    command.add_argument(
        "--author",
        type=free_text("Auteur", MAX_AUTHOR_CHARS),
        metavar="NOM",
        help=f"{author}, {MAX_AUTHOR_CHARS} caractères au plus (par défaut : l'utilisateur du système)",
    )
    command.add_argument("--note", type=free_text("Note", MAX_NOTE_CHARS), metavar="TEXTE", help=note)


def _add_template_and_import(add: AddCommand) -> None:
    template = add("template", help="écrit le modèle de mise à jour des cités (valeurs de la version courante)")
    template.add_argument("table", choices=("cites",), help="table à mettre à jour : cites")
    template.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="CSV (par défaut) ou classeur Excel")
    template.add_argument("--output", "-o", metavar="FICHIER", help="fichier à écrire (par défaut : sortie standard)")
    imp = add("import", help="vérifie un modèle rempli (CSV ou Excel) et l'enregistre comme nouvelle version")
    imp.add_argument("fichier", help="fichier CSV ou XLSX issu de « template cites »")
    _add_author_and_note(
        imp,
        author="auteur de la mise à jour",
        note=f"pourquoi ces valeurs : réunion, courrier…, {MAX_NOTE_CHARS} caractères au plus "
        "(par défaut : le nom du fichier)",
    )
    imp.add_argument(
        "--base",
        type=integer,
        metavar="N",
        help="version d'où vient le fichier, s'il n'a pas de colonne version_base (voir « history »)",
    )


def _add_history_commands(add: AddCommand) -> None:
    history = add("history", help="liste les versions : qui, quand, quoi, pourquoi (la plus récente d'abord)")
    history.add_argument("--limit", type=positive, metavar="N", help="n'afficher que les N dernières versions")
    history.add_argument(
        "--details",
        type=not_negative,
        default=10,
        metavar="N",
        help="modifications listées par version (10 par défaut)",
    )
    rollback = add("rollback", help="rétablit les valeurs d'une version, enregistrées comme nouvelle version")
    rollback.add_argument("version", type=integer, help="numéro de la version à rétablir")
    _add_author_and_note(
        rollback, author="auteur", note=f"pourquoi revenir à cette version, {MAX_NOTE_CHARS} caractères au plus"
    )
    diff = add("diff", help="liste ce qui change d'une version à une autre")
    diff.add_argument("a", type=integer, metavar="A", help="version de départ")
    diff.add_argument("b", type=integer, metavar="B", help="version d'arrivée")
    add("hash-password", help="demande un mot de passe (deux fois) et affiche son empreinte pour secrets.toml")
