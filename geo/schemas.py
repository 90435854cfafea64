"""Schemas of the embedded datasets: one typed spec per file, checked at every load."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

from core.vocab import STATUSES

INSEE = r"^(\d{5}|2[AB]\d{3})$"
SIREN = r"^\d{9}$"
PARTIAL_DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"


def _text(
    *, nullable: bool = False, regex: str | None = None, isin: list[str] | None = None, error: str = ""
) -> pa.Column:
    checks = []
    if regex:
        checks.append(pa.Check.str_matches(regex, error=error or f"ne respecte pas le format attendu ({regex})"))
    if isin:
        checks.append(pa.Check.isin(isin, error=error or f"valeur non reconnue (valeurs admises : {', '.join(isin)})"))
    return pa.Column(str, checks=checks, nullable=nullable, coerce=True)


def _count(*, nullable: bool = False) -> pa.Column:
    return pa.Column(
        "Int64", pa.Check.ge(0, error="doit être un entier positif ou nul"), nullable=nullable, coerce=True
    )


@dataclass(frozen=True)
class LayerSpec:
    """What a data file must hold: its columns, its identifier and, for layers, its geometry."""

    name: str
    file: str
    schema: pa.DataFrameSchema
    id_column: str | None
    geom_types: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_geo(self) -> bool:
        return bool(self.geom_types)


POLYGONS = frozenset({"Polygon", "MultiPolygon"})

COMMUNES = LayerSpec(
    "communes",
    "communes.parquet",
    pa.DataFrameSchema(
        {
            "insee": _text(regex=INSEE, error="code INSEE invalide (5 caractères attendus)"),
            "nom": _text(),
            "dep": _text(isin=["59", "62"]),
            "epci_siren": _text(regex=SIREN, error="SIREN invalide (9 chiffres attendus)"),
            "epci_nom": _text(),
            "epci_signataire": pa.Column(bool),
            "perimetre_erbm": pa.Column(bool),
            "population": _count(nullable=True),
            "population_source": _text(),
            "bud_statut": _text(isin=["classée (2018)", "classée (2019)", "à confirmer", "non classée"]),
            "bud_classement": _text(isin=["", "2018", "2019"]),
            "bud_methode": _text(isin=["", "lu", "déduit", "incertain"]),
            "bud_source": _text(),
        },
        strict=False,
    ),
    "insee",
    POLYGONS,
)

EPCI = LayerSpec(
    "epci",
    "epci.parquet",
    pa.DataFrameSchema(
        {
            "siren": _text(regex=SIREN, error="SIREN invalide (9 chiffres attendus)"),
            "nom": _text(),
            "signataire": pa.Column(bool),
            "communes_total": _count(),
            "communes_perimetre": _count(),
            "communes_hors_perimetre": _count(),
            "population_perimetre": _count(),
            "population_hors_perimetre": _count(),
            "source": _text(),
        }
    ),
    "siren",
    POLYGONS,
)

DEPARTEMENTS = LayerSpec(
    "departements",
    "departements.parquet",
    pa.DataFrameSchema({"code": _text(isin=["59", "62"]), "nom": _text()}),
    "code",
    POLYGONS,
)

BUD_ZONE = LayerSpec(
    "bud_zone",
    "bud_zone.parquet",
    pa.DataFrameSchema({"statut": _text(isin=["classée", "à confirmer"]), "communes": _count(), "libelle": _text()}),
    "statut",
    POLYGONS,
)

CITES = LayerSpec(
    "cites",
    "cites.parquet",
    pa.DataFrameSchema(
        {
            "id": _text(regex=r"^\d+$", error="identifiant de cité invalide (entier attendu)"),
            "nom": _text(),
            "insee": _text(regex=INSEE, error="code INSEE invalide (5 caractères attendus)"),
            "commune": _text(),
            "epci_siren": _text(regex=SIREN, error="SIREN invalide (9 chiffres attendus)"),
            "bailleur": _text(),
            "interet_patrimonial": _text(),
            "unesco": pa.Column(bool),
            "logements": _count(nullable=True),
            "statut": _text(isin=list(STATUSES)),
            "statut_date": _text(
                regex=r"^(\d{4}(-\d{2}(-\d{2})?)?|source non datée)?$",
                error="date invalide (AAAA, AAAA-MM, AAAA-MM-JJ ou « source non datée »)",
            ),
            "premieres_operations": pa.Column(bool),
            "source": _text(),
        },
        strict=False,
    ),
    "id",
    frozenset({"Point"}),
)

CITE_CONTOURS = LayerSpec(
    "cite_contours",
    "cite_contours.parquet",
    pa.DataFrameSchema(
        {
            "id": _text(regex=r"^\d+$", error="identifiant de cité invalide (entier attendu)"),
            "nom": _text(),
            "surface_ha": pa.Column(float, pa.Check.gt(0, error="doit être une surface positive"), coerce=True),
            "source": _text(),
        },
        strict=False,
    ),
    "id",
    POLYGONS,
)

UNESCO = LayerSpec(
    "unesco",
    "unesco.parquet",
    pa.DataFrameSchema(
        {
            "id": _text(),
            "nature": _text(isin=["bien inscrit", "cité minière du bien inscrit"]),
            "nom": _text(),
            "detail": _text(),
            "surface_ha": pa.Column(
                float, pa.Check.ge(0, error="doit être une surface positive ou nulle"), coerce=True
            ),
            "source": _text(),
        },
        strict=False,
    ),
    "id",
    POLYGONS,
)

ROADS = LayerSpec(
    "roads",
    "roads.parquet",
    pa.DataFrameSchema(
        {
            "id": _text(),
            "nom": _text(),
            "statut": _text(),
            "trace": _text(isin=["tracé indicatif", "géométrie fournie"]),
            "trace_methode": _text(),
            "source": _text(),
        },
        strict=False,
    ),
    "id",
    frozenset({"LineString", "MultiLineString", "Point"}),
)

LABELS = LayerSpec(
    "labels",
    "labels.parquet",
    pa.DataFrameSchema({"nom": _text(), "population": _count()}),
    None,
    frozenset({"Point"}),
)

DOCUMENTS = LayerSpec(
    "documents",
    "sources/documents.csv",
    pa.DataFrameSchema(
        {
            "doc_id": _text(
                regex=r"^(seed|web)-\d{3}$", error="identifiant de document invalide (seed-NNN ou web-NNN)"
            ),
            "title": _text(),
            "publisher": _text(nullable=True),
            "published": _text(nullable=True),
            "kind": _text(isin=["seed", "web"]),
            "location": _text(),
        },
        strict=False,
    ),
    "doc_id",
)

INDICATORS = LayerSpec(
    "indicators",
    "sources/indicators.csv",
    pa.DataFrameSchema(
        {
            "indicator": _text(regex=r"^[a-z0-9_]+$", error="identifiant d'indicateur invalide"),
            "label_fr": _text(),
            "value": pa.Column(float, pa.Check.ge(0, error="doit être un nombre positif ou nul"), coerce=True),
            "unit": _text(),
            "as_of": _text(regex=PARTIAL_DATE, error="date invalide (AAAA, AAAA-MM ou AAAA-MM-JJ)"),
            "scope": _text(regex=r"^(programme|epci:\d{9}|commune:\d{5})$", error="portée invalide"),
            "doc_id": _text(),
            "section": _text(nullable=True),
            "quote": _text(),
        },
        strict=False,
    ),
    None,
)

CITE_FACTS = LayerSpec(
    "cite_facts",
    "sources/cite_facts.csv",
    pa.DataFrameSchema(
        {
            "cite_id": _text(regex=r"^(\d+(\|\d+)*)?$", error="identifiant de cité invalide"),
            "fact_type": _text(
                isin=[
                    "logements",
                    "logements_livres",
                    "statut",
                    "travaux_debut",
                    "livraison_prevue",
                    "montant_eur",
                    "experimentation",
                    "premieres_operations",
                    "selection",
                    "insertion_heures",
                    "autre",
                ]
            ),
            "status": _text(isin=["", *STATUSES[1:]]),
            "fact_date": _text(regex=PARTIAL_DATE, error="date invalide (AAAA, AAAA-MM ou AAAA-MM-JJ)"),
            "doc_id": _text(),
            "quote": _text(),
            "match": _text(isin=["certain", "probable", "ambigu", "non trouvé"]),
        },
        strict=False,
    ),
    None,
)

LAYER_SPECS: dict[str, LayerSpec] = {
    s.name: s for s in (COMMUNES, EPCI, DEPARTEMENTS, BUD_ZONE, CITES, CITE_CONTOURS, UNESCO, ROADS, LABELS)
}
TABLE_SPECS: dict[str, LayerSpec] = {s.name: s for s in (DOCUMENTS, INDICATORS, CITE_FACTS)}
