"""The printable A4 fiche of a commune, an EPCI or a cité.

- :mod:`fiche.content`: what the fiche says (pure; every figure with its source and date);
- :mod:`fiche.mapimage`: the map extract, drawn offline with matplotlib (PNG bytes);
- :mod:`fiche.pdf`: the A4 PDF (reportlab).

``render_fiche(territory, kind, ref)`` in :mod:`fiche.pdf` is the one entry point the CLI and the
app need; the heavy libraries are imported only when a fiche is actually rendered.
"""
