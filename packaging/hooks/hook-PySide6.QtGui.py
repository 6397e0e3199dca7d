"""PyInstaller hook for PySide6.QtGui: PyInstaller's own, minus the plugins we never use.

User hooks take precedence over PyInstaller's (hook priority), so this one replaces
``PyInstaller/hooks/hook-PySide6.QtGui.py``. Filtering here, before PyInstaller's
binary dependency analysis, matters: removing e.g. ``libqgtk3.so`` from the finished
Analysis would still leave the host's GTK 3 libraries it pulled in (RECIPES.md §7).
The plugins dropped, and why, are listed in ``packaging/_meta.py``.
"""

from __future__ import annotations

import os

import _meta
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [
    (src, dest)
    for src, dest in binaries
    if "plugins" not in dest.replace("\\", "/").split("/")
    or _meta.keep_plugin(dest, os.path.basename(src))
]
