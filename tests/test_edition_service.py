"""The « Mise à jour » page's service (domain/edition), without Streamlit: on a real SQLite store
seeded from the build, as the app seeds it."""

from __future__ import annotations

import pytest

from domain.edition import Editing, cite_names, winning_rows
from store import Store, build_values

ALOUETTES, LENS, HEURTEAU = "102", "208", "853"  # 139, 605 and 153 logements in the build


@pytest.fixture()
def db(tmp_path, territory):
    store = Store(f"sqlite:///{(tmp_path / 'erbm.sqlite').as_posix()}", cite_names=cite_names(territory))
    store.ensure_build(build_values(territory.cites), label="test")
    yield store
    store.close()


@pytest.fixture()
def editing(db, territory) -> Editing:
    return Editing(db, territory)


def csv(*lines: str) -> bytes:
    return "\r\n".join(lines).encode("utf-8") + b"\r\n"


def test_an_uploaded_csv_previews_each_changed_cell_before_and_after(editing) -> None:
    data = csv(
        "id;statut;logements;version_base",
        f"{ALOUETTES};livrée;140;1",
        f"{LENS};travaux logements;605;1",  # as in version 1: no change
    )
    preview = editing.prepare_import(data, "maj.csv")
    assert preview.ok and preview.conflicts.empty and preview.notes == ()
    assert (preview.base_version, preview.head_version, preview.kind, preview.filename) == (1, 1, "import", "maj.csv")
    assert preview.changes == {ALOUETTES: {"statut": "livrée", "logements": 140}}
    assert preview.effective.to_dict("records") == [
        {"Cité": "Cité des Alouettes", "Champ": "Statut", "Avant": "travaux logements", "Après": "livrée"},
        {"Cité": "Cité des Alouettes", "Champ": "Logements", "Avant": "139", "Après": "140"},
    ]


def test_an_invalid_file_lists_its_problems_by_line_and_column_and_changes_nothing(editing) -> None:
    preview = editing.prepare_import(csv("id;statut;logements", f"{ALOUETTES};terminée;-5"), "faux.csv")
    assert not preview.ok and preview.changes == {} and preview.effective.empty
    assert preview.problems.to_dict("records") == [
        {
            "Ligne": "2",
            "Colonne": "statut",
            "Problème": "statut inconnu « terminée » (valeurs admises : non renseigné, études, travaux logements, "
            "travaux espaces publics, livrée).",
        },
        {
            "Ligne": "2",
            "Colonne": "logements",
            "Problème": "nombre négatif « -5 » : un nombre de logements est positif ou nul.",
        },
    ]


def test_a_cell_changed_by_someone_else_since_the_files_version_is_a_conflict(db, editing) -> None:
    db.apply({ALOUETTES: {"logements": 150}}, base_version=1, author="paul")
    preview = editing.prepare_import(csv("id;statut;logements;version_base", f"{ALOUETTES};livrée;140;1"), "maj.csv")
    assert (preview.base_version, preview.head_version) == (1, 2)
    assert preview.conflicts.to_dict("records") == [
        {"Cité": "Cité des Alouettes", "Champ": "Logements", "Valeur actuelle": "150", "Votre saisie": "140"}
    ]
    assert preview.notes[0].startswith("Votre saisie part de la version 1 ; la version actuelle est la 2.")
    # The status nobody else touched would still change: only the logements are in conflict.
    assert preview.effective.to_dict("records") == [
        {"Cité": "Cité des Alouettes", "Champ": "Statut", "Avant": "travaux logements", "Après": "livrée"}
    ]


def test_saving_writes_a_new_version_with_the_files_values_merged_on_the_head(db, editing) -> None:
    preview = editing.prepare_import(csv("id;statut;logements;version_base", f"{ALOUETTES};livrée;140;1"), "maj.csv")
    db.apply({LENS: {"logements": 610}}, base_version=1, author="paul")  # another cité, saved meanwhile
    result = editing.save(preview, "  Comité du 12 juin  ", author="marie")
    assert (result.saved, result.version, result.changes) == (True, 3, 2)
    assert result.message == "Version 3 enregistrée."
    version = db.version(3)
    assert (version.author, version.note, version.kind, version.base_version) == (
        "marie",
        "Comité du 12 juin",
        "import",
        1,
    )
    values = db.values(3)
    assert (values[ALOUETTES].statut, values[ALOUETTES].logements) == ("livrée", 140)
    assert values[ALOUETTES].logements_source == "maj-3"
    assert values[LENS].logements == 610  # paul's value is kept
    assert values[HEURTEAU] == db.values(1)[HEURTEAU]


def test_a_save_racing_another_write_reports_the_conflict_with_its_version(db, editing) -> None:
    preview = editing.prepare_import(csv("id;statut;logements;version_base", f"{ALOUETTES};livrée;140;1"), "maj.csv")
    db.apply({ALOUETTES: {"logements": 150}}, base_version=1, author="paul")
    result = editing.save(preview, "", author="marie")
    assert not result.saved and db.head_number() == 2
    assert result.message.startswith("Modifications refusées, rien n'a été enregistré : 1 valeur(s)")
    assert "cité 102 (Cité des Alouettes), champ « logements » : « 150 » dans la base (version 2)" in result.message
    assert result.conflicts.to_dict("records") == [
        {
            "Cité": "Cité des Alouettes",
            "Champ": "Logements",
            "Valeur actuelle": "150",
            "Votre saisie": "140",
            "Modifiée en version": "2",
        }
    ]


def test_saving_values_already_current_writes_nothing(db, editing) -> None:
    preview = editing.prepare_import(csv("id;statut;logements;version_base", f"{ALOUETTES};livrée;140;1"), "maj.csv")
    db.apply({ALOUETTES: {"statut": "livrée", "logements": 140}}, base_version=1, author="paul")
    result = editing.save(preview, "", author="marie")
    assert not result.saved and result.message.startswith("Ces valeurs sont déjà celles de la version actuelle")
    assert db.head_number() == 2


def test_edits_of_the_table_send_only_the_changed_cells(editing) -> None:
    table = editing.editor_table()
    assert table.base == 1 and len(table.frame) == 59
    assert list(table.frame.columns) == ["id", "nom", "commune", "statut", "statut_date", "logements", "source"]
    edited = table.frame.copy()
    edited.loc[edited["id"] == ALOUETTES, "logements"] = 140
    edited.loc[edited["id"] == HEURTEAU, "statut_date"] = "2020-03"
    preview = editing.prepare_edits(edited, table.base, table.original)
    assert preview.ok and preview.kind == "edit"
    assert preview.changes == {ALOUETTES: {"logements": 140}, HEURTEAU: {"statut_date": "2020-03"}}
    assert preview.effective.to_dict("records") == [
        {"Cité": "Cité des Alouettes", "Champ": "Logements", "Avant": "139", "Après": "140"},
        {"Cité": "Cité Heurteau", "Champ": "Date du statut", "Avant": "2018", "Après": "2020-03"},
    ]
    untouched = editing.prepare_edits(table.frame.copy(), table.base, table.original)
    assert untouched.ok and untouched.changes == {} and untouched.effective.empty


def test_a_bad_edit_or_a_changed_id_is_reported_by_cite_not_by_line(editing) -> None:
    table = editing.editor_table()
    edited = table.frame.copy()
    edited.loc[edited["id"] == ALOUETTES, "logements"] = -3
    edited.loc[edited["id"] == HEURTEAU, "id"] = "999"
    preview = editing.prepare_edits(edited, table.base, table.original)
    assert not preview.ok and preview.changes == {}
    assert preview.problems.to_dict("records") == [
        {
            "Cité": "Cité des Alouettes",
            "Colonne": "Logements",
            "Problème": "nombre négatif « -3 » : un nombre de logements est positif ou nul.",
        },
        {"Cité": "999", "Colonne": "Id", "Problème": "les cités du tableau et leurs identifiants ne se modifient pas."},
    ]


def test_pending_edits_carried_to_a_newer_version_win_there_and_only_them(db, editing) -> None:
    db.apply({LENS: {"logements": 610}}, base_version=1, author="paul")
    mine = winning_rows({ALOUETTES: {"statut": "livrée"}}, db.values(1))
    assert mine == {ALOUETTES: {"statut": "livrée", "statut_date": "2019-11-25"}}  # a status travels with its date
    table = editing.editor_table(mine)
    assert table.base == 2
    row = table.frame.loc[table.frame["id"] == ALOUETTES].iloc[0]
    assert (row["statut"], row["logements"]) == ("livrée", 139)
    assert table.original.loc[table.original["id"] == ALOUETTES, "statut"].item() == "travaux logements"
    assert table.frame.loc[table.frame["id"] == LENS, "logements"].item() == 610


def test_a_file_without_its_version_is_matched_to_the_closest_one(db, editing) -> None:
    db.apply({ALOUETTES: {"logements": 150}}, base_version=1, author="paul")
    upload = editing.read_upload(csv("id;statut;logements", f"{ALOUETTES};travaux logements;139"), "ancien.csv")
    assert upload.ok and upload.base_version is None
    assert editing.suggest_base(upload.rows, [2, 1]) == 1
    # Read against version 1, the file changes nothing; against the head it would undo paul's 150.
    assert editing.preview_upload(upload, base_version=1).changes == {}
    assert editing.preview_upload(upload).effective.to_dict("records") == [
        {"Cité": "Cité des Alouettes", "Champ": "Logements", "Avant": "150", "Après": "139"}
    ]


def test_the_web_save_gets_the_stores_refusal_not_a_silent_cut(db, editing) -> None:
    """Issue #18, finding 4: the web path saved NUL bytes and bidi overrides, and cut a 1 MB note."""
    preview = editing.prepare_import(csv("id;statut;logements;version_base", f"{ALOUETTES};livrée;140;1"), "maj.csv")
    for note, refusal in (
        ("é" * 1_000_000, "Note de version : texte trop long (1000000 caractères, 500 au plus)."),
        ("réunion\x00", "Note de version : caractère de contrôle refusé (U+0000)."),
        ("réunion \u202edu 3", "Note de version : caractère de contrôle refusé (U+202E)."),
    ):
        result = editing.save(preview, note, author="marie")
        assert (result.saved, result.message) == (False, refusal)
    assert db.head_number() == 1
