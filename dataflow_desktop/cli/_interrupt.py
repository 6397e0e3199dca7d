"""Ctrl+C in the CLI: a ``KeyboardInterrupt`` as usual, plus a flag that cannot be lost.

Python drops a ``KeyboardInterrupt`` raised while a finaliser runs on the main thread
(``Exception ignored in …__del__``), and the cyclic garbage collector runs the job
threads' finalisers (PyMuPDF documents, files) wherever it triggers. The loops that
follow jobs call :func:`raise_if_interrupted`, so such a Ctrl+C still stops the batch.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_pressed = threading.Event()


@contextmanager
def watching() -> Iterator[None]:
    """Route SIGINT through the flag while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _pressed.clear()
    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _pressed.set()
    raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl+C was pressed inside :func:`watching`."""
    if _pressed.is_set():
        raise KeyboardInterrupt


__all__ = ["raise_if_interrupted", "watching"]
