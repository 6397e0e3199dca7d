#!/bin/sh
# Install (or remove) DataFlow Desktop from this unpacked archive.
#
#   ./install.sh                 for the current user: ~/.local/opt, ~/.local/bin, ~/.local/share
#   sudo ./install.sh --system   for everyone: /opt, /usr/local/bin, /usr/local/share
#   ./install.sh --uninstall [--system]
#
# The app folder is copied as a whole (the executable finds its libraries beside it).
# Two commands are linked into the bin folder: dataflow-desktop (the window) and
# dataflow (the headless CLI: the same executable started under that name). The
# launcher (.desktop, with PDF in its MimeType so the app is offered in "Open with")
# and the icons go where desktops look. Nothing is made the default PDF application.
set -eu

APP_ID=dataflow-desktop
HERE=$(cd "$(dirname "$0")" && pwd)
MODE=user
ACTION=install
for arg in "$@"; do
  case "$arg" in
    --system) MODE=system ;;
    --uninstall) ACTION=uninstall ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$MODE" = system ]; then
  APP_DIR=/opt/$APP_ID
  BIN_DIR=/usr/local/bin
  SHARE_DIR=/usr/local/share
else
  APP_DIR=$HOME/.local/opt/$APP_ID
  BIN_DIR=$HOME/.local/bin
  SHARE_DIR=${XDG_DATA_HOME:-$HOME/.local/share}
fi
DESKTOP_FILE=$SHARE_DIR/applications/$APP_ID.desktop
ICON_ROOT=$SHARE_DIR/icons/hicolor

refresh_caches() {
  # Both tools are optional: desktops also rescan these folders on their own.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$SHARE_DIR/applications" 2>/dev/null || true
  fi
  if [ -f "$ICON_ROOT/index.theme" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t "$ICON_ROOT" 2>/dev/null || true
  fi
}

remove_installed() {
  # Only a folder that holds our executable is removed, so a wrong path deletes nothing.
  if [ -x "$APP_DIR/$APP_ID" ]; then
    rm -rf "$APP_DIR"
  fi
  for command in "$APP_ID" dataflow; do
    # Only our own links: a pip-installed `dataflow` script elsewhere is left alone.
    if [ -L "$BIN_DIR/$command" ] && [ "$(readlink "$BIN_DIR/$command")" = "$APP_DIR/$APP_ID" ]; then
      rm -f "$BIN_DIR/$command"
    fi
  done
  rm -f "$DESKTOP_FILE"
  for icon in "$ICON_ROOT"/*/apps/"$APP_ID".png "$ICON_ROOT"/scalable/apps/"$APP_ID".svg; do
    if [ -f "$icon" ]; then rm -f "$icon"; fi
  done
}

if [ "$ACTION" = uninstall ]; then
  remove_installed
  refresh_caches
  echo "DataFlow Desktop removed ($MODE install)."
  exit 0
fi

if [ ! -x "$HERE/$APP_ID" ]; then
  echo "error: run install.sh from the unpacked archive (no $APP_ID beside it)" >&2
  exit 1
fi
case "$APP_DIR" in
  *'"'* | *'`'* | *'$'* | *\\*)
    echo "error: the install folder $APP_DIR has characters a .desktop file cannot quote" >&2
    exit 1 ;;
esac

remove_installed  # an upgrade replaces the previous version whole
mkdir -p "$APP_DIR" "$BIN_DIR" "$SHARE_DIR/applications"
cp -R "$HERE/." "$APP_DIR/"
ln -s "$APP_DIR/$APP_ID" "$BIN_DIR/$APP_ID"
if [ -e "$BIN_DIR/dataflow" ] || [ -L "$BIN_DIR/dataflow" ]; then
  echo "  note: $BIN_DIR/dataflow exists already; the CLI link was not made"
else
  ln -s "$APP_DIR/$APP_ID" "$BIN_DIR/dataflow"
fi
sed -e "s|^Exec=.*|Exec=\"$APP_DIR/$APP_ID\" %F|" \
    -e "s|^TryExec=.*|TryExec=$APP_DIR/$APP_ID|" \
    "$HERE/share/applications/$APP_ID.desktop" > "$DESKTOP_FILE"
for src in "$HERE"/share/icons/hicolor/*/apps/*; do
  size_dir=$(basename "$(dirname "$(dirname "$src")")")
  mkdir -p "$ICON_ROOT/$size_dir/apps"
  cp "$src" "$ICON_ROOT/$size_dir/apps/"
done
refresh_caches

echo "DataFlow Desktop installed in $APP_DIR"
echo "  commands: $BIN_DIR/$APP_ID (window), $BIN_DIR/dataflow (command line)"
echo "  launcher: $DESKTOP_FILE"
case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) echo "  note: $BIN_DIR is not on your PATH" ;;
esac
