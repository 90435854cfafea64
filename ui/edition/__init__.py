"""The « Mise à jour » page (``page``), widgets only: its file path (``upload``), its table (``table``)
and what they share (``common``). The checks, previews and the save are ``domain.edition``'s, given
the store and the territory here."""

from ui.edition.common import cite_names, editing, escaped_block, prepare_import, save
from ui.edition.page import disabled_notice, render_page

__all__ = ["cite_names", "disabled_notice", "editing", "escaped_block", "prepare_import", "render_page", "save"]
