"""The binder (« recueil »): one PDF with a cover (map and key figures), a table of contents with
page numbers, PDF bookmarks, then every sheet, each the very PDF its single fiche is.

Sheets are rendered by :func:`fiche.pdf.render_fiche` (no second renderer), in a process pool when
asked (:func:`render_sheets`), and put together with pypdf. Fiches are reproducible (reportlab's
invariant mode), so the output does not depend on the number of workers.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from domain.recueil import Binder, Sheet
from fiche.pdf import a4_page, map_flowable, pdf_date, render_fiche, table, writer
from geo.load import Territory

Progress = Callable[[int, int], None]  # (sheets done, sheets in all)
COVER_MAP_PX = (1500, 760)  # taller than the fiche's map extract: the cover has the page for it
MAX_NAMED_CITES = 12  # beyond, the cover's map shows the cités' markers without their names
FRONT_TRIES = 4  # the contents' page numbers depend on how many pages come before the sheets

_WORKER: dict[str, Any] = {}  # the territory and values version of a pool's worker process


def _start_worker(t: Territory, values_version: str) -> None:
    _WORKER.update(territory=t, values_version=values_version)


def _render_in_worker(kind: str, ref: str) -> bytes:
    return render_fiche(_WORKER["territory"], kind, ref, values_version=_WORKER["values_version"])


def _first_in_parent(t: Territory, first: Sheet, values_version: str) -> bytes:
    """The first sheet, rendered here before the workers are forked from us: it imports the
    renderers, registers the fonts, loads matplotlib's and fills every cache a fiche reads (the
    map's data, the programme's actions, the records), which each worker then inherits instead of
    redoing on its own first sheet; every commune's outline path is made too (0.07 s)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # as fiche.mapimage does
    from fiche.mapdata import map_data, polygon_path

    for outline in map_data(t).communes:
        polygon_path(outline)
    return render_fiche(t, first.kind, first.ref, values_version=values_version)


def _pool(workers: int, t: Territory, values_version: str) -> ProcessPoolExecutor:
    # fork: workers start with the modules and the territory already loaded (no pickling, no imports).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(t, values_version)
    )


def render_sheets(
    t: Territory,
    sheets: Sequence[Sheet],
    *,
    values_version: str = "",
    workers: int = 1,
    progress: Progress | None = None,
    done: Callable[[int, bytes], None] | None = None,
) -> list[bytes]:
    """The single fiche PDF of each sheet, in the order of ``sheets``, whatever ``workers`` is.

    ``workers`` > 1 renders in that many processes; ``progress`` is told after each sheet and
    ``done(index, pdf)`` receives each one as soon as it is ready (any order)."""
    total, out, finished = len(sheets), [b""] * len(sheets), [0]

    def deliver(i: int, pdf: bytes) -> None:
        out[i], finished[0] = pdf, finished[0] + 1
        if done:
            done(i, pdf)
        if progress:
            progress(finished[0], total)

    if workers <= 1 or total <= 1:
        for i, s in enumerate(sheets):
            deliver(i, render_fiche(t, s.kind, s.ref, values_version=values_version))
        return out
    start = 0
    if "fork" in multiprocessing.get_all_start_methods():
        deliver(0, _first_in_parent(t, sheets[0], values_version))
        start = 1
    gc.freeze()  # the forked workers then leave the parent's objects alone: fewer pages copied on write
    try:
        with _pool(min(workers, total - start), t, values_version) as pool:
            futures = {pool.submit(_render_in_worker, s.kind, s.ref): i for i, s in enumerate(sheets) if i >= start}
            for future in as_completed(futures):
                deliver(futures[future], future.result())
    finally:
        gc.unfreeze()
    return out


def _footer(b: Binder, values_version: str) -> str:
    values = f" · Valeurs des cités : {values_version}" if values_version else ""
    return (
        "Sources : " + " · ".join(b.attributions) + f" · Données construites le {b.built} ({b.data_version})" + values
    )


def _cover(w: Any, b: Binder, png: bytes | None, values_version: str, *, width: float) -> list[Any]:
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Spacer

    stamp = (
        "<b>Recueil de fiches · Engagement pour le renouveau du bassin minier</b> · "
        f"données construites le {w.text(b.built)} ({w.text(b.data_version)})"
        + (f" · valeurs des cités : {w.text(values_version)}" if values_version else "")
    )
    story = [w.p(b.title, "title"), w.p(b.subtitle, "subtitle"), w.p("", "stamp", markup=stamp), Spacer(1, 4)]
    if png is not None:
        height = width * COVER_MAP_PX[1] / COVER_MAP_PX[0]
        story.append(map_flowable(ImageReader(io.BytesIO(png)), width=width, height=height))
    rows = [[w.p(f.label, "cellb"), w.p(f.value), w.p(f.source, "small"), w.p(f.date, "small")] for f in b.facts]
    story += [
        w.p("Chiffres clés", "h2"),
        table(w, ["Donnée", "Valeur", "Source", "Date"], rows, [0.22, 0.33, 0.33, 0.12], total=width),
    ]
    return story


Marks = dict[int, tuple[int, tuple[float, float, float, float]]]  # sheet -> (front page, rect)


def _marked(inner: Any, key: int, marks: Marks) -> Any:
    """``inner`` (a table cell's paragraph) that notes in ``marks[key]`` the page and the rectangle
    it is drawn in, widened to every cell marked with the same key: where its link goes."""
    from reportlab.platypus import Flowable

    class Marked(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width, self.height = inner.wrap(avail_width, avail_height)
            return self.width, self.height

        def draw(self) -> None:
            inner.drawOn(self.canv, 0, 0)
            x0, y0 = self.canv.absolutePosition(0, 0)
            x1, y1 = self.canv.absolutePosition(self.width, self.height)
            page = self.canv.getPageNumber() - 1
            if key in marks and marks[key][0] == page:
                a = marks[key][1]
                x0, y0, x1, y1 = min(a[0], x0), min(a[1], y0), max(a[2], x1), max(a[3], y1)
            marks[key] = (page, (x0, y0, x1, y1))

    return Marked()


def _contents(w: Any, b: Binder, starts: Sequence[int], marks: Marks, *, width: float) -> list[Any]:
    from reportlab.platypus import PageBreak

    what = "Commune (code INSEE)" if b.scope != "cites" else "Cité (commune)"
    rows = [
        [
            _marked(w.p(str(n), "cell"), n - 1, marks),
            _marked(w.p(s.label, "cellb"), n - 1, marks),
            _marked(w.p(str(p), "cell"), n - 1, marks),
        ]
        for n, (s, p) in enumerate(zip(b.sheets, starts, strict=True), start=1)
    ]
    intro = (
        f"{len(b.sheets)} fiches, {b.subtitle.rsplit(' · ', 1)[-1]} ; chaque fiche est celle de la commande « fiche »."
    )
    return [
        PageBreak(),
        w.p("Sommaire", "title"),
        w.p(intro, "subtitle"),
        table(w, ["N°", what, "Page"], rows, [0.08, 0.8, 0.12], total=width),
    ]


def render_front(
    b: Binder, starts: Sequence[int], *, png: bytes | None, values_version: str = ""
) -> tuple[bytes, Marks]:
    """The cover and the table of contents (``starts``: each sheet's first page, from 1), and where
    each line of the contents is drawn (page of the front, rectangle), to link it to its sheet."""
    w = writer()
    page = a4_page(
        w,
        footer=_footer(b, values_version),
        built=b.built,
        page_label=f"Recueil · {b.title}",
        meta={"title": f"Recueil ERBM : {b.title}", "subject": b.subtitle},
    )
    marks: Marks = {}
    story = _cover(w, b, png, values_version, width=page.width) + _contents(w, b, starts, marks, width=page.width)
    page.doc.build(story, onFirstPage=page.on_page, onLaterPages=page.on_page)
    return page.buf.getvalue(), marks


def cover_map(t: Territory, b: Binder) -> bytes:
    """The cover's map, drawn as a fiche's: the EPCI's own, or the communes of the perimeter or of
    the binder's cités (their names written when there are few enough to read)."""
    from fiche.mapimage import group_png, map_png

    size = {"width_px": COVER_MAP_PX[0], "height_px": COVER_MAP_PX[1]}
    if b.scope == "epci":
        return map_png(t, "epci", b.ref, **size)
    codes = sorted({s.code for s in b.sheets})
    if b.scope == "perimetre":
        return group_png(t, codes, label="Communes du recueil (tout le périmètre)", **size)
    if b.scope == "communes":
        return group_png(t, codes, label="Communes du recueil", **size)
    named = frozenset(s.ref for s in b.sheets) if len(b.sheets) <= MAX_NAMED_CITES else frozenset()
    return group_png(t, codes, label="Communes des cités du recueil", cite_ids=named, **size)


def page_counts(pdfs: Sequence[bytes]) -> list[int]:
    from pypdf import PdfReader

    return [len(PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs]


def _starts(front_pages: int, counts: Sequence[int]) -> list[int]:
    starts, page = [], front_pages + 1
    for n in counts:
        starts.append(page)
        page += n
    return starts


def assemble(b: Binder, sheets: Sequence[bytes], *, png: bytes | None, values_version: str = "") -> bytes:
    """The binder's PDF: front pages, then ``sheets`` (the fiches' PDFs, in ``b.sheets`` order) as
    they are, with one bookmark per sheet."""
    from pypdf import PdfReader, PdfWriter

    counts = page_counts(sheets)
    front_pages, front, marks = 2, b"", {}
    for _ in range(FRONT_TRIES):
        front, marks = render_front(b, _starts(front_pages, counts), png=png, values_version=values_version)
        actual = page_counts([front])[0]
        if actual == front_pages:
            break
        front_pages = actual
    else:
        raise RuntimeError("sommaire instable : le nombre de pages avant les fiches ne se stabilise pas")
    out = PdfWriter()
    out.append(PdfReader(io.BytesIO(front)), import_outline=False)
    contents_page = min(page for page, _ in marks.values())  # the page of its first line
    for pdf in sheets:
        out.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
    _link_contents(out, marks, _starts(front_pages, counts))
    out.add_outline_item(title="Couverture et chiffres clés", page_number=0)
    out.add_outline_item(title="Sommaire", page_number=contents_page)
    for sheet, start in zip(b.sheets, _starts(front_pages, counts), strict=True):
        out.add_outline_item(title=sheet.label, page_number=start - 1)
    out.page_mode = "/UseOutlines"
    date = pdf_date(b.built)
    out.add_metadata(
        {
            "/Title": f"Recueil ERBM : {b.title}",
            "/Author": "Carte ERBM",
            "/Subject": b.subtitle,
            "/CreationDate": date,
            "/ModDate": date,
        }
    )
    buf = io.BytesIO()
    out.write(buf)
    return buf.getvalue()


def _link_contents(out: Any, marks: Marks, starts: Sequence[int]) -> None:
    """Each line of the table of contents becomes a link to its sheet's first page."""
    from pypdf.annotations import Link

    for i, (page, rect) in sorted(marks.items()):
        out.add_annotation(
            page_number=page, annotation=Link(rect=rect, border=[0, 0, 0], target_page_index=starts[i] - 1)
        )


def render_binder(
    t: Territory,
    b: Binder,
    *,
    values_version: str = "",
    workers: int = 1,
    progress: Progress | None = None,
) -> bytes:
    """The whole binder's PDF bytes (see :func:`assemble`)."""
    sheets = render_sheets(t, b.sheets, values_version=values_version, workers=workers, progress=progress)
    return assemble(b, sheets, png=cover_map(t, b), values_version=values_version)
