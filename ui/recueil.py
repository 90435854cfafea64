"""The binder (« recueil ») in the app: a button that builds it with a progress bar, then a download
button; Mon territoire offers an EPCI's communes, the Cités page the filtered cités.

Built binders are kept in a process-wide cache keyed by the data (build date, version of the cités'
values) and the territory, so a second request, from any session, is served at once. The lock
only guards the cache's dictionary: the rendering itself runs outside it, in the requesting
session's thread, so other sessions go on being served (they share the processor with it, no
lock). Two sessions asking at once for the same binder both render it; the second result simply
replaces the first in the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from domain.recueil import Binder
    from geo.load import Territory

CacheKey = tuple[str, ...]
MAX_CACHED_BYTES = 256 * 1024 * 1024  # the whole perimeter's binder weighs about 50 Mo

_CACHE: OrderedDict[CacheKey, bytes] = OrderedDict()
_LOCK = threading.Lock()


def cached(key: CacheKey) -> bytes | None:
    with _LOCK:
        pdf = _CACHE.get(key)
        if pdf is not None:
            _CACHE.move_to_end(key)
        return pdf


def keep(key: CacheKey, pdf: bytes) -> None:
    """Cache ``pdf``, dropping the least recently used binders beyond MAX_CACHED_BYTES."""
    with _LOCK:
        _CACHE[key] = pdf
        _CACHE.move_to_end(key)
        while len(_CACHE) > 1 and sum(map(len, _CACHE.values())) > MAX_CACHED_BYTES:
            _CACHE.popitem(last=False)


def binder_pdf(
    t: Territory, binder: Binder, key: CacheKey, *, values_version: str, progress: Callable[[int, int], None]
) -> bytes:
    """The binder's PDF, from the cache or rendered now (outside any lock) and cached."""
    from fiche.recueil import render_binder

    pdf = cached(key)
    if pdf is None:
        pdf = render_binder(t, binder, values_version=values_version, progress=progress)
        keep(key, pdf)
    return pdf


def cache_key(binder: Binder, values_version: str) -> CacheKey:
    """What makes two binders the same: the data, the version of the cités' values, the sheets and their order."""
    from ui import data

    refs = ",".join(s.ref for s in binder.sheets)
    return (binder.built, data.display_data().cites_version, values_version, binder.scope, binder.ref, refs)


def offer(t: Territory, binder: Binder, *, label: str, key: str) -> None:
    """« ``label`` » builds the binder (progress bar), then « Télécharger le recueil PDF » offers it."""
    from domain.recueil import binder_filename
    from ui.asof import caption

    values_version = caption()
    ckey = cache_key(binder, values_version)
    state = f"{key}-ready"
    count = len(binder.sheets)
    if st.button(label, key=f"{key}-build", help=f"{count} fiche(s), sommaire et signets, un seul PDF"):
        bar = st.progress(0.0, text=f"Recueil : 0 fiche sur {count}")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Recueil : {done} fiche(s) sur {total}")

        binder_pdf(t, binder, ckey, values_version=values_version, progress=progress)
        bar.empty()
        st.session_state[state] = ckey
    pdf = cached(ckey) if st.session_state.get(state) == ckey else None
    if pdf is not None:
        st.download_button(
            "Télécharger le recueil PDF",
            data=pdf,
            file_name=binder_filename(binder),
            mime="application/pdf",
            key=f"{key}-download",
        )


def epci_recueil(t: Territory, siren: str) -> None:
    """Mon territoire, for an EPCI: the binder of its communes' fiches."""
    from domain.recueil import epci_binder

    offer(t, epci_binder(t, siren), label="Recueil PDF des communes", key="recueil-epci")


def cites_recueil(t: Territory, ids: Sequence[str], described: str) -> None:
    """The Cités page: the binder of the filtered cités' fiches (nothing when no cité is kept)."""
    from domain.recueil import cites_binder

    if len(ids) == 0:
        return
    offer(t, cites_binder(t, ids, described=described), label="Recueil PDF des cités filtrées", key="recueil-cites")
