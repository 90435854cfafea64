"""The planners' command line (template, import, history, diff, rollback), run in-process as a user
runs it: ``main(argv)`` with the store's address in the environment."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from store import Store
from tests.cli_support import CliRun, cli_runner
from tests.store_support import BACKENDS, fresh_database_url


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture()
def cli(capsys, monkeypatch):
    """``cli(url, *args, stdin=None)``: the command run against the store at ``url``."""
    run = cli_runner(capsys, monkeypatch)

    def against(url: str, *args: str, stdin: str | None = None) -> CliRun:
        monkeypatch.setenv("ERBM_DATABASE_URL", url)
        return run(*args, stdin=stdin)

    return against


def template_rows(cli, url: str) -> list[dict[str, str]]:
    result = cli(url, "template", "cites")
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


def edited(rows: list[dict[str, str]], cite_id: str, **values: str) -> list[dict[str, str]]:
    return [{**row, **values} if row["id"] == cite_id else row for row in rows]


def head_number(url: str) -> int:
    db = Store(url)
    try:
        return db.head_number()
    finally:
        db.close()


def test_template_import_history_rollback(store_url, tmp_path, cli) -> None:
    rows = template_rows(cli, store_url)
    assert {"id", "statut", "logements"} <= set(rows[0])
    assert len(rows) == 59
    alouettes = next(r for r in rows if r["id"] == "102")
    assert (alouettes["statut"], alouettes["logements"], alouettes["version_base"]) == ("travaux logements", "139", "1")

    update = write_rows(tmp_path / "maj.csv", edited(rows, "102", statut="livrée", logements="140"))
    result = cli(store_url, "import", str(update), "--author", "marie", "--note", "comité du 12 juin")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Version 2 enregistrée : 2 modification(s)"

    again = cli(store_url, "import", str(update), "--author", "marie")
    assert again.returncode == 0, again.stderr
    assert "Aucune modification" in again.stdout
    assert head_number(store_url) == 2

    history = cli(store_url, "history")
    assert history.returncode == 0, history.stderr
    newest, oldest = history.stdout.split("\n\n")[:2]
    assert newest.startswith("Version 2 — ") and "(heure de Paris) — marie — import de fichier" in newest
    assert "Note : comité du 12 juin" in newest
    assert "cité 102 (Cité des Alouettes) : statut travaux logements → livrée" in newest
    assert "cité 102 (Cité des Alouettes) : logements 139 → 140" in newest
    assert oldest.startswith("Version 1 — ") and "construction des données — données initiales" in oldest
    assert "59 cités" in oldest

    diff = cli(store_url, "diff", "1", "2")
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.splitlines() == [
        "De la version 1 à la version 2 : 2 modification(s)",
        "  - cité 102 (Cité des Alouettes) : statut travaux logements → livrée",
        "  - cité 102 (Cité des Alouettes) : logements 139 → 140",
    ]

    back = cli(store_url, "rollback", "1", "--author", "lucie", "--note", "erreur de saisie")
    assert back.returncode == 0, back.stderr
    assert back.stdout.strip() == "Version 3 enregistrée : valeurs de la version 1 rétablies, 2 modification(s)"
    restored = next(r for r in template_rows(cli, store_url) if r["id"] == "102")
    assert (restored["statut"], restored["logements"], restored["version_base"]) == ("travaux logements", "139", "3")
    history = cli(store_url, "history", "--limit", "1").stdout
    assert history.startswith("Version 3 — ") and "lucie — restauration" in history
    assert "Rétablit les valeurs de la version 1." in history and "Version 2" not in history


def test_refused_file_writes_nothing(store_url, tmp_path, cli) -> None:
    rows = template_rows(cli, store_url)
    bad = edited(edited(rows, "102", statut="terminée"), "208", logements="-5")
    result = cli(store_url, "import", str(write_rows(tmp_path / "faux.csv", bad)))
    assert result.returncode == 1
    assert "Import refusé, rien n'a été enregistré : 2 problème(s) dans faux.csv" in result.stderr
    assert "colonne « statut » : statut inconnu « terminée »" in result.stderr
    assert "colonne « logements » : nombre négatif « -5 »" in result.stderr
    assert result.stdout == ""
    assert head_number(store_url) == 1

    big = tmp_path / "enorme.csv"
    with big.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)
    result = cli(store_url, "import", str(big))
    assert result.returncode == 1
    assert "fichier de plus de 5 Mo" in result.stderr

    missing = cli(store_url, "import", str(tmp_path / "absent.csv"))
    assert missing.returncode == 2 and "fichier introuvable" in missing.stderr
    unknown = cli(store_url, "rollback", "9")
    assert unknown.returncode == 1 and "Version 9 inconnue : les versions vont de 1 à 1." in unknown.stderr
    assert head_number(store_url) == 1


def test_concurrent_edit_of_the_same_cell_is_a_conflict(store_url, tmp_path, cli) -> None:
    rows = template_rows(cli, store_url)
    mine = write_rows(tmp_path / "marie.csv", edited(rows, "102", statut="livrée"))
    theirs = write_rows(tmp_path / "paul.csv", edited(edited(rows, "102", statut="études"), "20", logements="12"))
    assert cli(store_url, "import", str(mine), "--author", "marie").returncode == 0
    result = cli(store_url, "import", str(theirs), "--author", "paul")
    assert result.returncode == 1
    assert "Modifications refusées, rien n'a été enregistré" in result.stderr
    assert (
        "cité 102 (Cité des Alouettes), champ « statut » : « livrée (2019-11-25) » dans la base (version 2), "
        "« études (2019-11-25) » dans votre saisie"
    ) in result.stderr
    assert head_number(store_url) == 2


def test_xlsx_template_round_trip(store_url, tmp_path, cli) -> None:
    out = tmp_path / "modele.xlsx"
    result = cli(store_url, "template", "cites", "--format", "xlsx", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(out)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if str(r[0].value) == "208")
    row[header.index("logements")].value = 611
    book.save(out)
    result = cli(store_url, "import", str(out), "--author", "marie")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Version 2 enregistrée : 1 modification(s)"
    assert "cité 208 (Cité n°4 de Lens) : logements 605 → 611" in cli(store_url, "diff", "1", "2").stdout


def test_hash_password_reads_twice_and_prints_a_verifiable_hash(tmp_path, cli) -> None:
    from domain.accounts import verify_password

    url = f"sqlite:///{(tmp_path / 'unused.sqlite').as_posix()}"
    result = cli(url, "hash-password", stdin="s3cret-Lens\ns3cret-Lens\n")
    assert result.returncode == 0, result.stderr
    encoded = result.stdout.strip().splitlines()[-1]
    assert verify_password("s3cret-Lens", encoded) and not verify_password("autre", encoded)
    mismatch = cli(url, "hash-password", stdin="un\ndeux\n")
    assert mismatch.returncode == 1 and "les deux saisies diffèrent" in mismatch.stderr


@pytest.mark.parametrize("piped", ["", "s3cret-Lens\n"])
def test_hash_password_with_piped_input_that_ends_early_is_a_french_error(tmp_path, cli, piped) -> None:
    url = f"sqlite:///{(tmp_path / 'unused.sqlite').as_posix()}"
    result = cli(url, "hash-password", stdin=piped)
    assert result.returncode == 2 and result.stdout == ""
    assert "Erreur : l'entrée s'est terminée avant le mot de passe et sa confirmation" in result.stderr
    assert "inattendue" not in result.stderr and "EOFError" not in result.stderr


def test_export_and_fiche_follow_the_chosen_version(tmp_path, cli) -> None:
    from pypdf import PdfReader

    with fresh_database_url("sqlite", tmp_path) as url:
        rows = edited(template_rows(cli, url), "102", statut="livrée", statut_date="2026-11-01", logements="150")
        assert cli(url, "import", str(write_rows(tmp_path / "m.csv", rows)), "--author", "léa").returncode == 0

        def cite_102(*args: str) -> dict[str, str]:
            result = cli(url, "export", "cites", *args)
            assert result.returncode == 0, result.stderr
            return next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["id"] == "102")

        latest, first = cite_102(), cite_102("--version", "1")
        assert (latest["statut"], latest["logements"], latest["statut_source"]) == ("livrée", "150", "maj-2")
        assert latest["version_des_donnees"].startswith("version 2 du ")
        assert latest["version_des_donnees"].endswith("(léa) — dernière version")
        assert (first["statut"], first["logements"], first["statut_source"]) == ("travaux logements", "139", "seed-000")
        assert first["version_des_donnees"].startswith("version 1 du ")

        refused = cli(url, "export", "cites", "--version", "7")
        assert refused.returncode != 0
        assert "Version 7 inconnue : les versions vont de 1 à 2." in refused.stderr

        pdf = tmp_path / "fiche.pdf"
        assert cli(url, "fiche", "--cite", "102", "--version", "2", "-o", str(pdf)).returncode == 0
        text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
        assert "livrée" in text
        assert "Mise à jour n° 2 de Carte ERBM" in text
        assert "valeurs des cités : version 2 du" in " ".join(text.split())


# --- review fixes ---------------------------------------------------------------------------------


def without_version_base(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k != "version_base"} for row in rows]


def test_a_file_without_version_base_is_refused_unless_its_base_is_given(store_url, tmp_path, cli) -> None:
    old = template_rows(cli, store_url)  # version 1, kept by A for later
    b_file = write_rows(tmp_path / "b.csv", edited(old, "20", logements="21"))
    assert cli(store_url, "import", str(b_file), "--author", "b").returncode == 0  # version 2
    a_rows = without_version_base(edited(old, "33", logements="34"))
    a_file = write_rows(tmp_path / "a.csv", a_rows)
    refused = cli(store_url, "import", str(a_file), "--author", "a")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith(
        "Import refusé, rien n'a été enregistré : a.csv n'indique pas de quelle version il part "
        "(colonne « version_base » absente ou vide)."
    )
    assert "remettrait ses anciennes valeurs" in refused.stderr
    assert "python cli.py template cites" in refused.stderr and "--base N (version actuelle : 2)" in refused.stderr
    blank = write_rows(
        tmp_path / "vide.csv", [{**row, "version_base": ""} for row in edited(old, "33", logements="34")]
    )
    assert "colonne « version_base » absente ou vide" in cli(store_url, "import", str(blank)).stderr
    assert head_number(store_url) == 2

    contradicted = cli(store_url, "import", str(b_file), "--base", "2")
    assert contradicted.returncode == 1
    assert "--base 2 contredit la colonne « version_base » de b.csv (1)" in contradicted.stderr
    assert cli(store_url, "import", str(a_file), "--base", "99999999999999999999").returncode == 1

    landed = cli(store_url, "import", str(a_file), "--author", "a", "--base", "1")
    assert landed.returncode == 0, landed.stderr
    assert landed.stdout.strip() == "Version 3 enregistrée : 1 modification(s)"
    diff = cli(store_url, "diff", "2", "3").stdout.splitlines()
    assert diff[0] == "De la version 2 à la version 3 : 1 modification(s)"  # cité 20 keeps B's value
    assert diff[1:] == ["  - cité 33 : logements non renseigné → 34"] or (
        diff[1].startswith("  - cité 33 (") and diff[1].endswith(") : logements non renseigné → 34")
    )
    db = Store(store_url)
    try:
        assert (db.values()["20"].logements, db.values()["33"].logements) == (21, 34)
        assert db.head().base_version == 1
    finally:
        db.close()


def test_huge_version_numbers_are_french_errors_without_traceback(store_url, tmp_path, cli) -> None:
    huge = "99999999999999999999"
    for args, message in (
        (("rollback", huge), f"Erreur : Version {huge} inconnue : les versions vont de 1 à 1."),
        (("diff", "1", huge), f"Erreur : Version {huge} inconnue : les versions vont de 1 à 1."),
        (("export", "cites", "--version", huge), f"Erreur : Version {huge} inconnue"),
    ):
        result = cli(store_url, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    rows = [{**row, "version_base": huge} for row in template_rows(cli, store_url)]
    result = cli(store_url, "import", str(write_rows(tmp_path / "v.csv", rows)))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"colonne « version_base » : version de base impossible « {huge} »" in result.stderr
    assert head_number(store_url) == 1


def test_rollback_to_the_current_values_writes_nothing(store_url, cli) -> None:
    result = cli(store_url, "rollback", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Rien à restaurer : la version 1 est identique à la version actuelle."
    assert head_number(store_url) == 1


def test_history_limit_note_and_author_are_checked(store_url, tmp_path, cli) -> None:
    for limit in ("-1", "0"):
        result = cli(store_url, "history", "--limit", limit)
        assert result.returncode == 2
        assert f"nombre entier positif attendu, « {limit} » reçu" in result.stderr
    update = write_rows(tmp_path / "maj.csv", edited(template_rows(cli, store_url), "102", logements="140"))
    for args, message in (
        (("--note", "x" * 501), "Note : texte trop long (501 caractères, 500 au plus)"),
        (("--note", "ok \x1b[2J effacé"), "Note : caractère de contrôle refusé (U+001B)"),
        (("--note", "abc\u202edef"), "Note : caractère de contrôle refusé (U+202E)"),
        (("--author", "a" * 101), "Auteur : texte trop long (101 caractères, 100 au plus)"),
        (("--author", "m\u2066arie"), "Auteur : caractère de contrôle refusé (U+2066)"),
    ):
        result = cli(store_url, "import", str(update), *args)
        assert result.returncode == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr
    assert cli(store_url, "rollback", "1", "--note", "\x07").returncode == 2
    assert head_number(store_url) == 1
    kept = cli(store_url, "import", str(update), "--author", "a" * 100, "--note", "comité\ndu 12 juin")
    assert kept.returncode == 0, kept.stderr
    db = Store(store_url)
    try:
        assert (db.head().author, db.head().note) == ("a" * 100, "comité du 12 juin")
    finally:
        db.close()
    everything = cli(store_url, "history", "--limit", "2")
    assert everything.returncode == 0 and "Version 1 — " in everything.stdout


def test_an_unexpected_error_is_one_french_line(monkeypatch, capsys) -> None:
    import cli as cli_module
    from commands import store as store_commands

    def boom(*_args: object) -> int:
        raise RuntimeError("disque\nplein")

    monkeypatch.setattr(store_commands, "cmd_history", boom)
    monkeypatch.delenv(cli_module.DEBUG_ENV, raising=False)
    assert cli_module.main(["history"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "Erreur inattendue (RuntimeError : disque plein). Relancez avec ERBM_DEBUG=1 pour le détail technique.\n"
    )
    monkeypatch.setenv(cli_module.DEBUG_ENV, "1")
    with pytest.raises(RuntimeError):
        cli_module.main(["history"])


def test_export_and_fiche_at_a_date(tmp_path, cli) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from pypdf import PdfReader

    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    with fresh_database_url("sqlite", tmp_path) as url:
        rows = edited(template_rows(cli, url), "102", statut="livrée", logements="150")
        assert cli(url, "import", str(write_rows(tmp_path / "m.csv", rows)), "--author", "léa").returncode == 0

        result = cli(url, "export", "cites", "--date", today.isoformat())
        assert result.returncode == 0, result.stderr
        row = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["id"] == "102")
        assert (row["statut"], row["logements"]) == ("livrée", "150")
        assert row["version_des_donnees"].startswith("version 2 du ")

        before = cli(url, "export", "cites", "--date", "2020-01-01")
        assert before.returncode == 1 and "Traceback" not in before.stderr
        assert before.stderr.startswith("Erreur : Aucune version au 01/01/2020 : la première version date du ")
        ahead = (today + timedelta(days=2)).isoformat()
        future = cli(url, "fiche", "--cite", "102", "--date", ahead, "-o", str(tmp_path / "f.pdf"))
        assert future.returncode == 1 and "à venir" in future.stderr
        both = cli(url, "export", "cites", "--version", "1", "--date", today.isoformat())
        assert both.returncode == 2
        assert "argument --date : incompatible avec l'argument --version" in both.stderr
        bad = cli(url, "export", "cites", "--date", "12/06/2026")
        assert bad.returncode == 2 and "date attendue au format AAAA-MM-JJ, « 12/06/2026 » reçu" in bad.stderr

        pdf = tmp_path / "fiche.pdf"
        result = cli(url, "fiche", "--cite", "102", "--date", today.isoformat(), "-o", str(pdf))
        assert result.returncode == 0, result.stderr
        assert "Mise à jour n° 2 de Carte ERBM" in "".join(p.extract_text() for p in PdfReader(pdf).pages)


def test_control_characters_from_a_file_or_the_store_are_shown_not_obeyed(tmp_path, cli) -> None:
    """A cell or a stored note with terminal escapes (clear screen, set title, bell) and a
    right-to-left override: the CLI prints their codes, never the raw characters (issue #18)."""
    with fresh_database_url("sqlite", tmp_path) as url:
        rows = edited(template_rows(cli, url), "102", statut="\x1b[2Jlivrée\u202e")
        refused = cli(url, "import", str(write_rows(tmp_path / "m.csv", rows)), "--author", "léa")
        assert refused.returncode == 1
        assert "\\x1b[2Jlivrée\\u202e" in refused.stderr
        assert "\x1b" not in refused.stderr and "\u202e" not in refused.stderr
        # The store now refuses such a note (test_store_text.py); a database written before it did
        # may still hold one: written here behind the store's back.
        with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
            raw.execute(
                "INSERT INTO erbm_versions (number, parent, created_at, author, note, kind, changes) "
                "VALUES (2, 1, '2026-01-02 10:00:00', ?, ?, 'edit', 0)",
                ("p\x07", "note\x1b]0;titre\x07"),
            )
            raw.execute(
                "INSERT INTO erbm_cite_values SELECT 2, cite_id, statut, statut_date, logements, source, "
                "statut_source, logements_source FROM erbm_cite_values WHERE version = 1"
            )
        history = cli(url, "history")
        assert history.returncode == 0, history.stderr
        assert "note\\x1b]0;titre\\x07" in history.stdout and "p\\x07" in history.stdout
        assert "\x1b" not in history.stdout and "\x07" not in history.stdout
