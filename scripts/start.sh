#!/usr/bin/env bash
# Installe les dépendances dans l'environnement du projet (.venv) puis lance Carte ERBM sur
# http://localhost:8501 ; les lancements suivants réutilisent .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv requirements.txt
exec .venv/bin/python -m streamlit run serve.py "$@"
