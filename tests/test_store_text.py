"""One check for every write (issue #18, finding 4): the store itself refuses what no path may save.

Notes, authors and text values reach the store from the web form, the import, the CLI, a
rollback and a restore; the rules live in the store, so each of those paths gets the same refusal
in French, and nothing is written. Database failures name no host, user or path.
"""

from __future__ import annotations

import pytest

from store import InvalidChange, Store, StoreError, build_values
from store.fields import MAX_NOTE_CHARS
from tests.store_support import BACKENDS, StoreFactory, fresh_database_url

HOSTILE = {
    "NUL": "réunion\x00du 3 mars",
    "ESC": "réunion \x1b[2J\x1b[31mdu 3 mars",
    "RLO": "réunion \u202edu 3 mars",
    "bell": "réunion\x07",
}


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture()
def seeded(store_url, territory):
    factory = StoreFactory(store_url)
    db = factory()
    db.ensure_build(build_values(territory.cites), label="test")
    db.apply({"102": {"logements": 150}}, base_version=1, author="paul", note="v2", kind="edit")
    yield db
    factory.close()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_write_refuses_control_characters_in_a_note(seeded, name) -> None:
    writes = {
        "import": lambda: seeded.apply({"102": {"logements": 151}}, base_version=2, author="marie", note=HOSTILE[name]),
        "rollback": lambda: seeded.rollback(1, author="marie", note=HOSTILE[name]),
        "restore": lambda: seeded.rollback(1, author="marie", note=HOSTILE[name], expected_head=2),
    }
    for path, write in writes.items():
        with pytest.raises(InvalidChange) as refused:
            write()
        assert refused.value.french_message().startswith("Note de version : caractère de contrôle refusé (U+"), path
    assert seeded.head_number() == 2


def test_a_long_note_is_refused_not_cut(seeded) -> None:
    for note in ("x" * (MAX_NOTE_CHARS + 1), "é" * 1_000_000):
        with pytest.raises(
            InvalidChange, match=rf"Note de version : texte trop long \(\d+ caractères, {MAX_NOTE_CHARS} au plus\)"
        ):
            seeded.apply({"102": {"logements": 151}}, base_version=2, author="marie", note=note)
    assert seeded.head_number() == 2
    kept = seeded.apply({"102": {"logements": 151}}, base_version=2, author="marie", note="y" * MAX_NOTE_CHARS)
    assert kept.note == "y" * MAX_NOTE_CHARS


def test_text_values_and_authors_get_the_same_rules(seeded) -> None:
    with pytest.raises(InvalidChange, match=r"cité 102.*champ « source ».*caractère de contrôle refusé \(U\+0000\)"):
        seeded.apply({"102": {"source": "courrier\x00"}}, base_version=2, author="marie")
    with pytest.raises(InvalidChange, match=r"champ « source ».*texte trop long \(501 caractères, 500 au plus\)"):
        seeded.apply({"102": {"source": "s" * 501}}, base_version=2, author="marie")
    with pytest.raises(InvalidChange, match=r"Auteur : caractère de contrôle refusé \(U\+202E\)"):
        seeded.apply({"102": {"logements": 151}}, base_version=2, author="ma\u202erie")
    assert seeded.head_number() == 2
    # Line breaks in a note are spaces, as the CLI always stored them.
    assert seeded.apply({"102": {"logements": 151}}, base_version=2, author="marie", note="a\r\nb\tc").note == "a b c"


def test_database_failures_name_no_host_user_or_path(tmp_path) -> None:
    # A PostgreSQL server reached through a socket folder that does not exist: no network needed.
    socket_dir = tmp_path / "secret-folder"
    with pytest.raises(StoreError) as down:
        Store(f"postgresql+psycopg://utilisateur_secret@/erbm?host={socket_dir}")
    message = down.value.french_message()
    assert message.startswith("Base de données indisponible")
    for leak in ("utilisateur_secret", "secret-folder", str(tmp_path), "psycopg", "connection"):
        assert leak not in message
    with pytest.raises(StoreError) as bad:
        Store("sqlite+nope://utilisateur_secret:motdepasse@hote-secret/x")
    assert not any(leak in bad.value.french_message() for leak in ("utilisateur_secret", "motdepasse", "hote-secret"))
    blocked = tmp_path / "fichier"
    blocked.write_text("")
    with pytest.raises(StoreError) as no_folder:
        Store(f"sqlite:///{blocked}/sous-dossier/erbm.sqlite")
    assert str(tmp_path) not in no_folder.value.french_message()
