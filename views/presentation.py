"""Page Présentation : le récit de l'ERBM scène par scène, pour un vidéoprojecteur (sans réseau)."""

import streamlit as st

from ui.guard import run_page

HELP = (
    "Flèches, Espace ou PageSuivante pour avancer ; PagePrécédente pour revenir ; Début et Fin pour la "
    "première et la dernière scène ; F ou le bouton « Plein écran » pour projeter. Cliquez dans la "
    "présentation si les touches ne répondent pas."
)
HEIGHT_PX = 800
# The deck fills the window under Streamlit's top bar, on a 1280×720 or 1024×768 projector as on a
# large screen, without full screen: nothing is cut off at the bottom (its text shrinks to fit).
DECK_CSS = (
    "<style>[data-testid='stMainBlockContainer']{padding-top:3.4rem;padding-left:.75rem;padding-right:.75rem}"
    ".st-key-erbm-deck iframe{height:max(420px,calc(100vh - 4.5rem))!important;"
    "height:max(420px,calc(100dvh - 4.5rem))!important}</style>"
)


@st.cache_data(show_spinner="Préparation de la présentation…", max_entries=4)
def _document(scenario_path: str, scenario_mtime: float, data_dir: str, values_version: str) -> str:
    """The presentation HTML; rebuilt when the scenario file, the data folder or the cités' version changes."""
    from domain.scenario import load_scenario
    from layers.presentation import presentation_html
    from ui import data

    t = data.territory()
    return presentation_html(t, load_scenario(scenario_path, t))


def render() -> None:
    from domain.scenario import ScenarioError
    from layers.assets import ensure_vendor_assets
    from settings import get_settings
    from ui import data

    data.territory()  # a data problem is reported by run_page before anything else
    data_dir = get_settings().data_dir
    scenario = data_dir / "scenarios" / "erbm.toml"
    try:
        mtime = scenario.stat().st_mtime if scenario.exists() else 0.0
        html = _document(str(scenario), mtime, str(data_dir), data.display_data().cites_version)
    except ScenarioError as err:
        st.title("Présentation")
        st.error(
            "Le scénario de la présentation ne peut pas être lu.\n\n"
            + "  \n".join(err.lines())
            + "\n\nCorrigez le fichier nommé ci-dessus (format TOML, voir les commentaires en tête du fichier)."
        )
        return
    ensure_vendor_assets()
    with st.container(key="erbm-deck"):
        # The page's layout in the same element as nothing else: no gap above the deck.
        st.markdown(DECK_CSS, unsafe_allow_html=True)
        # st.iframe replaces components.html (deprecated): same-origin iframe with scripts and full screen allowed.
        st.iframe(html, height=HEIGHT_PX, tab_index=0)
    st.caption(HELP)
    st.download_button(
        "Télécharger la présentation (fichier HTML autonome, s'ouvre sans réseau)",
        data=html,
        file_name="presentation-erbm.html",
        mime="text/html",
        key="presentation-download",
    )


run_page(render)
