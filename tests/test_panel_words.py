"""Words of the record panel and of the BUD counts (ui/panel.py, domain/inventory.py)."""

from __future__ import annotations

from domain.inventory import bud_explained, inventory
from domain.records import record
from ui.panel import EXTRA_SECTIONS, add_section, status_sentence


def test_a_cites_status_and_date_in_a_sentence(territory) -> None:
    assert status_sentence(record(territory, "cite", "208")) == "Avancement : travaux logements, source non datée."
    unknown = record(territory, "cite", territory.cites["id"].iloc[0])
    assert status_sentence(unknown) == "Avancement : non renseigné."
    assert status_sentence(record(territory, "cite", "262")) == "Avancement : travaux logements, 19 octobre 2021."
    assert status_sentence(record(territory, "commune", "62498")) == ""


def test_bud_counts_in_the_same_words_from_the_data(territory) -> None:
    text = bud_explained(inventory(territory)["bud"])
    assert text.startswith("159 communes classées en BUD (arrêtés du 14/02/2018 et du 11/04/2019) : 158 identifiées")
    assert "1 à confirmer parmi 3 communes candidates (Ecquedecques, Oblinghem, Vendin-lès-Béthune)" in text
    assert text.endswith("144 des 158 identifiées sont dans le périmètre ERBM, 14 hors périmètre.")


def test_a_section_is_added_once() -> None:
    def section(rec) -> None:
        del rec

    before = len(EXTRA_SECTIONS)
    add_section(section)
    add_section(section)
    try:
        assert len(EXTRA_SECTIONS) == before + 1
    finally:
        EXTRA_SECTIONS.remove(section)
