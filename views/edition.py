"""Page Mise à jour : les éditeurs connectés mettent à jour les valeurs des cités (import ou tableau)."""

from ui.guard import run_page


def render() -> None:
    from ui.edition import render_page

    render_page()


run_page(render)
