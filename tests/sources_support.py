"""Reading the programme documents (seeds) and reference files a quote must be found in."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def normalise(text: str) -> str:
    """Whitespace collapsed, markdown emphasis and line-end hyphenation undone, one apostrophe."""
    text = text.replace("**", "").replace("\u2019", "'")
    text = re.sub(r"\^\{(\w+)\}", r"\1", text)  # « 1^{er} » is how the seed prints « 1er »
    text = re.sub(r"-\s*\n\s*", "-", text)  # « Pas-de-\\nCalais »
    return " ".join(text.split())


def quote_pieces(quote: str) -> list[str]:
    """The verbatim pieces of a quote: cuts « [...] », « ... » and « ; » separate them."""
    parts = re.split(r"\[\.\.\.\]|\.\.\.|…| ; ", quote)
    return [p.strip(" .") for p in parts if p.strip(" .")]


@cache
def document_text(doc_id: str) -> str:
    """The normalised text a quote of ``doc_id`` must be found in: the seed itself, or for a web
    page or ``reference``, the researched reference files that copied it."""
    docs = pd.read_csv(SOURCES / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    if doc_id in docs.index and docs.loc[doc_id, "kind"] == "seed":
        return normalise((SOURCES / "seeds" / docs.loc[doc_id, "location"]).read_text(encoding="utf-8"))
    reference = SOURCES / "reference"
    return normalise(" || ".join(p.read_text(encoding="utf-8") for p in sorted(reference.glob("*.csv"))))


def missing_pieces(doc_id: str, quote: str) -> list[str]:
    text = document_text(doc_id)
    return [p for p in quote_pieces(quote) if normalise(p) not in text]
