#!/usr/bin/env bash
# Installe tout ce que les tests demandent (dépendances Python, Chromium et PostgreSQL de Debian)
# puis les lance ; les tests du stockage tournent sur SQLite et sur un PostgreSQL jetable.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  fi
fi
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
python3 -m ruff check .
exec bash scripts/with-postgres.sh python3 -m pytest "$@"
