"""The programme's shared words: what every layer may name without depending on another.

Statuses of a cité's rehabilitation, ordered from least to most advanced (the order breaks ties
between facts of the same date), and the label a reader sees for each.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

# The programme's days are those of its territory: a date typed or stamped is a day in Paris.
PARIS = ZoneInfo("Europe/Paris")

NON_RENSEIGNE = "non renseigné"

STATUSES: tuple[str, ...] = (
    NON_RENSEIGNE,
    "études",
    "travaux logements",
    "travaux espaces publics",
    "livrée",
)

STATUS_LABELS: dict[str, str] = {
    NON_RENSEIGNE: "Non renseigné : aucune source ne donne l'avancement",
    "études": "Études, concertation, logements témoins",
    "travaux logements": "Travaux sur les logements en cours",
    "travaux espaces publics": "Travaux sur les espaces publics en cours",
    "livrée": "Réhabilitation achevée (logements livrés)",
}

STATUS_METHOD = (
    "Statut déduit : fait daté le plus récent parmi les faits sourcés qui énoncent un état "
    "d'avancement (à date égale, le plus avancé). Si aucun de ces faits n'est daté, le plus avancé "
    "des faits non datés, signalé « source non datée ». Sans aucun tel fait : « non renseigné »."
)
UNDATED = "source non datée"
