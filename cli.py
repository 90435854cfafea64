"""Ligne de commande de Carte ERBM.

python cli.py build-data                    reconstruit data/ depuis les sources
python cli.py inventory                     décrit en JSON ce qui est chargé
python cli.py export LAYER --format csv     exporte une couche (EPSG:4326) sur la sortie standard
                                            (--version N, ou --date AAAA-MM-JJ)
python cli.py import-route rn17 trace.geojson   remplace un tracé indicatif par une géométrie levée
python cli.py fiche --commune INSEE -o F.pdf écrit la fiche PDF (A4) d'une commune (ou --epci, --cite)
                                            (--version N, ou --date AAAA-MM-JJ)

Mises à jour des cités par les chargés de mission, avec leur historique :
python cli.py template cites > modele.csv    écrit le modèle de saisie (valeurs de la version courante)
python cli.py import modele.csv --note "…"   vérifie le fichier et l'enregistre comme nouvelle version
                                            (--base N pour un fichier sans colonne version_base)
python cli.py history                        liste les versions (qui, quand, quoi, pourquoi)
python cli.py diff 3 5                       compare deux versions
python cli.py rollback 3                     rétablit la version 3 dans une nouvelle version
python cli.py hash-password                  empreinte d'un mot de passe d'éditeur (secrets.toml)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from geo.load import Territory
    from store import Store

EXPORT_LAYERS = ("communes", "epci", "bud", "cites", "roads")
MAX_NOTE_CHARS = 500
MAX_AUTHOR_CHARS = 100
# Set to see the Python traceback of an unexpected error instead of its one-line French summary.
DEBUG_ENV = "ERBM_DEBUG"


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


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, « {text} » reçu") from None


def _positive(text: str) -> int:
    number = _integer(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"nombre entier positif attendu, « {text} » reçu")
    return number


def _not_negative(text: str) -> int:
    number = _integer(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"nombre entier positif ou nul attendu, « {text} » reçu")
    return number


def _day(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, « {text} » reçu") from None


def _free_text(what: str, limit: int) -> Callable[[str], str]:
    """An argparse type for --note / --author: length-capped, no control characters or bidi overrides."""

    def check(text: str) -> str:
        from store.errors import InvalidChange
        from store.parse import clean_free_text

        try:
            return clean_free_text(text, what=what, limit=limit)
        except InvalidChange as err:
            raise argparse.ArgumentTypeError(err.french_message()) from None

    return check


def _add_version_choice(command: argparse.ArgumentParser) -> None:
    when = command.add_mutually_exclusive_group()
    when.add_argument(
        "--version", type=_integer, metavar="N", help="valeurs des cités à la version N (par défaut : la dernière)"
    )
    when.add_argument(
        "--date",
        type=_day,
        metavar="AAAA-MM-JJ",
        help="valeurs des cités à la fin de ce jour (heure de Paris)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="python cli.py", description="Carte ERBM : données et exports.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=FrenchParser)
    sub.add_parser("build-data", help="reconstruit les jeux de données de data/ depuis leurs sources")
    sub.add_parser("inventory", help="affiche en JSON ce qui est chargé (comptes, sources, dates)")
    export = sub.add_parser("export", help="exporte une couche en CSV ou GeoJSON (EPSG:4326)")
    export.add_argument("layer", choices=EXPORT_LAYERS, help="couche à exporter")
    export.add_argument("--format", choices=("csv", "geojson"), default="csv", help="format de sortie")
    _add_version_choice(export)
    route = sub.add_parser(
        "import-route",
        help="remplace le tracé indicatif d'un projet routier par une géométrie levée (GeoJSON ou GeoPackage)",
    )
    route.add_argument(
        "route", help="identifiant du projet : a21, a21-echangeur-31, rn17, contournement-nord-valenciennes"
    )
    route.add_argument("fichier", nargs="?", help="fichier GeoJSON ou GeoPackage contenant la ligne")
    route.add_argument("--retirer", action="store_true", help="revenir au tracé indicatif")
    fiche = sub.add_parser("fiche", help="écrit la fiche PDF (A4) d'une commune, d'un EPCI ou d'une cité")
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
    _add_store_commands(sub)
    return parser


def _add_store_commands(sub: argparse._SubParsersAction) -> None:
    template = sub.add_parser(
        "template", help="écrit le modèle de mise à jour des cités (valeurs de la version courante)"
    )
    template.add_argument("table", choices=("cites",), help="table à mettre à jour : cites")
    template.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="CSV (par défaut) ou classeur Excel")
    template.add_argument("--output", "-o", metavar="FICHIER", help="fichier à écrire (par défaut : sortie standard)")
    imp = sub.add_parser(
        "import", help="vérifie un modèle rempli (CSV ou Excel) et l'enregistre comme nouvelle version"
    )
    author, note = _free_text("Auteur", MAX_AUTHOR_CHARS), _free_text("Note", MAX_NOTE_CHARS)
    imp.add_argument("fichier", help="fichier CSV ou XLSX issu de « template cites »")
    imp.add_argument(
        "--author",
        type=author,
        metavar="NOM",
        help=f"auteur de la mise à jour, {MAX_AUTHOR_CHARS} caractères au plus (par défaut : l'utilisateur du système)",
    )
    imp.add_argument(
        "--note",
        type=note,
        metavar="TEXTE",
        help=f"pourquoi ces valeurs : réunion, courrier…, {MAX_NOTE_CHARS} caractères au plus "
        "(par défaut : le nom du fichier)",
    )
    imp.add_argument(
        "--base",
        type=_integer,
        metavar="N",
        help="version d'où vient le fichier, s'il n'a pas de colonne version_base (voir « history »)",
    )
    history = sub.add_parser(
        "history", help="liste les versions : qui, quand, quoi, pourquoi (la plus récente d'abord)"
    )
    history.add_argument("--limit", type=_positive, metavar="N", help="n'afficher que les N dernières versions")
    history.add_argument(
        "--details",
        type=_not_negative,
        default=10,
        metavar="N",
        help="modifications listées par version (10 par défaut)",
    )
    rollback = sub.add_parser(
        "rollback", help="rétablit les valeurs d'une version, enregistrées comme nouvelle version"
    )
    rollback.add_argument("version", type=_integer, help="numéro de la version à rétablir")
    rollback.add_argument(
        "--author",
        type=author,
        metavar="NOM",
        help=f"auteur, {MAX_AUTHOR_CHARS} caractères au plus (par défaut : l'utilisateur du système)",
    )
    rollback.add_argument(
        "--note",
        type=note,
        metavar="TEXTE",
        help=f"pourquoi revenir à cette version, {MAX_NOTE_CHARS} caractères au plus",
    )
    diff = sub.add_parser("diff", help="liste ce qui change d'une version à une autre")
    diff.add_argument("a", type=_integer, metavar="A", help="version de départ")
    diff.add_argument("b", type=_integer, metavar="B", help="version d'arrivée")
    sub.add_parser(
        "hash-password", help="demande un mot de passe (deux fois) et affiche son empreinte pour secrets.toml"
    )


def _write_failure(err: OSError) -> str:
    return {FileNotFoundError: "dossier inexistant", PermissionError: "permission refusée"}.get(
        type(err), err.strerror or type(err).__name__
    )


def _cmd_build() -> int:
    from data.build import build_all
    from geo.load import load_territory

    manifest = build_all()
    load_territory()  # a build that does not load cleanly must fail here, not in the app
    for name, info in manifest["outputs"].items():  # type: ignore[union-attr]
        print(f"{name}: {info['rows']} enregistrements")
    return 0


def _cmd_inventory() -> int:
    from domain.inventory import inventory
    from geo.load import load_territory

    print(json.dumps(inventory(load_territory()), ensure_ascii=False, indent=2))
    return 0


def _version_on(db: Store, day: date) -> int:
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


def _territory_at(version: int | None, day: date | None = None) -> tuple[Territory, str]:
    """The territory with the cités' values of ``version``, or at the end of ``day`` (the latest when
    both are None), and its label."""
    from domain.versions import territory_at, version_label

    db, territory = _open_store()
    if day is not None:
        number = _version_on(db, day)
    else:
        number = db.head_number() if version is None else db.version(version).number
    label = version_label(db.version(number)) + (" — dernière version" if number == db.head_number() else "")
    return territory_at(territory, db, number), label


def _cmd_export(layer: str, fmt: str, version: int | None, day: date | None = None) -> int:
    from domain.export import to_csv, to_geojson
    from domain.provenance import export_stamp
    from domain.selection import export_layer

    territory, label = _territory_at(version, day)
    gdf = export_layer(territory, layer)
    stamp = export_stamp(territory, layer) | {"version_des_donnees": label}
    sys.stdout.write(to_csv(gdf, stamp=stamp) if fmt == "csv" else to_geojson(gdf, stamp=stamp) + "\n")
    return 0


def _cmd_fiche(kind: str, ref: str, output: str | None, version: int | None, day: date | None = None) -> int:
    from pathlib import Path

    from fiche.content import UnknownFeatureError
    from fiche.pdf import fiche_filename, render_fiche

    territory, label = _territory_at(version, day)
    try:
        pdf = render_fiche(territory, kind, ref, values_version=label)
    except UnknownFeatureError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    path = Path(output or fiche_filename(kind, ref))
    try:
        path.write_bytes(pdf)
    except OSError as err:
        print(f"Erreur : impossible d'écrire {path} ({_write_failure(err)})", file=sys.stderr)
        return 2
    print(path)
    return 0


def _cmd_import_route(route: str, fichier: str | None, remove: bool) -> int:
    import shutil
    from pathlib import Path

    from data.build import ROADS, SUPPLIED_ROADS, build_all, supplied_geometry_file
    from geo.load import load_layer, load_territory
    from geo.roads import read_road_geometry

    ids = [r["id"] for r in ROADS]
    if route not in ids:
        print(f"Erreur : projet routier inconnu « {route} » (projets : {', '.join(ids)})", file=sys.stderr)
        return 2
    current = supplied_geometry_file(route)
    if remove:
        if current is None:
            print(f"Aucune géométrie fournie pour « {route} » : le tracé est déjà indicatif.")
            return 0
        current.unlink()
        build_all()
        print(f"{route} : retour au tracé indicatif.")
        return 0
    if not fichier:
        print("Erreur : indiquez le fichier GeoJSON ou GeoPackage à importer.", file=sys.stderr)
        return 2
    source = Path(fichier)
    if not source.exists():
        print(f"Erreur : fichier introuvable : {source}", file=sys.stderr)
        return 2
    communes = load_layer("communes")
    perimeter = communes.loc[communes["perimetre_erbm"]].union_all()
    read_road_geometry(source, perimeter=perimeter)  # refuse before anything is written
    suffix = ".gpkg" if source.suffix.lower() == ".gpkg" else ".geojson"
    target = SUPPLIED_ROADS / f"{route}{suffix}"
    backup = current.read_bytes() if current is not None else None
    SUPPLIED_ROADS.mkdir(parents=True, exist_ok=True)
    if current is not None:
        current.unlink()
    shutil.copyfile(source, target)
    try:
        build_all()
        load_territory()
    except Exception:
        # Nothing is lost: the previous geometry (or the indicative trace) comes back.
        target.unlink(missing_ok=True)
        if current is not None and backup is not None:
            current.write_bytes(backup)
        build_all()
        raise
    print(f"{route} : géométrie fournie importée ({target.name}), données reconstruites.")
    return 0


def _default_author() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "inconnu"


def _open_store() -> tuple[Store, Territory]:
    """The configured store, brought up to the committed data before any command reads it."""
    from domain.provenance import manifest
    from geo.load import load_territory
    from settings import get_settings
    from store import Store, build_label, build_values

    settings = get_settings()
    territory = load_territory(data_dir=settings.data_dir)
    names = dict(zip(territory.cites["id"].astype(str), territory.cites["nom"].astype(str), strict=True))
    db = Store(settings.store_url(), cite_names=names)
    built = manifest(data_dir=settings.data_dir).get("built")
    db.ensure_build(build_values(territory.cites), label=build_label(str(built) if built else None))
    return db, territory


def _cmd_template(fmt: str, output: str | None) -> int:
    from pathlib import Path

    from store.parse import template_csv, template_xlsx

    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        print(
            "Erreur : un classeur Excel ne s'affiche pas dans le terminal ; indiquez --output modele.xlsx",
            file=sys.stderr,
        )
        return 2
    db, territory = _open_store()
    head = db.head_number()
    write = template_csv if fmt == "csv" else template_xlsx
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
        print(f"Erreur : impossible d'écrire {output} ({_write_failure(err)})", file=sys.stderr)
        return 2
    print(f"Modèle écrit : {output} (version {head}, {len(db.values(head))} cités)")
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


def _cmd_import(fichier: str, author: str | None, note: str | None, base: int | None = None) -> int:
    from pathlib import Path

    from store import ConflictError
    from store.model import MAX_IMPORT_BYTES
    from store.parse import read_import

    source = Path(fichier)
    if not source.is_file():
        print(f"Erreur : fichier introuvable : {source}", file=sys.stderr)
        return 2
    # Read one byte past the limit: a file too large is refused without loading it whole.
    with source.open("rb") as handle:
        data = handle.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // 1024 // 1024
        print(f"Import refusé, rien n'a été enregistré : fichier de plus de {limit} Mo ({source}).", file=sys.stderr)
        return 1
    db, _territory = _open_store()
    parsed = read_import(data, source.name, known_ids=set(db.values()))
    if not parsed.ok:
        print(
            f"Import refusé, rien n'a été enregistré : {len(parsed.problems)} problème(s) dans {source.name}",
            file=sys.stderr,
        )
        for line in parsed.lines():
            print(f"  {line}", file=sys.stderr)
        return 1
    if parsed.base_version is None and base is None:
        print(_missing_base(source.name, db.head_number()), file=sys.stderr)
        return 1
    if parsed.base_version is not None and base is not None and base != parsed.base_version:
        print(
            f"Import refusé, rien n'a été enregistré : --base {base} contredit la colonne « version_base » "
            f"de {source.name} ({parsed.base_version}). Retirez --base : le fichier dit d'où il part.",
            file=sys.stderr,
        )
        return 1
    try:
        version = db.apply(
            parsed.rows,
            base_version=parsed.base_version if parsed.base_version is not None else base,
            author=author or _default_author(),
            note=note if note is not None else f"fichier {source.name}",
        )
    except ConflictError as err:
        print(err.french_message(), file=sys.stderr)
        return 1
    if version is None:
        print(f"Aucune modification : le fichier reprend les valeurs actuelles (version {db.head_number()}).")
        return 0
    print(f"Version {version.number} enregistrée : {version.changes} modification(s)")
    return 0


def _cmd_history(limit: int | None, details: int) -> int:
    from store.report import version_block

    db, _territory = _open_store()
    listed = db.versions()
    for version in listed[:limit] if limit is not None else listed:  # limit ≥ 1 (argparse)
        changes = db.diff(version.number - 1, version.number) if version.number > 1 else []
        cites = len(db.values(version.number)) if version.kind == "initial" else None
        print(version_block(version, changes, db.cite_names, cites=cites, limit=details))
        print()
    return 0


def _cmd_rollback(number: int, author: str | None, note: str | None) -> int:
    db, _territory = _open_store()
    version = db.rollback(number, author=author or _default_author(), note=note or "")
    if version is None:
        print(f"Rien à restaurer : la version {number} est identique à la version actuelle.")
        return 0
    print(
        f"Version {version.number} enregistrée : valeurs de la version {number} rétablies, "
        f"{version.changes} modification(s)"
    )
    return 0


def _cmd_diff(a: int, b: int) -> int:
    from store.report import change_lines

    db, _territory = _open_store()
    changes = db.diff(a, b)
    if not changes:
        print(f"Aucune différence entre les versions {a} et {b}.")
        return 0
    print(f"De la version {a} à la version {b} : {len(changes)} modification(s)")
    print("\n".join(change_lines(changes, db.cite_names, limit=len(changes))))
    return 0


def _cmd_hash_password() -> int:
    import getpass

    from domain.accounts import hash_password

    password = getpass.getpass("Mot de passe : ")
    if not password:
        print("Erreur : mot de passe vide.", file=sys.stderr)
        return 1
    if getpass.getpass("Mot de passe (confirmation) : ") != password:
        print("Erreur : les deux saisies diffèrent ; rien n'a été produit.", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from geo.errors import DataFileError
    from store.errors import StoreError

    args = _parser().parse_args(argv)
    try:
        if args.command == "build-data":
            return _cmd_build()
        if args.command == "inventory":
            return _cmd_inventory()
        if args.command == "export":
            return _cmd_export(args.layer, args.format, args.version, args.date)
        if args.command == "import-route":
            return _cmd_import_route(args.route, args.fichier, args.retirer)
        if args.command == "fiche":
            kind, ref = next(
                (k, v)
                for k, v in (("commune", args.commune), ("epci", args.epci), ("cite", args.cite))
                if v is not None
            )
            return _cmd_fiche(kind, ref, args.output, args.version, args.date)
        if args.command == "template":
            return _cmd_template(args.format, args.output)
        if args.command == "import":
            return _cmd_import(args.fichier, args.author, args.note, args.base)
        if args.command == "history":
            return _cmd_history(args.limit, args.details)
        if args.command == "rollback":
            return _cmd_rollback(args.version, args.author, args.note)
        if args.command == "diff":
            return _cmd_diff(args.a, args.b)
        if args.command == "hash-password":
            return _cmd_hash_password()
    except DataFileError as err:
        print(err.french_message(), file=sys.stderr)
        return 2
    except StoreError as err:
        print(f"Erreur : {err.french_message()}", file=sys.stderr)
        return 1
    except Exception as err:  # the last resort: a French line, never a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        detail = " ".join(str(err).split())[:300]
        print(
            f"Erreur inattendue ({type(err).__name__}{' : ' + detail if detail else ''}). "
            f"Relancez avec {DEBUG_ENV}=1 pour le détail technique.",
            file=sys.stderr,
        )
        return 1
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
