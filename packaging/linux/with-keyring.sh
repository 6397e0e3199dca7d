#!/bin/sh
# Run a command with an unlocked GNOME Keyring (a Secret Service) on the current D-Bus
# session bus, as a logged-in desktop would have; used to exercise the keyring in CI:
#
#   dbus-run-session -- packaging/linux/with-keyring.sh python packaging/smoke.py
#
# The keyring lives in a throwaway folder and is unlocked with a throwaway password.
set -eu
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "with-keyring.sh: no D-Bus session; run it under dbus-run-session" >&2
  exit 2
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
# --unlock reads the password on stdin and creates the login keyring with it.
eval "$(printf 'throwaway-ci-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
