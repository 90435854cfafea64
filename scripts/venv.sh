# Sourced by start.sh and test.sh: the project's own virtual environment, .venv (ignored by git).
# Works with whichever python3 comes first on PATH, Debian's own included: Debian refuses pip
# installs into its system Python (PEP 668, « externally-managed-environment »), never into a venv.
# Created once, then reused; packages are installed again only when a requirements file changes.
# Usage: ensure_venv requirements-dev.txt   (then .venv/bin/python is ready)

VENV_DIR=.venv

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

_python_ok() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

ensure_venv() {
  local requirements="$1"
  local python
  python=$(command -v python3 || true)
  if [ -z "$python" ] || ! _python_ok "$python"; then
    echo "Erreur : Python 3.11 ou plus récent est nécessaire (python3 introuvable ou trop ancien)." >&2
    return 1
  fi
  if [ ! -x "$VENV_DIR/bin/python" ] || ! _python_ok "$VENV_DIR/bin/python"; then
    rm -rf "$VENV_DIR"
    if ! "$python" -m venv "$VENV_DIR" 2>/dev/null; then
      # Debian ships venv's pip bootstrap in a separate package.
      echo "Module venv incomplet : installation du paquet Debian « python3-venv »…" >&2
      rm -rf "$VENV_DIR"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv "$VENV_DIR"
    fi
  fi
  # The stamp is the hash of the requirements files as installed: unchanged files, no pip run.
  local stamp="$VENV_DIR/.installed-$(basename "$requirements")"
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -c1-64)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    "$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}
