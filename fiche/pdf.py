"""The A4 PDF fiche (reportlab): title, data date, map extract, key figures, cités, roads,
comparisons, sources; one page, two at most.

reportlab and matplotlib are imported only when a fiche is rendered.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from core.vocab import NON_RENSEIGNE
from domain.profile import Profile, profile
from fiche.glyphs import visible
from geo.load import Territory

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FILES = {
    "normal": "DejaVuSansCondensed.ttf",
    "bold": "DejaVuSansCondensed-Bold.ttf",
    "italic": "DejaVuSansCondensed-Oblique.ttf",
    "boldItalic": "DejaVuSansCondensed-BoldOblique.ttf",
}
FONT = "ERBMSans"
MAX_PAGES = 2
MAP_PX = (1500, 550)  # map extract, drawn at the full text width
GREY = "#555555"
RULE = "#BBBBBB"
HEAD_BG = "#EDEDED"
KIND_NAMES = {"commune": "commune", "epci": "EPCI", "cite": "cité"}
FIGURES_HINT = "chacun avec sa source et sa date ; « non renseigné » : aucune source consultée ne le donne"
COMPARISONS_HINT = "calculées à partir des mêmes données, selon le calcul indiqué"
# Characters outside WinAnsi, for the standard Helvetica fallback when DejaVu is not installed.
WINANSI_FALLBACK = {"≈": "~", "→": "->", "≤": "<=", "≥": ">=", "✓": "oui"}


@dataclass(frozen=True)
class Fonts:
    normal: str
    bold: str
    italic: str
    unicode: bool  # False: standard Type 1 fonts, text restricted to WinAnsi
    glyphs: frozenset[int] = frozenset()  # code points the normal font draws (unicode fonts)


def _fonts() -> Fonts:
    """DejaVu Sans Condensed when installed (any Unicode text), else Helvetica (WinAnsi: é, œ, €, «»)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    paths = {style: DEJAVU_DIR / name for style, name in DEJAVU_FILES.items()}
    if not all(p.exists() for p in paths.values()):
        return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", unicode=False)
    names = {style: f"{FONT}-{style}" for style in paths}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for style, path in paths.items():
        if names[style] not in registered:
            pdfmetrics.registerFont(TTFont(names[style], str(path)))
    for bold, italic, style in ((0, 0, "normal"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "boldItalic")):
        addMapping(names["normal"], bold, italic, names[style])
    glyphs = frozenset(pdfmetrics.getFont(names["normal"]).face.charToGlyph)
    return Fonts(names["normal"], names["bold"], names["italic"], unicode=True, glyphs=glyphs)


class Writer:
    """Paragraph factory: escapes text, keeps it within what the font can show, holds the styles."""

    def __init__(self, fonts: Fonts) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.fonts = fonts
        base = ParagraphStyle("base", fontName=fonts.normal, fontSize=7, leading=8.2, splitLongWords=1)
        self.styles = {
            "title": ParagraphStyle("title", base, fontName=fonts.bold, fontSize=17, leading=20),
            "subtitle": ParagraphStyle("subtitle", base, fontSize=9, leading=11, textColor=colors.HexColor(GREY)),
            "stamp": ParagraphStyle("stamp", base, fontSize=8, leading=10),
            "h2": ParagraphStyle(
                "h2", base, fontName=fonts.bold, fontSize=9.5, leading=11, spaceBefore=4, spaceAfter=2
            ),
            "cell": base,
            "cellb": ParagraphStyle("cellb", base, fontName=fonts.bold),
            "head": ParagraphStyle("head", base, fontName=fonts.bold, fontSize=6.8, leading=8),
            "small": ParagraphStyle("small", base, fontSize=6.3, leading=7.6, textColor=colors.HexColor(GREY)),
            "footer": ParagraphStyle("footer", base, fontSize=5.8, leading=7, textColor=colors.HexColor(GREY)),
        }

    def plain(self, value: str) -> str:
        """``value`` within what the font can show, for the canvas (no markup).

        The narrow no-break space of French numbers (« 31 415 ») becomes a no-break space: reportlab
        would break a line at the former, never at the latter.
        """
        value = value.replace("\u202f", "\u00a0")
        if self.fonts.unicode:
            return visible(value, self.fonts.glyphs)
        value = "".join(WINANSI_FALLBACK.get(ch, ch) for ch in value)
        return value.encode("cp1252", errors="replace").decode("cp1252")

    def text(self, value: str) -> str:
        """XML-escaped :meth:`plain` ``value``, for a paragraph."""
        return escape(self.plain(value))

    def p(self, value: str, style: str = "cell", *, markup: str = "") -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(markup or self.text(value or NON_RENSEIGNE), self.styles[style])


def _table(w: Writer, header: list[str], rows: list[list[Any]], widths: list[float], *, total: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    data = [[w.p(h, "head") for h in header], *rows]
    table = Table(data, colWidths=[total * f for f in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEAD_BG)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.4),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _heading(w: Writer, title: str, hint: str) -> Any:
    """A section title followed, in small grey type, by how to read the section."""
    font = f'size="{w.styles["small"].fontSize}" name="{w.fonts.normal}" color="{GREY}"'
    return w.p("", "h2", markup=f"{w.text(title)} <font {font}>· {w.text(hint)}</font>")


def _source_cell(w: Writer, source: str, quote: str, *, quotes: int) -> Any:
    """Source text, with the quoted passage (cut to ``quotes`` characters; 0: none) in italics."""
    markup = w.text(source or NON_RENSEIGNE)
    if quote and quotes:
        cut = quote if len(quote) <= quotes else quote[: quotes - 1].rstrip() + "…"
        markup += f"<br/><i>« {w.text(cut)} »</i>"
    return w.p("", "small", markup=markup)


def _facts(w: Writer, c: Profile, *, width: float, quotes: int) -> list[Any]:
    rows = [
        [w.p(f.label, "cellb"), w.p(f.value), _source_cell(w, f.source, f.quote, quotes=quotes), w.p(f.date, "small")]
        for f in c.facts
    ]
    header = ["Donnée", "Valeur", "Source", "Date"]
    return [_heading(w, "Chiffres clés", FIGURES_HINT), _table(w, header, rows, [0.18, 0.25, 0.43, 0.14], total=width)]


def _cites(w: Writer, c: Profile, *, width: float) -> list[Any]:
    if c.kind == "cite":
        return []
    title = f"Cités de l'inventaire ({len(c.cites)})"
    if not c.cites:
        return [w.p(title, "h2"), w.p("Aucune cité de l'inventaire de la Mission Bassin Minier dans la commune.")]
    rows = [
        [
            w.p(x.nom, "cellb"),
            w.p(x.commune),
            w.p(x.statut),
            w.p(x.statut_date),
            w.p(x.logements),
            w.p(x.source, "small"),
        ]
        for x in c.cites
    ]
    header = ["Cité", "Commune", "Statut", "Date du statut", "Logements", "Source du statut et des logements"]
    widths = [0.18, 0.13, 0.13, 0.11, 0.1, 0.35]
    return [w.p(title, "h2"), _table(w, header, rows, widths, total=width)]


def _roads(w: Writer, c: Profile, *, width: float) -> list[Any]:
    where = {"commune": "la commune", "epci": "l'EPCI", "cite": "la commune de la cité"}[c.kind]
    title = f"Projets routiers qui traversent ou touchent {where}"
    if not c.roads:
        return [w.p(title, "h2"), w.p("Aucun des projets routiers recensés ne touche ce territoire.")]
    rows = [
        [
            w.p("", markup=f"<b>{w.text(r.nom)}</b><br/>{w.text(r.trace)}"),
            w.p(r.maitre_ouvrage),
            w.p(r.longueur),
            w.p(r.avancement)
            if not r.chiffres
            else w.p("", markup=f"{w.text(r.avancement)}<br/><font size=6>{w.text(r.chiffres)}</font>"),
            w.p(r.source, "small"),
        ]
        for r in c.roads
    ]
    header = ["Projet (tracé)", "Maître d'ouvrage", "Longueur", "Avancement", "Sources (sites cités)"]
    return [w.p(title, "h2"), _table(w, header, rows, [0.22, 0.13, 0.08, 0.25, 0.32], total=width)]


def _comparisons(w: Writer, c: Profile, *, width: float) -> list[Any]:
    rows = [
        [
            w.p(x.label, "cellb"),
            w.p(x.value),
            w.p("", "small", markup=f"{w.text(x.method)} — source : {w.text(x.source)}"),
        ]
        for x in c.comparisons
    ]
    header = ["Comparaison", "Valeur", "Calcul et source"]
    return [_heading(w, "Comparaisons", COMPARISONS_HINT), _table(w, header, rows, [0.18, 0.37, 0.45], total=width)]


def _sources(w: Writer, c: Profile) -> list[Any]:
    out = [w.p("Notes et sources", "h2")]
    out += [w.p(note, "small") for note in c.notes]
    if c.documents:
        docs = " · ".join(w.text(d) for d in c.documents)
        out.append(w.p("", "small", markup=f"<b>Documents cités :</b> {docs}"))
    return out


def _header(w: Writer, c: Profile) -> list[Any]:
    stamp = (
        f"<b>Fiche {w.text(KIND_NAMES[c.kind])} · Engagement pour le renouveau du bassin minier</b> · "
        f"données construites le {w.text(c.built)} ({w.text(c.data_version)})"
        + (f" · valeurs des cités : {w.text(c.values_version)}" if c.values_version else "")
    )
    return [w.p(c.title, "title"), w.p(c.subtitle, "subtitle"), w.p("", "stamp", markup=stamp)]


def footer_text(c: Profile) -> str:
    """« Sources : … · Données construites le YYYY-MM-DD », printed at the foot of every page."""
    values = f" · Valeurs des cités : {c.values_version}" if c.values_version else ""
    return "Sources : " + " · ".join(c.attributions) + f" · Données construites le {c.built}" + values


def map_flowable(pixels: Any, *, width: float, height: float) -> Any:
    """A map image drawn from ``pixels`` (a reportlab ImageReader: decoded once, however many
    layout attempts draw it) at ``width`` × ``height`` points, aligned left."""
    from reportlab.platypus import Flowable

    class MapImage(Flowable):
        def wrap(self, *_: Any) -> tuple[float, float]:
            return width, height

        def draw(self) -> None:
            self.canv.drawImage(pixels, 0, 0, width=width, height=height)

    flowable = MapImage()
    flowable.hAlign = "LEFT"
    return flowable


def _story(w: Writer, c: Profile, pixels: Any, *, width: float, quotes: int, map_scale: float) -> list[Any]:
    from reportlab.platypus import Spacer

    map_width = width * map_scale
    image = map_flowable(pixels, width=map_width, height=map_width * MAP_PX[1] / MAP_PX[0])
    return [
        *_header(w, c),
        Spacer(1, 4),
        image,
        *_facts(w, c, width=width, quotes=quotes),
        *_cites(w, c, width=width),
        *_roads(w, c, width=width),
        *_programme(w, c, width=width),
        *_comparisons(w, c, width=width),
        *_sources(w, c),
    ]


def pdf_date(built: str) -> str:
    """The PDF metadata date of a document made from data built on ``built`` (YYYY-MM-DD): that day."""
    return f"D:{built.replace('-', '')}000000Z"


def _build(c: Profile, pixels: Any, *, quotes: int, map_scale: float) -> tuple[bytes, int]:
    """The PDF bytes and their page count."""
    w = Writer(_fonts())
    page = a4_page(
        w,
        footer=footer_text(c),
        built=c.built,
        page_label=c.title,
        meta={"title": f"Fiche ERBM : {c.title}", "subject": c.subtitle},
    )
    story = _story(w, c, pixels, width=page.width, quotes=quotes, map_scale=map_scale)
    page.doc.build(story, onFirstPage=page.on_page, onLaterPages=page.on_page)
    return page.buf.getvalue(), page.doc.page


def render_fiche(t: Territory, kind: str, ref: str, *, values_version: str = "") -> bytes:
    """The A4 PDF fiche of ``kind`` (commune, epci, cite) ``ref``.

    ``values_version`` names the version of the cités' values ``t`` holds, printed with the build date.

    Raises ValueError with a French message for an unknown kind or identifier.
    """
    from reportlab.lib.utils import ImageReader

    from fiche.mapimage import map_pixels

    prof = replace(profile(t, kind, ref), values_version=values_version)
    pixels = ImageReader(map_pixels(t, kind, prof.ref, width_px=MAP_PX[0], height_px=MAP_PX[1]))
    # Quotes are shortened, then dropped, then the map shrinks, until the fiche fits on two pages.
    pdf = b""
    for quotes, map_scale in ((400, 1.0), (160, 1.0), (80, 1.0), (0, 1.0), (0, 0.75)):
        pdf, pages = _build(prof, pixels, quotes=quotes, map_scale=map_scale)
        if pages <= MAX_PAGES:
            break
    return pdf


def fiche_filename(kind: str, ref: str) -> str:
    """Download name of a fiche, e.g. ``fiche-erbm-commune-62498.pdf``."""
    return f"fiche-erbm-{kind}-{ref}.pdf"


def _programme(w: Writer, c: Profile, *, width: float) -> list[Any]:
    """« Ce que le programme fait ici »: one paragraph per theme (action, status, amount, document),
    then the figures the documents give for this territory; compact, so the fiche keeps its pages."""
    del width
    here = c.programme
    if here is None:
        return []
    title = f"Ce que le programme fait ici ({here.count} actions)"
    out = [_heading(w, title, f"actions que les documents situent dans {here.scope} : {here.total}")]
    if not here.themes:
        return [*out, w.p("Aucune action des documents du programme n'est située dans ce territoire.", "small")]
    for label, lines in here.themes:
        items = " · ".join(
            f"{w.text(a.nom)} ({w.text(a.statut)} ; "
            f"{w.text(a.montant if a.montant != NON_RENSEIGNE else 'montant non renseigné')}) "
            f"[{w.text(a.source.split(',')[0])}]"
            for a in lines
        )
        out.append(w.p("", "small", markup=f"<b>{w.text(label)} ({len(lines)})</b> : {items}"))
    if here.indicators:
        items = " · ".join(
            f"{w.text(i.label)} : {w.text(i.value)} ({w.text(i.date)}) [{w.text(i.source.split(',')[0])}]"
            for i in here.indicators
        )
        out.append(w.p("", "small", markup=f"<b>Chiffres donnés pour ce territoire</b> : {items}"))
    out.append(w.p(here.method + " Documents : voir « Notes et sources ».", "small"))
    return out


def writer() -> Writer:
    """The fiche's paragraph factory and styles, for pages laid out like a fiche (a binder's cover)."""
    return Writer(_fonts())


def table(w: Writer, header: list[str], rows: list[list[Any]], widths: list[float], *, total: float) -> Any:
    """A table styled as the fiche's: grey header row repeated on each page, thin rules."""
    return _table(w, header, rows, widths, total=total)


@dataclass(frozen=True)
class A4Page:
    """An A4 document laid out as the fiche's: its buffer, template, text width and page painter."""

    buf: io.BytesIO
    doc: Any
    width: float
    on_page: Any


def a4_page(w: Writer, *, footer: str, built: str, page_label: str, meta: dict[str, str]) -> A4Page:
    """The fiche's page: 11 mm margins, ``footer`` (sources and data version) and « ``page_label`` ·
    page N » at the foot of every page, PDF metadata ``meta`` (title, subject), the data's build date
    as the PDF's date (invariant: same data, same bytes, wherever and whenever it is rendered)."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    # Binary streams: no pure-Python ASCII85 pass over the map image, and a quarter fewer bytes.
    rl_config.useA85 = 0
    margin = 11 * mm
    width = A4[0] - 2 * margin - 12  # the frame pads 6 pt on each side
    foot = w.p(footer, "footer")
    _, foot_height = foot.wrap(width, A4[1])
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + foot_height + 10,
        author="Carte ERBM",
        lang="fr-FR",
        invariant=True,
        **meta,
    )

    def on_page(canvas: Any, document: Any) -> None:
        canvas.setDateFormatter(lambda *_: pdf_date(built))
        canvas.saveState()
        foot.drawOn(canvas, margin + 6, margin)
        canvas.setFont(w.fonts.normal, 6)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawRightString(
            A4[0] - margin - 6, margin + foot_height + 3, w.plain(f"{page_label} · page {document.page}")
        )
        canvas.restoreState()

    return A4Page(buf, doc, width, on_page)
