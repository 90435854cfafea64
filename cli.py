"""Ligne de commande de Carte ERBM.

python cli.py build-data                    reconstruit data/ depuis les sources
python cli.py inventory                     décrit en JSON ce qui est chargé
python cli.py export LAYER --format csv     exporte une couche (EPSG:4326) sur la sortie standard
                                            (--version N, ou --date AAAA-MM-JJ)
python cli.py import-route rn17 trace.geojson   remplace un tracé indicatif par une géométrie levée
python cli.py fiche --commune INSEE -o F.pdf écrit la fiche PDF (A4) d'une commune (ou --epci, --cite)
                                            (--version N, ou --date AAAA-MM-JJ)
python cli.py recueil --epci SIREN -o F.pdf  un seul PDF : couverture, sommaire, signets, une fiche par
                                            commune (--toutes : le périmètre ; --cites ID,ID ; --ordre insee)
python cli.py fiches --epci SIREN --dossier D   une fiche PDF par commune dans le dossier D (--toutes)
                                            (les deux : --workers N, --version N ou --date AAAA-MM-JJ)

Mises à jour des cités par les chargés de mission, avec leur historique :
python cli.py template cites > modele.csv    écrit le modèle de saisie (valeurs de la version courante)
python cli.py import modele.csv --note "…"   vérifie le fichier et l'enregistre comme nouvelle version
                                            (--base N pour un fichier sans colonne version_base)
python cli.py history                        liste les versions (qui, quand, quoi, pourquoi)
python cli.py diff 3 5                       compare deux versions
python cli.py rollback 3                     rétablit la version 3 dans une nouvelle version
python cli.py hash-password                  empreinte d'un mot de passe d'éditeur (secrets.toml)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# Set to see the Python traceback of an unexpected error instead of its one-line French summary.
DEBUG_ENV = "ERBM_DEBUG"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (``argv``, by default the process's arguments) and return its exit code:
    0 done, 1 refused or failed, 2 wrong arguments or file. Errors are French lines on stderr."""
    from commands.parser import build_parser
    from commands.run import run
    from core.text import terminal_safe
    from geo.errors import DataFileError
    from store.errors import StoreError

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse has printed the help, or the French error of a wrong argument
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 2
    try:
        return run(args)
    except DataFileError as err:
        print(terminal_safe(err.french_message()), file=sys.stderr)
        return 2
    except StoreError as err:
        print(terminal_safe(f"Erreur : {err.french_message()}"), file=sys.stderr)
        return 1
    except Exception as err:  # the last resort: a French line, never a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        detail = " ".join(str(err).split())[:300]
        print(
            terminal_safe(
                f"Erreur inattendue ({type(err).__name__}{' : ' + detail if detail else ''}). "
                f"Relancez avec {DEBUG_ENV}=1 pour le détail technique."
            ),
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
