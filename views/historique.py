"""Page Historique : les versions des valeurs des cités, consultées, comparées ou restaurées."""

from ui.guard import run_page


def render() -> None:
    from ui.history import render_page

    render_page()


run_page(render)
