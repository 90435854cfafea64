"""The app's state as readable URL parameters, and back: the link that restores everything.

Parameters (all optional, documented in the README):

- ``indicateur``: colouring of the communes (population, cites, logements, bud, epci);
- ``fond``: online basemap (osm, ign); absent means the offline vector context;
- ``couches``: layers shown, comma-separated (communes, epci, bud, cites, routes, actions);
- ``lat``, ``lon``, ``zoom``: map centre and zoom;
- ``statut``, ``bailleur``, ``epci_filtre``, ``commune_filtre``, ``unesco``, ``patrimoine``,
  ``premieres``: cité filters, one parameter per selected value (repeatable);
- ``commune`` (INSEE), ``epci`` (SIREN), ``cite`` (id), ``route`` (id): the selected feature;
- ``version`` (number) or ``date`` (AAAA-MM-JJ): the cités' values as of that version or date
  (read by ``ui.asof``, before the territory is loaded, since they decide which one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from domain.filters import CiteFilter, facet_options
from geo.load import Territory

LAYER_KEYS = ("communes", "epci", "bud", "cites", "routes", "unesco", "actions")
DEFAULT_LAYERS = ("communes", "epci", "cites", "routes", "actions")
BASEMAP_KEYS = {"osm": "OpenStreetMap (en ligne)", "ign": "Plan IGN (en ligne)"}
INDICATOR_KEYS = ("population", "cites", "logements", "bud", "epci")
# URL parameter -> facet of the cité filter. EPCI and communes go by code, not by name:
# names hold commas and accents, codes are stable and short.
FILTER_PARAMS = {
    "statut": "statut",
    "bailleur": "bailleur",
    "epci_filtre": "epci",
    "commune_filtre": "commune",
    "unesco": "unesco",
    "patrimoine": "patrimoine",
    "premieres": "premieres_operations",
}
SELECTION_PARAMS = ("commune", "epci", "cite", "route", "bud")
VERSION_PARAMS = ("version", "date")
KNOWN_PARAMS = {
    "indicateur",
    "fond",
    "couches",
    "lat",
    "lon",
    "zoom",
    *FILTER_PARAMS,
    *SELECTION_PARAMS,
    *VERSION_PARAMS,
}


@dataclass(frozen=True)
class ViewState:
    indicator: str = "population"
    basemap: str | None = None  # a key of BASEMAP_KEYS
    layers: tuple[str, ...] = DEFAULT_LAYERS
    center: tuple[float, float] | None = None
    zoom: int | None = None
    cite_filter: CiteFilter = field(default_factory=CiteFilter)
    selection: tuple[str, str] | None = None  # (kind, ref)


def _codes_for(t: Territory, facet: str) -> dict[str, str]:
    """Shown value -> code in the URL, for the facets that travel as codes."""
    pairs = {
        "epci": ("epci_nom", "epci_siren", "epci_noms", "epci_sirens"),
        "commune": ("commune", "insee", "communes_noms", "insee_communes"),
    }
    if facet not in pairs:
        return {}
    name, code, names, codes = pairs[facet]
    out = dict(zip(t.cites[name], t.cites[code], strict=True))
    if names in t.cites.columns and codes in t.cites.columns:
        # A cité in several communes (or EPCI) travels under each one's code.
        for ns, cs in zip(t.cites[names], t.cites[codes], strict=True):
            out.update(zip(str(ns).split("|"), str(cs).split("|"), strict=True))
    return out


def to_params(state: ViewState, t: Territory) -> dict[str, list[str]]:
    """URL parameters for ``state``; defaults are left out so links stay short."""
    params: dict[str, list[str]] = {}
    if state.indicator != "population":
        params["indicateur"] = [state.indicator]
    if state.basemap:
        params["fond"] = [state.basemap]
    if tuple(state.layers) != DEFAULT_LAYERS:
        params["couches"] = [",".join(state.layers)]
    if state.center is not None:
        params["lat"] = [f"{state.center[0]:.5f}"]
        params["lon"] = [f"{state.center[1]:.5f}"]
    if state.zoom is not None:
        params["zoom"] = [str(state.zoom)]
    for param, facet in FILTER_PARAMS.items():
        values = state.cite_filter.selected(facet)
        codes = _codes_for(t, facet)
        if values:
            params[param] = [codes.get(v, v) for v in values]
    if state.selection:
        kind, ref = state.selection
        params[kind] = [ref]
    return params


def _one(params: Mapping[str, Sequence[str]], key: str) -> str | None:
    values = params.get(key) or []
    return values[-1] if values else None


def from_params(params: Mapping[str, Sequence[str]], t: Territory) -> tuple[ViewState, list[str]]:
    """The state a link describes, and a French warning for each parameter that was ignored."""
    state, warnings = _read_look(params, ViewState())
    state, more = _read_view(params, state)
    warnings += more
    flt, more = _read_cite_filter(params, t)
    warnings += more
    state, more = _read_selection(params, t, replace(state, cite_filter=flt))
    warnings += more
    warnings += [f"Paramètre inconnu « {key[:40]} » ignoré." for key in sorted(set(params) - KNOWN_PARAMS)]
    return state, warnings


def _ignored(key: str, value: str | None, why: str) -> str:
    shown = "absente" if value in (None, "") else value[:40] + ("…" if len(value) > 40 else "")
    return f"Paramètre « {key} » : valeur « {shown} » ignorée ({why})."


def _read_look(params: Mapping[str, Sequence[str]], state: ViewState) -> tuple[ViewState, list[str]]:
    """``indicateur``, ``fond`` and ``couches``: how the map looks."""
    warnings = []
    if (v := _one(params, "indicateur")) is not None:
        if v in INDICATOR_KEYS:
            state = replace(state, indicator=v)
        else:
            warnings.append(_ignored("indicateur", v, "valeurs possibles : " + ", ".join(INDICATOR_KEYS)))
    if (v := _one(params, "fond")) is not None:
        if v in BASEMAP_KEYS:
            state = replace(state, basemap=v)
        else:
            warnings.append(_ignored("fond", v, "valeurs possibles : " + ", ".join(BASEMAP_KEYS)))
    if (v := _one(params, "couches")) is not None:
        chosen = [x.strip() for x in v.split(",") if x.strip()]
        unknown = [x for x in chosen if x not in LAYER_KEYS]
        if unknown:
            warnings.append(_ignored("couches", ",".join(unknown), "couches possibles : " + ", ".join(LAYER_KEYS)))
        state = replace(state, layers=tuple(x for x in LAYER_KEYS if x in chosen))
    return state, warnings


def _read_view(params: Mapping[str, Sequence[str]], state: ViewState) -> tuple[ViewState, list[str]]:
    """``lat``, ``lon`` and ``zoom``: where the map looks."""
    warnings = []
    lat, lon = _one(params, "lat"), _one(params, "lon")
    if lat is not None or lon is not None:
        try:
            la, lo = float(lat or ""), float(lon or "")
            if not (49.0 <= la <= 52.0 and 0.5 <= lo <= 5.0):
                raise ValueError
            state = replace(state, center=(la, lo))
        except ValueError:
            warnings.append(
                _ignored(
                    "lat/lon",
                    f"{lat or 'absente'}/{lon or 'absente'}",
                    "coordonnées hors du Nord et du Pas-de-Calais ou illisibles",
                )
            )
    if (v := _one(params, "zoom")) is not None:
        if v.isdigit() and 6 <= int(v) <= 18:
            state = replace(state, zoom=int(v))
        else:
            warnings.append(_ignored("zoom", v, "entier de 6 à 18 attendu"))
    return state, warnings


def _read_cite_filter(params: Mapping[str, Sequence[str]], t: Territory) -> tuple[CiteFilter, list[str]]:
    """The cité filters; a value no cité has is dropped (EPCI and communes travel as codes)."""
    warnings = []
    flt = CiteFilter()
    for param, facet in FILTER_PARAMS.items():
        values = list(params.get(param) or [])
        if not values:
            continue
        by_code = {c: name for name, c in _codes_for(t, facet).items()}
        known = set(facet_options(t.cites, facet).explode().dropna())
        kept = []
        for value in values:
            shown = by_code.get(value, value)
            if shown in known:
                kept.append(shown)
            else:
                warnings.append(_ignored(param, value, "aucune cité ne porte cette valeur"))
        flt = flt.with_facet(facet, kept)
    return flt, warnings


def _read_selection(params: Mapping[str, Sequence[str]], t: Territory, state: ViewState) -> tuple[ViewState, list[str]]:
    """The selected feature: ``commune``, ``epci``, ``cite``, ``route`` or ``bud`` (the last one known wins)."""
    warnings = []
    ids = {
        "commune": set(t.perimeter_communes["insee"]),
        "epci": set(t.epci["siren"]),
        "cite": set(t.cites["id"]),
        "route": set(t.roads["id"]),
        "bud": set(t.bud_zone["statut"]),
    }
    for kind in SELECTION_PARAMS:
        if (v := _one(params, kind)) is not None:
            if v in ids[kind]:
                state = replace(state, selection=(kind, v))
            else:
                warnings.append(_ignored(kind, v, "identifiant inconnu"))
    return state, warnings
