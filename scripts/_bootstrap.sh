# Sourced by start.sh and test.sh: finds Python 3.11+, installs what is missing, makes .venv.
# Usage: bootstrap <pip extras> <apt packages...>
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DATAFLOW_VENV:-$ROOT/.venv}"

find_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null 2>&1 &&
       "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "error: Python 3.11 or newer is needed (none found on PATH)" >&2
  return 1
}

# Debian/Ubuntu system packages (Qt's xcb libraries, Xvfb, gnome-keyring, Tesseract data),
# installed only when missing and only when we are root with apt-get; elsewhere we say what to do.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${missing[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    echo "note: missing system packages (run as root to install): ${missing[*]}" >&2
  fi
}

bootstrap() {
  local extras="$1"; shift
  if command -v dpkg-query >/dev/null 2>&1; then apt_install "$@"; fi
  if [ ! -x "$VENV/bin/python" ]; then
    "$(find_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q -U pip
  fi
  # Reinstall only when pyproject.toml or the extras changed.
  local stamp="$VENV/.dataflow-$(echo "$extras" | tr -c 'a-z0-9' '_')"
  local want
  want="$(sha256sum "$ROOT/pyproject.toml" 2>/dev/null || shasum -a 256 "$ROOT/pyproject.toml")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
    echo "$want" > "$stamp"
  fi
}
