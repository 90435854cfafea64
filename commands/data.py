"""The data commands: build-data, inventory, export, fiche and import-route."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from commands.shared import territory_for, write_failure


def cmd_build() -> int:
    from data.build import build_all
    from geo.load import load_territory

    manifest = build_all()
    load_territory()  # a build that does not load cleanly must fail here, not in the app
    for name, info in manifest["outputs"].items():  # type: ignore[union-attr]
        print(f"{name}: {info['rows']} enregistrements")
    return 0


def cmd_inventory() -> int:
    from domain.inventory import inventory
    from geo.load import load_territory

    print(json.dumps(inventory(load_territory()), ensure_ascii=False, indent=2))
    return 0


def cmd_export(layer: str, fmt: str, version: int | None, day: date | None = None) -> int:
    from domain.export import PLAIN_SEPARATOR, to_csv, to_geojson
    from domain.provenance import export_stamp
    from domain.selection import export_layer

    territory, label = territory_for(version, day)
    if layer == "actions":
        from domain.actions import export_frame, load_actions

        gdf = export_frame(load_actions())
    else:
        gdf = export_layer(territory, layer)
    stamp = export_stamp(territory, layer) | {"version_des_donnees": label}
    sys.stdout.write(
        to_csv(gdf, stamp=stamp, sep=PLAIN_SEPARATOR) if fmt == "csv" else to_geojson(gdf, stamp=stamp) + "\n"
    )
    return 0


def cmd_fiche(kind: str, ref: str, output: str | None, version: int | None, day: date | None = None) -> int:
    from domain.profile import UnknownFeatureError
    from fiche.pdf import fiche_filename, render_fiche

    territory, label = territory_for(version, day)
    try:
        pdf = render_fiche(territory, kind, ref, values_version=label)
    except UnknownFeatureError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    path = Path(output or fiche_filename(kind, ref))
    try:
        path.write_bytes(pdf)
    except OSError as err:
        print(f"Erreur : impossible d'écrire {path} ({write_failure(err)})", file=sys.stderr)
        return 2
    print(path)
    return 0


def cmd_import_route(route: str, fichier: str | None, remove: bool) -> int:
    from data.roads import ROADS, supplied_geometry_file

    ids = [r["id"] for r in ROADS]
    if route not in ids:
        print(f"Erreur : projet routier inconnu « {route} » (projets : {', '.join(ids)})", file=sys.stderr)
        return 2
    current = supplied_geometry_file(route)
    if remove:
        return _back_to_indicative(route, current)
    if not fichier:
        print("Erreur : indiquez le fichier GeoJSON ou GeoPackage à importer.", file=sys.stderr)
        return 2
    source = Path(fichier)
    if not source.exists():
        print(f"Erreur : fichier introuvable : {source}", file=sys.stderr)
        return 2
    _refuse_unless_a_line(source)  # before anything is written
    target = _replace_geometry(route, source, current)
    print(f"{route} : géométrie fournie importée ({target.name}), données reconstruites.")
    return 0


def _back_to_indicative(route: str, current: Path | None) -> int:
    from data.build import build_all

    if current is None:
        print(f"Aucune géométrie fournie pour « {route} » : le tracé est déjà indicatif.")
        return 0
    current.unlink()
    build_all()
    print(f"{route} : retour au tracé indicatif.")
    return 0


def _refuse_unless_a_line(source: Path) -> None:
    """Raise the French DataFileError of a file that holds no line near the perimeter."""
    from geo.load import load_layer
    from geo.roads import read_road_geometry

    communes = load_layer("communes")
    perimeter = communes.loc[communes["perimetre_erbm"]].union_all()
    read_road_geometry(source, perimeter=perimeter)


def _replace_geometry(route: str, source: Path, current: Path | None) -> Path:
    """Put ``source`` in place of ``current`` and rebuild; on failure, put everything back."""
    import shutil

    from data.build import build_all
    from data.inputs import supplied_roads_dir
    from geo.load import load_territory

    suffix = ".gpkg" if source.suffix.lower() == ".gpkg" else ".geojson"
    target = supplied_roads_dir() / f"{route}{suffix}"
    backup = current.read_bytes() if current is not None else None
    supplied_roads_dir().mkdir(parents=True, exist_ok=True)
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
    return target
