#!/usr/bin/env bash
# Install what is needed and run the whole test suite: lint, types, layers, pytest.
# Servers the tests need (SeaweedFS, Temporal, gnome-keyring) are started by pytest fixtures.
source "$(dirname "$0")/_bootstrap.sh"
bootstrap gui,dev,bench libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 \
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 \
  libdbus-1-3 fontconfig fonts-dejavu-core xvfb xauth dbus gnome-keyring libsecret-tools \
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-osd
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
echo "== ruff" && "$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "== mypy" && "$VENV/bin/mypy"
echo "== import-linter" && "$VENV/bin/lint-imports"
echo "== pytest" && exec "$VENV/bin/python" -m pytest "$@"
