"""Streamlit's own words in French (issue 14, point 7): the dictionary (static/erbm-fr.json) is
valid data, the page scripts parse, and the page shell loads them (ui/htmllang.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ui.htmllang import PAGE_SCRIPTS, shell, with_page_scripts
from ui.search import hits_key

STATIC = Path(__file__).resolve().parent.parent / "static"
DICTIONARY = STATIC / "erbm-fr.json"
SCRIPTS = [STATIC / "erbm-fr.js", STATIC / "erbm-search.js"]


def _words() -> dict:
    return json.loads(DICTIONARY.read_text(encoding="utf-8"))


def test_the_dictionary_maps_english_strings_to_other_french_strings() -> None:
    words = _words()
    exact = words["exact"]
    assert len(exact) >= 40
    assert exact["Skip to main content"] == "Aller au contenu principal"
    assert exact["Download as CSV"] == "Télécharger en CSV"
    for english, french in exact.items():
        assert isinstance(english, str) and isinstance(french, str), english
        assert english == english.strip() and french == french.strip(), english
        assert french and french != english, english
        # A translation is never itself a key: the page's observer cannot loop on its own writes.
        assert french not in exact, french
    for pattern, replacement in words["patterns"]:
        assert pattern.startswith("^") and pattern.endswith("$"), pattern  # whole strings only
        re.compile(pattern)
        assert "$1" in replacement, pattern


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the scripts cannot be checked")
    return node


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_the_page_scripts_parse(path: Path) -> None:
    result = subprocess.run([_node(), "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_patterns_translate_as_javascript_reads_them() -> None:
    """The patterns are JavaScript regular expressions: node applies them as the page does."""
    code = (
        "const w = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "const t = s => { for (const [p, r] of w.patterns) { const re = new RegExp(p);"
        " if (re.test(s)) return s.replace(re, r); } return null; };"
        "console.log(JSON.stringify(['5MB per file', 'Limit 200MB per file', '12 options available.',"
        " 'Help for Fond de carte', 'Fond de carte'].map(t)));"
    )
    result = subprocess.run([_node(), "-e", code, str(DICTIONARY)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "5 Mo par fichier",
        "Limite 200 Mo par fichier",
        "12 option(s) disponible(s).",
        "Aide : Fond de carte",
        None,
    ]


def test_the_shell_loads_the_page_scripts_once_deferred_in_its_head() -> None:
    html = b'<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>'
    out = shell(html)
    head = out.split(b"</head>")[0]
    for src in PAGE_SCRIPTS:
        assert head.count(f'<script defer src="{src}"></script>'.encode()) == 1
        assert (STATIC / src.rsplit("/", 1)[1]).is_file()
    assert out.startswith(b'<!doctype html><html lang="fr">')
    assert with_page_scripts(out) == out  # never twice
    assert with_page_scripts(b"<p>no head</p>") == b"<p>no head</p>"


def test_a_querys_suggestions_key_is_a_css_class_of_its_bytes() -> None:
    assert hits_key("liévin") == "search_hits-6c69c3a976696e"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", hits_key("Cité « Barrois » n°2 " * 4))
