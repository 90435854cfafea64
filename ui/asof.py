"""Which version of the cités' values the session looks at: the latest, or the data as of a date."""

from __future__ import annotations

import logging
from datetime import date, datetime

import streamlit as st

from domain.versions import KIND_LABELS, PARIS, version_label
from geo.errors import DataFileError
from store import Version
from ui import data
from ui.text import md_escape

log = logging.getLogger("carte_erbm")

LOADED_KEY = "asof_loaded"
WARNINGS_KEY = "asof_warnings"
MODE_KEY = "asof_mode"
DATE_KEY = "asof_date"
NUMBER_KEY = "asof_number"
LATEST, AT_DATE, AT_VERSION = "Dernière version", "À une date", "Une version précise"


def _parse_date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _today() -> date:
    return datetime.now(PARIS).date()


def load_once() -> None:
    """On a session's first run, read ``version=N`` or ``date=AAAA-MM-JJ`` from the link."""
    if st.session_state.get(LOADED_KEY):
        return
    st.session_state[LOADED_KEY] = True
    warnings: list[str] = []
    raw_version, raw_date = st.query_params.get("version"), st.query_params.get("date")
    try:
        db = data.store()
        if raw_version is not None:
            if raw_version.isdigit() and 1 <= int(raw_version) <= db.head_number():
                st.session_state[data.VERSION_KEY] = int(raw_version)
                st.session_state[MODE_KEY] = AT_VERSION
                st.session_state[NUMBER_KEY] = int(raw_version)
            else:
                warnings.append(f"Paramètre « version » : « {raw_version[:20]} » ignoré (version inconnue).")
        elif raw_date is not None:
            when = _parse_date(raw_date)
            future = when is not None and when > _today()
            found = db.version_at(when) if when and not future else None
            if found is None:
                why = (
                    "date illisible (AAAA-MM-JJ attendu)"
                    if when is None
                    else "date à venir"
                    if future
                    else "aucune version à cette date"
                )
                warnings.append(f"Paramètre « date » : « {raw_date[:20]} » ignoré ({why}).")
            else:
                st.session_state[data.VERSION_KEY] = found.number
                st.session_state[MODE_KEY] = AT_DATE
                st.session_state[DATE_KEY] = when
    except Exception:  # the store being down is reported by the picker
        log.exception("store unavailable while reading the link")
    st.session_state[WARNINGS_KEY] = warnings


def url_params() -> dict[str, list[str]]:
    """The version part of a shareable link (empty for the latest version)."""
    number = data.selected_version()
    return {"version": [str(number)]} if number is not None else {}


def _sync() -> None:
    """Widget callback: runs before the next script run, so every page already sees the new version."""
    mode = st.session_state.get(MODE_KEY, LATEST)
    if mode == LATEST:
        st.session_state[data.VERSION_KEY] = None
        return
    try:
        db = data.store()
        if mode == AT_DATE:
            if not isinstance(st.session_state.get(DATE_KEY), date):
                # Switching to « À une date »: the picker starts on today, so the data must too.
                st.session_state[DATE_KEY] = _today()
            chosen = st.session_state.get(DATE_KEY)
            found = db.version_at(chosen) if isinstance(chosen, date) else None
            st.session_state[data.VERSION_KEY] = found.number if found else db.versions()[-1].number
        else:
            st.session_state[data.VERSION_KEY] = int(st.session_state.get(NUMBER_KEY) or db.head_number())
    except Exception:  # the picker reports the store being down on this run
        log.exception("store unavailable")


def sidebar_picker() -> None:
    """« Version des données » in the sidebar of every page, with a notice when it is not the latest.

    Drawn after the page, at the foot of the sidebar; its callbacks set the version before the
    next run, so the page drawn above it is always at the version it shows.
    """
    for message in st.session_state.get(WARNINGS_KEY, []):
        st.sidebar.warning(f"Lien : {md_escape(message, limit=200)}")
    versions = _versions_or_notice()
    if versions is None:
        return
    by_number = {v.number: v for v in versions}
    shown = data.selected_version()
    with st.sidebar.expander("Version des données", expanded=shown is not None):
        mode = st.radio(
            "Afficher",
            (LATEST, AT_DATE, AT_VERSION),
            key=MODE_KEY,
            on_change=_sync,
            help="Voir la carte, les fiches et les exports tels qu'ils étaient à une date ou à une version passée.",
        )
        if mode == AT_DATE:
            _date_picker(versions)
        elif mode == AT_VERSION:
            _version_picker(by_number, shown)
    _shown_notice(versions[0], by_number, shown)


def _versions_or_notice() -> list[Version] | None:
    """The store's versions, newest first; None when the store cannot give them (a notice says so
    when the database is down)."""
    try:
        return data.store().versions()
    except DataFileError:
        return None  # the page itself reports a broken data file
    except Exception:  # any database failure: pages fall back to the build's values
        log.exception("store unavailable")
        st.sidebar.warning(
            "Base des mises à jour injoignable : la carte montre les données de référence construites, "
            "sans les mises à jour des chargés de mission."
        )
        return None


def _date_picker(versions: list[Version]) -> None:
    """« Données au »: a day between the first version's and today."""
    today = _today()
    first = versions[-1].created_at.astimezone(PARIS).date()
    chosen = st.session_state.get(DATE_KEY)
    if not isinstance(chosen, date) or not first <= chosen <= today:
        # Out of the picker's range (a day has passed, or the data were rebuilt): clamp.
        st.session_state[DATE_KEY] = min(max(chosen, first), today) if isinstance(chosen, date) else today
        _sync()
    st.date_input(
        "Données au",
        min_value=first,
        max_value=today,
        format="DD/MM/YYYY",
        key=DATE_KEY,
        on_change=_sync,
    )


def _version_picker(by_number: dict[int, Version], shown: int | None) -> None:
    """« Version »: one of the store's versions, newest first (``by_number`` keeps the store's order)."""
    if st.session_state.get(NUMBER_KEY) not in by_number:
        st.session_state[NUMBER_KEY] = shown if shown in by_number else next(iter(by_number))
    st.selectbox(
        "Version",
        list(by_number),
        format_func=lambda n: f"{version_label(by_number[n])} — {KIND_LABELS.get(by_number[n].kind, '')}",
        key=NUMBER_KEY,
        on_change=_sync,
        placeholder="Choisir…",
    )


def _shown_notice(head: Version, by_number: dict[int, Version], shown: int | None) -> None:
    """Under the picker: a warning when the data shown are not the latest, else which version they are."""
    if shown is not None and shown in by_number and shown != head.number:
        st.sidebar.warning(
            f"Données affichées : {md_escape(version_label(by_number[shown]), limit=120)}. "
            f"La version actuelle est la {head.number}."
        )
    else:
        st.sidebar.caption(f"Données : {md_escape(version_label(head), limit=120)} (dernière version).")


def caption() -> str:
    """The viewed version, for export stamps and captions."""
    number = data.viewed_version()
    if number is None:
        return "données de référence (base des mises à jour injoignable)"
    try:
        v = data.store().version(number)
        latest = data.store().head_number()
    except Exception:
        log.exception("store unavailable")
        return f"version {number}"
    return version_label(v) + (" — dernière version" if number == latest else f" — la dernière est la {latest}")
