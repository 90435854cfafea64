"""The profile of a cité: its record's facts, and how it compares with the cités of its commune, its
EPCI and the perimeter."""

from __future__ import annotations

import pandas as pd

from core.text import format_count, or_nr
from domain.profile.model import Comparison, Profile
from domain.profile.parts import assemble, documents_cited, record_of, road_lines
from domain.records import MBM_DATE, MBM_INVENTORY
from geo.load import Territory


def _cite_comparisons(t: Territory, cite_id: str) -> tuple[Comparison, ...]:
    c = t.cites.set_index("id").loc[cite_id]
    same_commune = t.cites[t.cites["insee"] == c["insee"]]
    same_epci = t.cites[t.cites["epci_siren"] == c["epci_siren"]]
    out = [
        Comparison(
            "Cités de l'inventaire",
            f"commune : {len(same_commune)} · EPCI : {len(same_epci)} · périmètre : {len(t.cites)}",
            "cité comptée dans la commune de son point",
            f"{MBM_INVENTORY} ({MBM_DATE})",
        ),
        Comparison(
            f"Cités au statut « {c['statut']} »",
            f"EPCI : {int((same_epci['statut'] == c['statut']).sum())} sur {len(same_epci)} · "
            f"périmètre : {int((t.cites['statut'] == c['statut']).sum())} sur {len(t.cites)}",
            "statut déduit des faits datés, même règle pour toutes les cités",
            "faits datés des documents cités",
        ),
    ]
    known = t.cites["logements"].dropna()
    if pd.notna(c["logements"]):
        rank = int((known > c["logements"]).sum()) + 1
        out.append(
            Comparison(
                "Logements",
                f"rang {rank} sur {len(known)} cités dont le nombre est sourcé "
                f"(médiane : {format_count(known.median())})",
                "classement par nombre de logements décroissant ; les cités sans nombre sourcé ne sont pas classées",
                "documents cités par cité",
            )
        )
    return tuple(out)


def cite_profile(t: Territory, cite_id: str) -> Profile:
    rec = record_of(t, "cite", cite_id)
    c = t.cites.set_index("id").loc[cite_id]
    commune_geom = t.communes.set_index("insee").loc[c["insee"], "geometry"]
    return assemble(
        t,
        "cite",
        cite_id,
        title=rec.title,
        subtitle=f"Cité minière · {c['commune']} · {or_nr(c['epci_nom'])} · identifiant {cite_id}",
        facts=rec.facts,
        cites=(),
        roads=road_lines(t, commune_geom),
        comparisons=_cite_comparisons(t, cite_id),
        documents=documents_cited(t, t.cites[t.cites["id"] == cite_id], all_facts=True),
        notes=rec.notes,
    )
