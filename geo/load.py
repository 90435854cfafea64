"""Load the embedded datasets, validating each one before anything uses it.

A missing, broken or hand-edited file raises :class:`DataFileError` naming the file, the
row and the field; nothing downstream ever sees a half-valid layer.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.errors as pa_errors
import shapely

from core.errors import Problem
from geo.crs import LAMBERT93
from geo.errors import DataFileError, missing_file
from geo.schemas import LAYER_SPECS, TABLE_SPECS, LayerSpec
from settings import get_settings

log = logging.getLogger("carte_erbm")


def _folder(data_dir: Path | None) -> Path:
    """The data folder: the one given, or ``settings``' (``ERBM_DATA_DIR``), the only place that decides it."""
    return data_dir if data_dir is not None else get_settings().data_dir


def _row_number(spec: LayerSpec, index: object) -> int | None:
    if not isinstance(index, int):
        return None
    # CSV: the line in the file (header is line 1); GeoParquet: the record number.
    return index + 2 if spec.file.endswith(".csv") else index + 1


def _translate(spec: LayerSpec, err: pa_errors.SchemaErrors) -> list[Problem]:
    problems: list[Problem] = []
    cases = err.failure_cases
    for _, case in cases.iterrows():
        check = str(case.get("check", ""))
        column = case.get("column")
        column = None if pd.isna(column) else str(column)
        value = case.get("failure_case")
        index = case.get("index")
        index = None if pd.isna(index) else int(index)
        if check == "column_in_dataframe":
            problems.append(Problem(f"colonne obligatoire absente : « {value} »"))
            continue
        if check == "not_nullable":
            message = "valeur manquante"
        elif check.startswith("dtype") or check.startswith("coerce_dtype"):
            message = f"type incorrect ({value!s} ne peut pas être lu comme attendu)"
        elif check == "field_uniqueness":
            message = f"valeur en double : {value!s}"
        else:
            message = f"{check} (valeur lue : « {value!s} »)"
        problems.append(Problem(message, _row_number(spec, index), column))
    return problems


def validate_frame(spec: LayerSpec, frame: pd.DataFrame, *, path: str) -> pd.DataFrame:
    """Check ``frame`` against ``spec``; return it coerced to the schema's types."""
    problems: list[Problem] = []
    try:
        frame = spec.schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as err:
        problems.extend(_translate(spec, err))
    if spec.id_column and spec.id_column in frame:
        ids = frame[spec.id_column]
        for pos in [i for i, dup in enumerate(ids.duplicated().to_list()) if dup]:
            problems.append(
                Problem(f"identifiant en double : « {ids.iloc[pos]} »", _row_number(spec, pos), spec.id_column)
            )
    if spec.is_geo:
        problems.extend(_geometry_problems(spec, frame))
    if problems:
        raise DataFileError(path, problems)
    return frame


def _geometry_problems(spec: LayerSpec, gdf: pd.DataFrame) -> list[Problem]:
    if not isinstance(gdf, gpd.GeoDataFrame):
        return [Problem("aucune colonne de géométrie")]
    if gdf.crs is None or not gdf.crs.equals(LAMBERT93):
        crs = gdf.crs.to_string() if gdf.crs is not None else "absent"
        return [Problem(f"système de coordonnées {crs} (attendu {LAMBERT93})", field="geometry")]
    problems = []
    geoms = gdf.geometry.values
    for pos, (geom, valid) in enumerate(zip(geoms, shapely.is_valid(geoms), strict=True)):
        row = _row_number(spec, pos)
        if geom is None or shapely.is_empty(geom):
            problems.append(Problem("géométrie absente ou vide", row, "geometry"))
        elif not valid:
            reason = shapely.is_valid_reason(geom)
            problems.append(Problem(f"géométrie invalide ({reason})", row, "geometry"))
        elif geom.geom_type not in spec.geom_types:
            problems.append(
                Problem(
                    f"géométrie de type {geom.geom_type} (attendu : {', '.join(sorted(spec.geom_types))})",
                    row,
                    "geometry",
                )
            )
    return problems


def load_layer(name: str, *, data_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Read and validate one GeoParquet layer of ``data/`` (EPSG:2154)."""
    spec = LAYER_SPECS[name]
    path = _folder(data_dir) / spec.file
    if not path.exists():
        raise missing_file(str(path))
    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:
        # The library's words (and the paths they may hold) go to the log, not to a reader.
        log.warning("lecture de %s : %s: %s", path, type(exc).__name__, exc)
        raise DataFileError(str(path), [Problem("fichier illisible : ce n'est pas un fichier Parquet valide")]) from exc
    return validate_frame(spec, gdf, path=str(path))


def load_table(name: str, *, data_dir: Path | None = None) -> pd.DataFrame:
    """Read and validate one CSV table of ``data/sources``."""
    spec = TABLE_SPECS[name]
    path = _folder(data_dir) / spec.file
    if not path.exists():
        raise missing_file(str(path))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        log.warning("lecture de %s : %s", path, exc)
        kind = "encodage autre que UTF-8" if isinstance(exc, UnicodeDecodeError) else "CSV mal formé"
        raise DataFileError(str(path), [Problem(f"fichier illisible : {kind}")]) from exc
    return validate_frame(spec, frame, path=str(path))


@dataclass(frozen=True)
class Territory:
    """Every embedded dataset, validated and cross-checked."""

    communes: gpd.GeoDataFrame
    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    bud_zone: gpd.GeoDataFrame
    cites: gpd.GeoDataFrame
    cite_contours: gpd.GeoDataFrame
    unesco: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    labels: gpd.GeoDataFrame
    documents: pd.DataFrame
    indicators: pd.DataFrame
    cite_facts: pd.DataFrame

    @property
    def perimeter_communes(self) -> gpd.GeoDataFrame:
        return self.communes[self.communes["perimetre_erbm"]]


def _check_contours(t: Territory, communes: pd.DataFrame, path: str) -> None:
    """Each outline belongs to a known cité and lies within 250 m of that cité's commune."""
    cites = t.cites.set_index("id")
    problems = []
    for pos, c in enumerate(t.cite_contours.itertuples(index=False)):
        if c.id not in cites.index:
            problems.append(Problem(f"cité « {c.id} » absente de cites.parquet", pos + 1, "id"))
        elif c.geometry.distance(communes.loc[cites.loc[c.id, "insee"], "geometry"]) > 250:
            far = f"le contour de « {c.nom} » est à plus de 250 m de sa commune"
            problems.append(Problem(far, pos + 1, "geometry"))
    if problems:
        raise DataFileError(path, problems)


def cross_check(t: Territory, *, data_dir: Path | None = None) -> None:
    """Checks that span several files: references resolve and features lie where they should."""
    communes = t.communes.set_index("insee")
    perimeter = shapely.coverage_union_all(t.perimeter_communes.geometry.values)
    data_dir = _folder(data_dir)
    cites_path = str(data_dir / "cites.parquet")
    problems = []
    for pos, c in enumerate(t.cites.itertuples(index=False)):
        if c.insee not in communes.index:
            problems.append(Problem(f"code INSEE « {c.insee} » inconnu", pos + 1, "insee"))
            continue
        # A small tolerance: the inventory points are rounded and commune borders generalised.
        if not communes.loc[c.insee, "geometry"].buffer(250).contains(c.geometry):
            problems.append(Problem(f"la cité « {c.nom} » n'est pas dans la commune {c.insee}", pos + 1, "geometry"))
        if not perimeter.buffer(250).contains(c.geometry):
            problems.append(Problem(f"la cité « {c.nom} » est hors du périmètre ERBM", pos + 1, "geometry"))
    if problems:
        raise DataFileError(cites_path, problems)
    _check_contours(t, communes, str(data_dir / "cite_contours.parquet"))
    road_problems = [
        Problem(f"le projet « {r.nom} » ne touche pas le périmètre ERBM", pos + 1, "geometry")
        for pos, r in enumerate(t.roads.itertuples(index=False))
        if not perimeter.buffer(250).intersects(r.geometry)
    ]
    if road_problems:
        raise DataFileError(str(data_dir / "roads.parquet"), road_problems)
    doc_ids = set(t.documents["doc_id"])
    for name, table in (("indicators", t.indicators), ("cite_facts", t.cite_facts)):
        spec = TABLE_SPECS[name]
        bad = [
            Problem(f"document « {d} » absent de documents.csv", _row_number(spec, i), "doc_id")
            for i, d in enumerate(table["doc_id"])
            if d not in doc_ids
        ]
        if bad:
            raise DataFileError(str(data_dir / spec.file), bad)
    known = set(t.cites["id"])
    spec = TABLE_SPECS["cite_facts"]
    bad = [
        Problem(f"cité « {part} » absente de l'inventaire", _row_number(spec, i), "cite_id")
        for i, ids in enumerate(t.cite_facts["cite_id"])
        for part in filter(None, ids.split("|"))
        if part not in known
    ]
    if bad:
        raise DataFileError(str(data_dir / spec.file), bad)


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's modification time and size, (-1, -1) when absent: what says that a file read and
    checked before is still the same (the key of every cache of data read from files)."""
    try:
        st = path.stat()
    except OSError:
        return -1, -1
    return st.st_mtime_ns, st.st_size


def _files_stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Each dataset file's name and :func:`file_stamp`: what says that a folder's datasets are
    still the ones validated before."""
    return tuple(
        (spec.file, *file_stamp(data_dir / spec.file)) for spec in (*LAYER_SPECS.values(), *TABLE_SPECS.values())
    )


def load_territory(*, data_dir: Path | None = None) -> Territory:
    """Load every dataset of ``data/``; raise :class:`DataFileError` on the first bad file.

    Validated once per folder and state of its files: a process that runs several commands (the
    tests, a script calling ``cli.main``) does not read and check the same files again. The
    datasets are shared read-only, as the app already shares them between its sessions.
    """
    data_dir = _folder(data_dir)
    return _validated(data_dir, _files_stamp(data_dir))


@functools.lru_cache(maxsize=4)
def _validated(data_dir: Path, stamp: tuple[tuple[str, int, int], ...]) -> Territory:
    layers = {name: load_layer(name, data_dir=data_dir) for name in LAYER_SPECS}
    tables = {name: load_table(name, data_dir=data_dir) for name in TABLE_SPECS}
    territory = Territory(**layers, **tables)
    cross_check(territory, data_dir=data_dir)
    return territory
