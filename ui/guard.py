"""Run a page so that a data problem shows a French message, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from geo.errors import DataFileError

log = logging.getLogger("carte_erbm")


def run_page(render: Callable[[], None]) -> None:
    try:
        render()
    except DataFileError as err:
        st.error(
            "Les données de la carte ne peuvent pas être chargées.\n\n"
            + err.french_message().replace("\n", "  \n")
            + "\n\nRelancez « python cli.py build-data » ou restaurez le fichier nommé ci-dessus."
        )
    except Exception:
        log.exception("page failed")
        st.error("Une erreur inattendue est survenue. Rechargez la page ; si elle persiste, signalez-la.")
