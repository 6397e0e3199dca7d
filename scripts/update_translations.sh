#!/usr/bin/env bash
# Update the translation sources and compile them.
#
#   resources/translations/dataflow_<lang>.ts   <- strings found in dataflow_desktop/ui (lupdate)
#   dataflow_desktop/resources/translations/dataflow_<lang>.qm   <- compiled (lrelease), shipped
#
# Tools: pyside6-lupdate / pyside6-lrelease come with PySide6-Essentials (.venv/bin). Without
# them, Debian's qt6-l10n-tools has /usr/lib/qt6/bin/lupdate and lrelease (lupdate >= 6.5
# reads Python); set LUPDATE / LRELEASE to use other binaries.
#
# Translate with Qt Linguist (pyside6-linguist resources/translations/dataflow_fr.ts) or
# any .ts editor, then run this script again. French typography: a no-break space
# (U+00A0) before « : ; ? ! » and inside « guillemets », a narrow one (U+202F) before %.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${DATAFLOW_VENV:-$ROOT/.venv}"
pick() {  # first tool that exists
  for tool in "$@"; do
    if [ -x "$tool" ] || command -v "$tool" >/dev/null 2>&1; then echo "$tool"; return 0; fi
  done
  echo "error: none of $* found (pip install pyside6-essentials, or apt install qt6-l10n-tools)" >&2
  return 1
}
LUPDATE="${LUPDATE:-$(pick "$VENV/bin/pyside6-lupdate" pyside6-lupdate /usr/lib/qt6/bin/lupdate)}"
LRELEASE="${LRELEASE:-$(pick "$VENV/bin/pyside6-lrelease" pyside6-lrelease /usr/lib/qt6/bin/lrelease)}"
cd "$ROOT"
mapfile -t SOURCES < <(find dataflow_desktop/ui -name '*.py' | sort)
mkdir -p resources/translations dataflow_desktop/resources/translations
for lang in en fr; do
  ts="resources/translations/dataflow_${lang}.ts"
  "$LUPDATE" -silent -no-obsolete -locations relative -source-language en -target-language "$lang" \
    "${SOURCES[@]}" -ts "$ts"
  "$LRELEASE" -silent "$ts" -qm "dataflow_desktop/resources/translations/dataflow_${lang}.qm"
  echo "$ts -> dataflow_desktop/resources/translations/dataflow_${lang}.qm"
done
