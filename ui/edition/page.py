"""The « Mise à jour » page: template, import of a filled file, a few rows edited in a table."""

from __future__ import annotations

import streamlit as st

from ui import auth
from ui.edition.common import editing, escaped_block, show_flash
from ui.edition.table import editor_section
from ui.edition.upload import import_section, template_downloads


def disabled_notice() -> None:
    st.info(
        "**La modification des données est désactivée** : aucun compte d'éditeur n'est configuré sur "
        "ce serveur. La carte et l'historique restent consultables sans compte.\n\n"
        "Pour l'activer, l'administrateur :\n"
        "1. crée l'empreinte d'un mot de passe avec `python cli.py hash-password` ;\n"
        "2. l'ajoute dans `.streamlit/secrets.toml`, section `[editeurs]`, sous la forme "
        '`identifiant = "pbkdf2_sha256$…"` (un mot de passe en clair est refusé) ;\n'
        "3. ou configure la connexion par un fournisseur d'identité (OIDC) : une section `[auth]` pour "
        '`st.login` et la liste des adresses autorisées dans `[editeurs_oidc]`, `emails = ["…"]`.\n\n'
        "Puis il relance l'application."
    )
    ignored = len(auth.editor_config().problems)
    if ignored:
        st.warning(
            f"{ignored} entrée(s) de la configuration des éditeurs ont été ignorées "
            "(empreinte invalide ou mot de passe en clair) : voir le journal du serveur."
        )


def render_page() -> None:
    from store.errors import StoreError

    st.title("Mise à jour des cités")
    show_flash()
    try:
        _render_body()
    except StoreError as err:
        st.error(
            "La base des versions est indisponible : rien n'a été enregistré.  \n" + escaped_block(err.french_message())
        )


def _render_body() -> None:
    if not auth.editing_configured():
        disabled_notice()
        return
    editor = auth.current_editor()
    if editor is None:
        st.markdown(
            "La mise à jour des statuts, dates et nombres de logements des cités est réservée aux éditeurs. "
            "La consultation de la carte et de l'historique ne demande pas de compte."
        )
        auth.login_form()
        return
    auth.editor_banner(editor)
    st.markdown(
        "Chaque enregistrement crée une nouvelle version : rien n'est écrasé, et toute version reste "
        "consultable, comparable et restaurable depuis la page **Historique**."
    )
    service = editing()
    template_downloads(service)
    import_section(service)
    st.divider()
    editor_section(service)
