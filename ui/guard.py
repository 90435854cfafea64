"""Run a page so that a data problem shows a French message, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from geo.errors import DataFileError
from ui.text import md_escape

log = logging.getLogger("carte_erbm")


def visitor_message(err: DataFileError) -> str:
    """What a visitor reads of a data problem: the file by its name, never the server's folders."""
    lines = [f"- {md_escape(line, limit=300)}" for line in err.lines()[:10]]
    return "\n".join(
        [
            "Les données de la carte ne peuvent pas être chargées.",
            "",
            f"Fichier de données invalide : {Path(err.path).name}",  # one of our own file names
            *lines,
            "",
            "Relancez « python cli.py build-data » ou restaurez ce fichier ; le détail est dans le journal du serveur.",
        ]
    )


def run_page(render: Callable[[], None]) -> None:
    try:
        render()
    except DataFileError as err:
        log.error("données illisibles : %s", err.french_message())
        st.error(visitor_message(err))
    except Exception:
        log.exception("page failed")
        st.error("Une erreur inattendue est survenue. Rechargez la page ; si elle persiste, signalez-la.")
