"""The key figures' Markdown table: labels, values, sources and notes, escaped."""

from __future__ import annotations

from domain.keyfigures import KeyFigure
from ui.headline import key_figures_markdown


def test_table_has_one_column_per_figure_and_numbered_notes() -> None:
    md = key_figures_markdown(
        [
            KeyFigure("Communes", "250", "Périmètre", "2019"),
            KeyFigure("Logements", "plus de 15\u202f500", "Convention", "2025", quote="plus de 15500 foyers"),
        ]
    )
    assert md.split("\n") == [
        "| Communes | Logements (1) |",
        "|:--|:--|",
        "| **250** | **plus de 15\u202f500** |",
        "| :gray[:small[Périmètre · 2019]] | :gray[:small[Convention · 2025]] |",
        "",
        ":gray[:small[\\(1\\) Logements : « plus de 15500 foyers »]]",
    ]


def test_no_date_no_quote_no_note() -> None:
    md = key_figures_markdown([KeyFigure("Logements réhabilités", "non renseigné", "aucune source chargée", "")])
    assert md.split("\n")[2:] == ["| **non renseigné** |", "| :gray[:small[aucune source chargée]] |"]


def test_markdown_in_a_source_stays_text() -> None:
    # A cell separator, a link, LaTeX or HTML in a source must neither break the table nor render.
    md = key_figures_markdown([KeyFigure("A|B", "1", "[x](https://phish.example) $x$ <b>z</b> :red[y]", "")])
    head, _, value, source = md.split("\n")
    assert head == "| A\\|B |" and value == "| **1** |"
    assert "\\[x\\]\\(https\u200b://phish\\.example\\)" in source
    assert "\\$x\\$" in source and "\\<b\\>z\\</b\\>" in source and ":red\\[y\\]" in source
