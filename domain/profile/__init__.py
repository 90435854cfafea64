"""The territory profile of a commune, an EPCI or a cité: what the Mon territoire page shows and the
PDF fiche prints, every figure with its source and date.

Pure functions of the loaded :class:`~geo.load.Territory`; the facts come from
:func:`domain.records.record` (the side panel's record) and only the comparisons are computed
here, each one saying how. What no source gives is written « non renseigné ».

- :mod:`domain.profile.model`: the frozen data a profile is made of, and the check of a reference;
- :mod:`domain.profile.parts`: the pieces every profile shares (cités, roads, documents, assembly);
- :mod:`domain.profile.commune`, :mod:`~domain.profile.epci`, :mod:`~domain.profile.cite`: one kind each.
"""

from __future__ import annotations

from dataclasses import replace

from domain.profile.cite import cite_profile
from domain.profile.commune import commune_profile
from domain.profile.epci import epci_profile
from domain.profile.model import KINDS, CiteLine, Comparison, Profile, RoadLine, UnknownFeatureError, check_ref
from domain.profile.programme import programme_here
from domain.provenance import describe_document
from geo.crs import LAMBERT93, require_crs
from geo.load import Territory


def profile(t: Territory, kind: str, ref: str) -> Profile:
    """Everything the profile of ``kind`` (commune, epci, cite) ``ref`` says.

    Raises UnknownFeatureError (a ValueError) with a French message for an unknown kind or identifier.
    """
    for name in ("communes", "epci", "cites", "roads"):
        require_crs(getattr(t, name), LAMBERT93, what=f"couche {name}")
    ref = str(ref).strip()
    check_ref(t, kind, ref)
    builders = {"commune": commune_profile, "epci": epci_profile, "cite": cite_profile}
    prof = builders[kind](t, ref)
    here = programme_here(t, kind, ref)
    documents = dict.fromkeys([*prof.documents, *(describe_document(t, d) for d in here.doc_ids)])
    return replace(prof, programme=here, documents=tuple(documents))


__all__ = [
    "KINDS",
    "CiteLine",
    "Comparison",
    "Profile",
    "RoadLine",
    "UnknownFeatureError",
    "check_ref",
    "cite_profile",
    "commune_profile",
    "epci_profile",
    "profile",
]
