"""A broken or hand-edited data file gives a French error naming file, row and field."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.crs import CRSError, require_crs
from geo.errors import DataFileError
from geo.load import load_layer, load_table, load_territory


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "cites.parquet").unlink()
    with pytest.raises(DataFileError) as err:
        load_layer("cites", data_dir=data_copy)
    msg = str(err.value)
    assert "cites.parquet" in msg and "fichier introuvable" in msg


def test_bad_insee_code_names_row_and_field(data_copy: Path) -> None:
    path = data_copy / "cites.parquet"
    gdf = gpd.read_parquet(path)
    gdf.loc[4, "insee"] = "5915"
    gdf.to_parquet(path)
    with pytest.raises(DataFileError) as err:
        load_layer("cites", data_dir=data_copy)
    msg = str(err.value)
    assert "Fichier de données invalide" in msg and "cites.parquet" in msg
    assert "ligne 5, champ « insee » : code INSEE invalide" in msg


def test_unknown_status_and_duplicate_id_are_both_reported(data_copy: Path) -> None:
    path = data_copy / "cites.parquet"
    gdf = gpd.read_parquet(path)
    gdf.loc[0, "statut"] = "terminé"
    gdf.loc[2, "id"] = gdf.loc[1, "id"]
    gdf.to_parquet(path)
    with pytest.raises(DataFileError) as err:
        load_layer("cites", data_dir=data_copy)
    problems = [str(p) for p in err.value.problems]
    assert any(p.startswith("ligne 1, champ « statut »") and "terminé" in p for p in problems)
    assert any(p.startswith("ligne 3, champ « id »") and "double" in p for p in problems)


def test_wrong_crs_is_refused(data_copy: Path) -> None:
    path = data_copy / "roads.parquet"
    gpd.read_parquet(path).to_crs(4326).to_parquet(path)
    with pytest.raises(DataFileError) as err:
        load_layer("roads", data_dir=data_copy)
    assert "EPSG:4326" in str(err.value) and "attendu EPSG:2154" in str(err.value)


def test_invalid_geometry_is_refused(data_copy: Path) -> None:
    from shapely.geometry import Polygon

    path = data_copy / "departements.parquet"
    gdf = gpd.read_parquet(path)
    gdf.loc[1, "geometry"] = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # bow-tie
    gdf.to_parquet(path)
    with pytest.raises(DataFileError) as err:
        load_layer("departements", data_dir=data_copy)
    assert "ligne 2, champ « geometry » : géométrie invalide" in str(err.value)


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "load", "messages"),
    [
        pytest.param(
            "indicators",
            1,
            "value",
            "beaucoup",
            lambda data_dir: load_table("indicators", data_dir=data_dir),
            ("indicators.csv", "ligne 3, champ « value »"),  # the row is the line in the file
            id="number-in-words",
        ),
        pytest.param(
            "cite_facts",
            0,
            "doc_id",
            "web-999",
            lambda data_dir: load_territory(data_dir=data_dir),
            ("ligne 2, champ « doc_id » : document « web-999 » absent de documents.csv",),
            id="fact-pointing-to-unknown-document",
        ),
    ],
)
def test_a_hand_edited_csv_cell_names_its_line_and_field(
    data_copy: Path, table, row, column, value, load, messages
) -> None:
    path = data_copy / f"sources/{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)
    with pytest.raises(DataFileError) as err:
        load(data_copy)
    for message in messages:
        assert message in str(err.value)


def test_missing_column_is_named(data_copy: Path) -> None:
    path = data_copy / "sources/cite_facts.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["quote"]).to_csv(path, index=False)
    with pytest.raises(DataFileError) as err:
        load_table("cite_facts", data_dir=data_copy)
    assert "colonne obligatoire absente : « quote »" in str(err.value)


def test_cite_moved_out_of_its_commune_is_caught(data_copy: Path) -> None:
    path = data_copy / "cites.parquet"
    gdf = gpd.read_parquet(path)
    gdf.loc[0, "insee"] = "62498"  # Lens, far from the Chauffour cité
    gdf.to_parquet(path)
    with pytest.raises(DataFileError) as err:
        load_territory(data_dir=data_copy)
    assert "n'est pas dans la commune 62498" in str(err.value)
    assert "ligne 1, champ « geometry »" in str(err.value)


def test_require_crs_never_reprojects_silently(territory) -> None:
    require_crs(territory.cites, "EPSG:2154")
    with pytest.raises(CRSError, match="EPSG:4326"):
        require_crs(territory.cites.to_crs(4326), "EPSG:2154")


def test_broken_manifest_and_sources_give_french_errors(data_copy: Path) -> None:
    from domain.provenance import manifest, sources_table

    (data_copy / "manifest.json").write_text("{ pas du json", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        manifest(data_dir=data_copy)
    assert "manifest.json" in str(err.value) and "JSON illisible" in str(err.value)
    (data_copy / "sources.csv").unlink()
    with pytest.raises(DataFileError, match="fichier introuvable"):
        sources_table(data_dir=data_copy)


def test_a_folder_is_validated_once_until_one_of_its_files_changes(data_copy: Path) -> None:
    first = load_territory(data_dir=data_copy)
    assert load_territory(data_dir=data_copy) is first  # same files: not read and checked again
    path = data_copy / "sources" / "documents.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("doc_id", "identifiant", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="colonne obligatoire absente : « doc_id »"):
        load_territory(data_dir=data_copy)  # a changed file is read and checked again
    path.write_text(text, encoding="utf-8")
    again = load_territory(data_dir=data_copy)
    assert again is not first and len(again.documents) == len(first.documents)
