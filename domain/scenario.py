"""Presentation scenarios: an ordered list of scenes, read from a TOML file a planner edits by hand.

A scene says what to show (title, caption, extent, layers, cité filters, a highlighted feature)
and which figures to put next to it. A figure is always a *reference* to the data, never a
number typed in the file (:mod:`domain.figures`); titles and captions may not state figures
either (years and dates excepted). Where a scene is lies in :mod:`domain.scenes`.

A bad file raises :class:`ScenarioError`, whose French message names the file, the scene and
the field, e.g. « data/scenarios/erbm.toml, scène 3, champ « extent » : commune 99999 inconnue ».
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from core.errors import LocatedError, Problem, Words
from core.vocab import STATUSES
from domain.figures import check_text, figure_problem, syntax_problem
from domain.filters import CiteFilter
from domain.filters import apply as apply_cite_filter
from domain.scenes import bud_part, feature_problem
from geo.extent import display_bounds
from geo.load import Territory
from settings import ROOT, get_settings

LAYERS: tuple[str, ...] = ("communes", "epci", "bud", "cites", "roads")
LABELLED_LAYERS: tuple[str, ...] = ("epci", "cites", "roads")
NAMED_EXTENTS: tuple[str, ...] = ("perimetre", "bud", "cites", "roads")
EXTENT_KINDS: tuple[str, ...] = ("commune", "epci", "cite", "route")
HIGHLIGHT_KINDS: tuple[str, ...] = (*EXTENT_KINDS, "bud")
MAX_FIGURES = 3
MAX_TITLE = 90
MAX_CAPTION = 260


class ScenarioError(LocatedError):
    """A scenario file is missing, unreadable or invalid. Each line of the French message names
    the file, then the scene (``Problem.line``, 1-based) and the field."""

    words: ClassVar[Words] = Words(line="scène", field="champ")

    def __init__(self, path: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(path, [p if p.file else replace(p, file=path) for p in problems])

    def heading(self) -> str:
        return "Scénario de présentation invalide :"


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
        return check_text(value, limit=MAX_TITLE)

    @field_validator("caption")
    @classmethod
    def _caption(cls, value: str) -> str:
        return check_text(value, limit=MAX_CAPTION)

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
            reason = feature_problem(t, value.kind, value.ref)
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
            reason = feature_problem(t, kind, ref)
            if reason:
                raise ValueError(reason)
        return f"{kind}:{bud_part(ref) if kind == 'bud' else ref}"

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
            reason = figure_problem(t, ref.strip()) if t is not None else syntax_problem(ref.strip())
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
        return check_text(value, limit=MAX_TITLE)


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
            problems.append(Problem(_french(e, scene, name), scene, name))
        raise ScenarioError(_display_path(path), problems) from None


def load_scenario(path: Path | str | None = None, t: Territory | None = None) -> Scenario:
    """Read and validate a scenario file (by default ``settings.scenario_file``); raise
    :class:`ScenarioError` (French) on any problem."""
    if path is None:
        path = get_settings().scenario_file
    shown = _display_path(path)
    p = Path(path)
    if not p.exists():
        raise ScenarioError(shown, [Problem("fichier introuvable")])
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(shown, [Problem("fichier illisible (encodage UTF-8 attendu)")]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f" à la ligne {m.group(1)}, colonne {m.group(2)}" if m else ""
        detail = re.sub(r"\s*\(at .*\)$", "", str(exc))
        message = f"syntaxe TOML invalide{where} (vérifiez guillemets, crochets et signes =) [{detail}]"
        raise ScenarioError(shown, [Problem(message)]) from None
    return parse_scenario(data, t, path=path)
