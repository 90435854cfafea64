"""Ligne de commande de Carte ERBM.

python cli.py build-data                    reconstruit data/ depuis les sources
python cli.py inventory                     décrit en JSON ce qui est chargé
python cli.py export LAYER --format csv     exporte une couche (EPSG:4326) sur la sortie standard
python cli.py import-route rn17 trace.geojson   remplace un tracé indicatif par une géométrie levée
python cli.py fiche --commune INSEE -o F.pdf écrit la fiche PDF (A4) d'une commune (ou --epci, --cite)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

EXPORT_LAYERS = ("communes", "epci", "bud", "cites", "roads")


class FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : argument invalide ({message}).\n")


def _parser() -> argparse.ArgumentParser:
    parser = FrenchParser(prog="python cli.py", description="Carte ERBM : données et exports.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=FrenchParser)
    sub.add_parser("build-data", help="reconstruit les jeux de données de data/ depuis leurs sources")
    sub.add_parser("inventory", help="affiche en JSON ce qui est chargé (comptes, sources, dates)")
    export = sub.add_parser("export", help="exporte une couche en CSV ou GeoJSON (EPSG:4326)")
    export.add_argument("layer", choices=EXPORT_LAYERS, help="couche à exporter")
    export.add_argument("--format", choices=("csv", "geojson"), default="csv", help="format de sortie")
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
    return parser


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


def _cmd_export(layer: str, fmt: str) -> int:
    from domain.export import to_csv, to_geojson
    from domain.provenance import export_stamp
    from domain.selection import export_layer
    from geo.load import load_territory

    territory = load_territory()
    gdf = export_layer(territory, layer)
    stamp = export_stamp(territory, layer)
    sys.stdout.write(to_csv(gdf, stamp=stamp) if fmt == "csv" else to_geojson(gdf, stamp=stamp) + "\n")
    return 0


def _cmd_fiche(kind: str, ref: str, output: str | None) -> int:
    from pathlib import Path

    from fiche.content import UnknownFeatureError
    from fiche.pdf import fiche_filename, render_fiche
    from geo.load import load_territory

    try:
        pdf = render_fiche(load_territory(), kind, ref)
    except UnknownFeatureError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    path = Path(output or fiche_filename(kind, ref))
    try:
        path.write_bytes(pdf)
    except OSError as err:
        reason = {FileNotFoundError: "dossier inexistant", PermissionError: "permission refusée"}.get(
            type(err), err.strerror or type(err).__name__
        )
        print(f"Erreur : impossible d'écrire {path} ({reason})", file=sys.stderr)
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


def main(argv: Sequence[str] | None = None) -> int:
    from geo.errors import DataFileError

    args = _parser().parse_args(argv)
    try:
        if args.command == "build-data":
            return _cmd_build()
        if args.command == "inventory":
            return _cmd_inventory()
        if args.command == "export":
            return _cmd_export(args.layer, args.format)
        if args.command == "import-route":
            return _cmd_import_route(args.route, args.fichier, args.retirer)
        if args.command == "fiche":
            kind, ref = next(
                (k, v)
                for k, v in (("commune", args.commune), ("epci", args.epci), ("cite", args.cite))
                if v is not None
            )
            return _cmd_fiche(kind, ref, args.output)
    except DataFileError as err:
        print(err.french_message(), file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
