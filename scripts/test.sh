#!/usr/bin/env bash
# Installe tout ce que les tests demandent (dépendances Python dans .venv, Chromium et PostgreSQL
# de Debian) puis vérifie le code (ruff, mise en forme, sens des imports) et lance les tests ; les
# tests du stockage tournent sur SQLite et sur un PostgreSQL jetable.
#   bash scripts/test.sh                 # tout
#   bash scripts/test.sh -m unit         # les tests unitaires seuls (moins de 30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  fi
fi
source scripts/venv.sh
ensure_venv requirements-dev.txt
PY=.venv/bin/python
"$PY" -m ruff check .
"$PY" -m ruff format --check .
.venv/bin/lint-imports
exec bash scripts/with-postgres.sh "$PY" -m pytest "$@"
