"""Domain rules of the ERBM programme that are neither geometry nor display.

Glossary, one name per concept:

- *fact* (:class:`domain.records.Fact`): one sourced line: label, value, source, date, quote.
- *record* (:mod:`domain.records`): the facts of one commune, EPCI, cité, road or BUD part, as the side
  *panel* (:mod:`ui.panel`, the widget) shows them.
- *profile* (:mod:`domain.profile`): a commune's, EPCI's or cité's record retold with its cités, roads,
  comparisons and documents; shown on the Mon territoire page (:mod:`ui.profile`).
- *fiche* (:mod:`fiche`): only the printable A4 PDF of a profile.
- *figure*: a number read from the data with its source and date: the map's headline key figures
  (:mod:`domain.keyfigures`) and a presentation scene's figures (:mod:`domain.figures`).
"""
