"""Page Mon territoire : une commune, un EPCI ou une cité, sa carte, son profil et sa fiche PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from ui.guard import run_page

if TYPE_CHECKING:
    from geo.load import Territory

# Imports stay inside the functions: run_page then reports any failure in French.


def _open_from_link(t: Territory) -> None:
    """?commune=<INSEE>, ?epci=<SIREN> or ?cite=<id> opens the page on that territory (first run only)."""
    from domain.territory import KINDS, choices
    from ui.text import md_escape

    if "terr_kind" in st.session_state:
        return
    for kind in KINDS:
        ref = st.query_params.get(kind)
        if ref is not None:
            if ref in choices(t, kind):
                st.session_state["terr_kind"], st.session_state["terr_ref"] = kind, ref
            else:
                what = {"commune": "commune inconnue", "epci": "EPCI inconnu", "cite": "cité inconnue"}[kind]
                st.warning(f"Lien : {what} « {md_escape(ref, limit=40)} » ; choisissez un territoire.")
            break


def _pick_territory(t: Territory) -> tuple[str, str]:
    """The kind and territory chosen with the two widgets; written back into the page's link."""
    from domain.territory import KINDS, choices
    from ui import asof

    c1, c2 = st.columns([1, 3])
    kind = c1.radio("Type", options=list(KINDS), format_func=KINDS.get, key="terr_kind", horizontal=True)
    options = choices(t, kind)
    if st.session_state.get("terr_ref") not in options:
        st.session_state["terr_ref"] = next(iter(options))
    ref = c2.selectbox(
        KINDS[kind], options=list(options), format_func=options.get, key="terr_ref", placeholder="Choisir…"
    )
    st.query_params.from_dict({kind: ref} | asof.url_params())
    return kind, ref


def _follow(t: Territory, kind: str, ref: str) -> None:
    """A newly chosen territory: the map zooms on it and the side panel shows its record."""
    from domain.territory import feature_frame
    from geo.extent import display_bounds
    from ui.mapview import zoom_to

    if st.session_state.get("terr_view") != (kind, ref):
        st.session_state["terr_view"] = (kind, ref)
        zoom_to(display_bounds(feature_frame(t, kind, ref), pad_m=1500))
        st.session_state["selection"] = (kind, ref)


def _pdf_buttons(kind: str, ref: str) -> None:
    from domain.provenance import manifest
    from fiche.pdf import fiche_filename
    from ui import data
    from ui.profile import fiche_pdf

    built = str(manifest()["built"])
    d1, d2 = st.columns([1, 3])
    if d1.button("Préparer la fiche PDF (A4)", key="prep-pdf"):
        st.session_state["pdf_ready"] = (kind, ref)
    if st.session_state.get("pdf_ready") == (kind, ref):
        d2.download_button(
            "Télécharger la fiche PDF",
            data=fiche_pdf(kind, ref, built, data.display_data().cites_version),
            file_name=fiche_filename(kind, ref),
            mime="application/pdf",
            key="dl-pdf",
        )
    d2.caption(f"Lien direct vers cette fiche : page « territoire » avec `?{kind}={ref}`.")


def render() -> None:
    from domain.profile import profile
    from domain.territory import member_communes
    from ui import data, explorer, filters, mapview
    from ui.profile import show_profile

    t = data.territory()
    dd = data.display_data()
    st.title("Mon territoire")
    _open_from_link(t)
    kind, ref = _pick_territory(t)
    _follow(t, kind, ref)
    shown = profile(t, kind, ref)
    st.header(shown.title)
    st.caption(shown.subtitle)
    _pdf_buttons(kind, ref)
    if kind == "epci":
        from ui.recueil import epci_recueil

        epci_recueil(t, ref)

    flt, filtered = filters.current(), t.cites
    options_map = mapview.MapOptions(indicator="population", dim_others=True)
    explorer.map_and_panel(
        t,
        dd,
        filtered,
        flt,
        options_map,
        territory_communes=member_communes(t, kind, ref),
        write_url=False,
        show_exports=False,
    )
    show_profile(shown)


run_page(render)
