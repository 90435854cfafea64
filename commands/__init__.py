"""The command line's commands, run by ``python cli.py``: the French argument parser (``parser``), the
data commands (``data``: build, inventory, export, fiche, import-route) and the planners' updates of the
cités with their history (``store``); ``run`` hands the parsed arguments to the command they name."""
