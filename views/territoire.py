"""Page Mon territoire : une commune, un EPCI ou une cité, sa carte, sa fiche et sa fiche PDF."""

import streamlit as st

from ui.guard import run_page


def render() -> None:
    from domain.provenance import manifest
    from domain.territory import KINDS, choices, feature_frame, member_communes
    from fiche.content import fiche_content
    from fiche.pdf import fiche_filename
    from geo.extent import display_bounds
    from ui import asof, data, explorer, filters, mapview, sheet
    from ui.mapview import zoom_to
    from ui.text import md_escape

    t = data.territory()
    dd = data.display_data()
    st.title("Mon territoire")

    # ?commune=<INSEE>, ?epci=<SIREN> or ?cite=<id> opens the page on that territory.
    if "terr_kind" not in st.session_state:
        for kind in KINDS:
            ref = st.query_params.get(kind)
            if ref is not None:
                if ref in choices(t, kind):
                    st.session_state["terr_kind"], st.session_state["terr_ref"] = kind, ref
                else:
                    what = {"commune": "commune inconnue", "epci": "EPCI inconnu", "cite": "cité inconnue"}[kind]
                    st.warning(f"Lien : {what} « {md_escape(ref, limit=40)} » ; choisissez un territoire.")
                break
    c1, c2 = st.columns([1, 3])
    kind = c1.radio("Type", options=list(KINDS), format_func=KINDS.get, key="terr_kind", horizontal=True)
    options = choices(t, kind)
    if st.session_state.get("terr_ref") not in options:
        st.session_state["terr_ref"] = next(iter(options))
    ref = c2.selectbox(KINDS[kind], options=list(options), format_func=options.get, key="terr_ref")
    st.query_params.from_dict({kind: ref} | asof.url_params())

    if st.session_state.get("terr_view") != (kind, ref):
        st.session_state["terr_view"] = (kind, ref)
        zoom_to(display_bounds(feature_frame(t, kind, ref), pad_m=1500))
        if kind == "cite":
            st.session_state["selection"] = ("cite", ref)
        else:
            st.session_state["selection"] = (kind, ref)
    content = fiche_content(t, kind, ref)
    st.header(content.title)
    st.caption(content.subtitle)

    built = str(manifest()["built"])
    d1, d2 = st.columns([1, 3])
    if d1.button("Préparer la fiche PDF (A4)", key="prep-pdf"):
        st.session_state["pdf_ready"] = (kind, ref)
    if st.session_state.get("pdf_ready") == (kind, ref):
        d2.download_button(
            "Télécharger la fiche PDF",
            data=sheet.fiche_pdf(kind, ref, built, data.display_data().cites_version),
            file_name=fiche_filename(kind, ref),
            mime="application/pdf",
            key="dl-pdf",
        )
    d2.caption(f"Lien direct vers cette fiche : page « territoire » avec `?{kind}={ref}`.")

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
    sheet.show(content)


run_page(render)
