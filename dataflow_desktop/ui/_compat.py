"""Workarounds for defects of the Qt bindings, each detected at run time, never assumed.

PySide6 6.12.0 on Python 3.11: every call of a wrapped method that returns nothing
(``QLabel.setText``, ``QWidget.update``, ``QCoreApplication.processEvents``...) drops one
reference to ``None`` without having taken it (measured: −1.00 per call; 6.11.3 on the
same interpreter: 0). Python 3.12 made ``None`` immortal, which hides the bug there;
on 3.11 the count reaches zero after some thousands of calls and the interpreter
aborts with "Fatal Python error: none_dealloc". The fix belongs in PySide6 (pin
``pyside6-essentials != 6.12.0``); until then, when the probe below sees the leak,
``None``'s reference count is raised far out of reach. ``None`` is never freed, so an
extra count has no other effect.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

_PROBE_CALLS = 64
_HEADROOM = 1 << 60  # void calls the process can now make before the count runs out


def protect_none_refcount() -> bool:
    """Detect the ``None`` reference leak and neutralise it; returns whether it was found."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # None is immortal there (PEP 683), or refcounts work differently
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    if lost < _PROBE_CALLS // 2:
        return False
    # CPython keeps ob_refcnt first in every object; id() is the object's address.
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM
    log.warning(
        "PySide6 %s drops a reference to None on each call (%d in %d probe calls); "
        "applied the workaround. Use another PySide6 version.",
        pyside_version,
        lost,
        _PROBE_CALLS,
    )
    return True


__all__ = ["protect_none_refcount"]
