#!/usr/bin/env bash
# Install what is needed and start DataFlow Desktop on its embedded defaults
# (local storage and SQLite in the user data folder, sync off).
source "$(dirname "$0")/_bootstrap.sh"
bootstrap gui libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1 libdbus-1-3 \
  fontconfig fonts-dejavu-core tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-osd
exec "$VENV/bin/python" -m dataflow_desktop "$@"
