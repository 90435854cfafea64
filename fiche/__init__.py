"""The printable A4 fiche of a commune, an EPCI or a cité: the PDF of its territory profile.

What the fiche says is the profile (:mod:`domain.profile`, pure; every figure with its source and
date); this package only lays it out:

- :mod:`fiche.mapimage`: the map extract, drawn offline with matplotlib (PNG bytes), in the print
  look of :mod:`fiche.maplook` (the layers' styles on paper, the legend);
- :mod:`fiche.pdf`: the A4 PDF (reportlab).

``render_fiche(territory, kind, ref)`` in :mod:`fiche.pdf` is the one entry point the CLI and the
app need; the heavy libraries are imported only when a fiche is actually rendered.
"""
