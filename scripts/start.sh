#!/usr/bin/env bash
# Installe les dépendances puis lance Carte ERBM sur http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec python3 -m streamlit run serve.py "$@"
