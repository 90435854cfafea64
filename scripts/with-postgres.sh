#!/usr/bin/env bash
# Lance une commande avec un serveur PostgreSQL jetable, arrêté et effacé à la fin :
#   bash scripts/with-postgres.sh .venv/bin/python -m pytest tests/test_store.py
# La commande reçoit ERBM_TEST_POSTGRES_URL (base vide, accès sans mot de passe sur 127.0.0.1).
# Si ERBM_TEST_POSTGRES_URL est déjà défini, le serveur indiqué est utilisé tel quel.
set -euo pipefail
# runuser and useradd live in sbin, which a minimal PATH (PATH=/usr/bin:/bin) leaves out.
export PATH="$PATH:/usr/sbin:/sbin"

if [ -n "${ERBM_TEST_POSTGRES_URL:-}" ]; then
  exec "$@"
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bindir() {
  # Debian installs each major version side by side; the newest one wins.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

PG_BIN=$(pg_bindir)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL absent : installation du paquet Debian « postgresql »…" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(pg_bindir)
  if [ -z "$PG_BIN" ]; then
    echo "Erreur : PostgreSQL installé mais initdb introuvable sous /usr/lib/postgresql/*/bin." >&2
    exit 1
  fi
fi

# The server refuses to run as root: as root, it runs as the "postgres" account of the Debian
# package (created here if the binaries came without it).
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  fi
  RUN_AS=(runuser -u postgres --)
fi

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/erbm-pg.XXXXXX")
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$PG_DIR"
fi

stop_server() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_server EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap also runs when interrupted

PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U erbm --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
# Throwaway data: durability settings off for speed; the crash tests kill clients, not the server.
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null || { cat "$PG_DIR/server.log" >&2; exit 1; }
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U erbm erbm_test

export ERBM_TEST_POSTGRES_URL="postgresql+psycopg://erbm@127.0.0.1:$PG_PORT/erbm_test"
echo "PostgreSQL de test : $ERBM_TEST_POSTGRES_URL ($("$PG_BIN/postgres" --version))" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
