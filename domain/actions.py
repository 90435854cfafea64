"""The programme's located actions: what its documents say it does, and where.

Built by ``data/actions.py`` from ``data/sources/actions.csv`` (one row per action, with the quote
that proves it and its place) into ``actions.parquet``: one point per action and commune, since an
action named in several communes (a bus network, a programme of towns) belongs to each of them.
Amounts and dates stay in ``data/sources/actions_faits.csv``, one row per fact, each with its quote.

Statuses are those the document states at its own date (a 2019 report's « travaux » is the state
of 2019), extended from the cités' vocabulary since an action is not a rehabilitation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from core.vocab import NON_RENSEIGNE
from geo.errors import missing_file
from geo.load import file_stamp, validate_frame
from geo.schemas import INSEE, SIREN, LayerSpec
from settings import get_settings

THEMES: dict[str, str] = {
    "logement": "Logement et cités",
    "mobilité": "Mobilité",
    "santé": "Santé et sport",
    "éducation-insertion": "Éducation, formation, insertion",
    "économie-foncier": "Économie et foncier",
    "énergie-environnement": "Énergie et environnement",
    "culture-patrimoine-nature": "Culture, patrimoine, nature",
    "centralités": "Centralités",
}

ACTION_STATUSES: dict[str, str] = {
    NON_RENSEIGNE: "Non renseigné : le document ne dit pas où en est l'action",
    "annoncée": "Annoncée ou prévue, pas encore commencée",
    "études": "Études, projet validé, concertation",
    "travaux": "Travaux en cours",
    "en cours": "Dispositif ou démarche en cours (hors travaux)",
    "réalisée": "Réalisée : achevée, livrée, mise en service ou ouverte",
}

POSITIONS: dict[str, str] = {
    "site": "position : site (point publié par une source)",
    "commune": "position : commune (aucune source ne publie le lieu exact ; point conventionnel dans la commune)",
}

AMOUNT_NATURES: dict[str, str] = {
    "cout_total": "coût total",
    "financement": "financement",
    "global": "montant d'ensemble, partagé avec d'autres actions (non additionné)",
}

DATE_KINDS: dict[str, str] = {
    "date_annonce": "Annonce",
    "date_debut": "Début",
    "date_livraison": "Livraison ou mise en service",
}

SUM_METHOD = (
    "Montant d'une action : la somme de ses coûts totaux quand le document en donne, sinon la somme "
    "des financements ; un montant d'ensemble (donné pour plusieurs actions) n'est pas additionné."
)
STATUS_NOTE = "Statut tel que le document l'énonce à sa date (voir la source)."


def _col(dtype: object = str, *, nullable: bool = False, **checks: object) -> pa.Column:
    found = []
    if "isin" in checks:
        found.append(pa.Check.isin(list(checks["isin"]), error="valeur non reconnue"))  # type: ignore[call-overload]
    if "regex" in checks:
        found.append(pa.Check.str_matches(str(checks["regex"]), error="format inattendu"))
    return pa.Column(dtype, checks=found, nullable=nullable, coerce=True)


ACTIONS_SPEC = LayerSpec(
    "actions",
    "actions.parquet",
    pa.DataFrameSchema(
        {
            "id": _col(),
            "theme": _col(isin=THEMES),
            "nom": _col(),
            "statut": _col(isin=ACTION_STATUSES),
            "position": _col(isin=POSITIONS),
            "insee": _col(regex=INSEE),
            "commune": _col(),
            "epci_siren": _col(regex=SIREN),
            "epci_nom": _col(),
            "communes": _col(),
            "communes_noms": _col(),
            "n_communes": _col("int64"),
            "document": _col(),
            "section": _col(),
            "citation": _col(),
            "statut_document": _col(),
            "statut_section": _col(),
            "statut_citation": _col(),
            "note": _col(),
            "montant": _col("Int64", nullable=True),
            "montant_global": _col(bool),
            "n_faits": _col("int64"),
        }
    ),
    None,
    frozenset({"Point"}),
)

FACT_COLUMNS = ("action_id", "kind", "valeur", "precision", "nature", "financeur", "document", "section", "citation")


@dataclass(frozen=True)
class Actions:
    """The located actions: ``points`` one row per action and commune, ``facts`` their amounts and
    dates, ``non_placed`` what the documents mention without a place."""

    points: gpd.GeoDataFrame
    facts: pd.DataFrame
    non_placed: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """One row per action (its first commune's row), without geometry."""
        first = self.points.drop_duplicates("id").drop(columns="geometry")
        return pd.DataFrame(first).reset_index(drop=True)

    def facts_of(self, action_id: str) -> pd.DataFrame:
        return self.facts[self.facts["action_id"] == action_id]

    def in_communes(self, insee: set[str]) -> pd.DataFrame:
        """One row per action linked to any of these communes, sorted by theme then name."""
        rows = self.points[self.points["insee"].isin(insee)].drop_duplicates("id")
        rows = pd.DataFrame(rows.drop(columns="geometry"))
        order = {t: i for i, t in enumerate(THEMES)}
        return rows.assign(_o=rows["theme"].map(order)).sort_values(["_o", "nom"]).drop(columns="_o")


def summable_amounts(facts: pd.DataFrame) -> pd.Series:
    """Action id -> the amount counted for it (:data:`SUM_METHOD`); actions without one are absent."""
    money = facts[facts["kind"] == "montant"].assign(v=lambda f: f["valeur"].astype("int64"))
    costs = money[money["nature"] == "cout_total"].groupby("action_id")["v"].sum()
    funds = money[money["nature"] == "financement"].groupby("action_id")["v"].sum()
    return pd.concat([costs, funds[~funds.index.isin(costs.index)]]).astype("int64")


def theme_summary(actions: Actions) -> pd.DataFrame:
    """Per theme (all of them, in order): number of actions, sum of their amounts, how many have none."""
    table = actions.table
    rows = []
    for theme, label in THEMES.items():
        mine = table[table["theme"] == theme]
        amounts = mine["montant"].dropna()
        rows.append(
            {
                "theme": theme,
                "libelle": label,
                "actions": len(mine),
                "montant": int(amounts.sum()),
                "avec_montant": len(amounts),
                "sans_montant": len(mine) - len(amounts),
            }
        )
    return pd.DataFrame(rows)


def counts(actions: Actions) -> dict[str, object]:
    """The inventory's ``actions`` keys (a stable public contract)."""
    table = actions.table
    dated = set(actions.facts.loc[actions.facts["kind"] != "montant", "action_id"])
    return {
        "count": len(table),
        "by_theme": {t: int((table["theme"] == t).sum()) for t in THEMES},
        "by_status": {s: int((table["statut"] == s).sum()) for s in ACTION_STATUSES},
        "by_position": {p: int((table["position"] == p).sum()) for p in POSITIONS},
        "with_amount": int(table["montant"].notna().sum()),
        "with_date": len(dated),
        "links_to_communes": len(actions.points),
        "non_placed": len(actions.non_placed),
    }


def _folder(data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else get_settings().data_dir


def _stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    files = ("actions.parquet", "sources/actions_faits.csv", "sources/actions_non_placees.csv")
    return tuple((name, *file_stamp(data_dir / name)) for name in files)


def load_actions(*, data_dir: Path | None = None) -> Actions:
    """The built actions layer and its facts, validated once per state of the files."""
    folder = _folder(data_dir)
    return _load(folder, _stamp(folder))


@functools.lru_cache(maxsize=4)
def _load(folder: Path, _stamp: tuple[tuple[str, int, int], ...]) -> Actions:
    path = folder / ACTIONS_SPEC.file
    if not path.exists():
        raise missing_file(str(path))
    points = validate_frame(ACTIONS_SPEC, gpd.read_parquet(path), path=str(path))
    facts = pd.read_csv(folder / "sources" / "actions_faits.csv", dtype=str, keep_default_na=False)
    non_placed = pd.read_csv(folder / "sources" / "actions_non_placees.csv", dtype=str, keep_default_na=False)
    return Actions(points, facts, non_placed)


def _fact_text(fact: pd.Series) -> str:
    from core.text import format_int
    from domain.actiondates import french_fuzzy_date

    if fact["kind"] == "montant":
        who = fact["financeur"] or AMOUNT_NATURES[fact["nature"]]
        return f"{format_int(int(fact['valeur']))} € ({who} ; {fact['document']})"
    return f"{DATE_KINDS[fact['kind']]} : {french_fuzzy_date(fact['valeur'])} ({fact['document']})"


def export_frame(actions: Actions) -> gpd.GeoDataFrame:
    """The layer as exported: one row per action and commune, its amounts and dates as text."""
    texts = {
        kind: actions.facts[actions.facts["kind"].isin(kinds)]
        .assign(t=lambda f: f.apply(_fact_text, axis=1))
        .groupby("action_id")["t"]
        .agg(" | ".join)
        for kind, kinds in (("montants", ["montant"]), ("dates", list(DATE_KINDS)))
    }
    out = actions.points.copy()
    for column, series in texts.items():
        out[column] = out["id"].map(series).fillna(NON_RENSEIGNE)
    out["statut"] = out["statut"].where(out["statut"] != "", NON_RENSEIGNE)
    return out


FACETS: dict[str, tuple[str, dict[str, str]]] = {
    "theme": ("Thème de l'action", THEMES),
    "statut": ("Avancement de l'action", ACTION_STATUSES),
}


@dataclass(frozen=True)
class ActionFilter:
    """Themes and statuses kept (empty: all)."""

    theme: frozenset[str] = frozenset()
    statut: frozenset[str] = frozenset()

    def selected(self, facet: str) -> frozenset[str]:
        return getattr(self, facet)

    def with_facet(self, facet: str, values: object) -> ActionFilter:
        return ActionFilter(**{**{f: self.selected(f) for f in FACETS}, facet: frozenset(values)})  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        return not any(self.selected(f) for f in FACETS)

    def apply(self, frame: pd.DataFrame, *, skip: str = "") -> pd.DataFrame:
        keep = pd.Series(True, index=frame.index)
        for facet in FACETS:
            if facet != skip and self.selected(facet):
                keep &= frame[facet].isin(self.selected(facet))
        return frame[keep]


def facet_counts(table: pd.DataFrame, flt: ActionFilter, facet: str) -> dict[str, int]:
    """Actions per value of ``facet`` among those the other facets keep (every value listed, in order)."""
    kept = flt.apply(table, skip=facet)[facet].value_counts()
    return {v: int(kept.get(v, 0)) for v in FACETS[facet][1]}


def search_rows() -> list[tuple[str, str, str, list[str], str]]:
    """The search's rows for the actions: (kind, ref, label, names matched, code)."""
    try:
        table = load_actions().table
    except FileNotFoundError:
        return []
    return [
        (
            "action",
            a.id,
            f"{a.nom}{'' if a.communes_noms in a.nom else f' ({a.communes_noms})'} — action du programme",
            [a.nom],
            a.id,
        )
        for a in table.itertuples(index=False)
    ]
