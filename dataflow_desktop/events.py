"""Progress and cancellation protocols shared by every layer (no Qt, no I/O).

Core entry points take keyword-only ``progress`` and ``cancel`` arguments
(OCRmyPDF's ProgressBar protocol, fsspec's Callback).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

from .errors import Cancelled


@dataclass(frozen=True, slots=True)
class StepProgress:
    """``done`` of ``total`` units of ``step`` are finished; ``message`` is for people."""

    step: str
    done: int
    total: int
    message: str = ""


class ProgressCallback(Protocol):
    """Receives progress events; must be cheap and must not raise."""

    def __call__(self, event: StepProgress, /) -> None: ...


class CancelToken(Protocol):
    """Asked between pages or chunks; ``check`` raises :class:`Cancelled`."""

    @property
    def cancelled(self) -> bool: ...

    def check(self) -> None: ...


class CancelFlag:
    """A thread-safe :class:`CancelToken`."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancellation was asked for."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()


class NeverCancel:
    """A :class:`CancelToken` that never cancels."""

    cancelled = False

    def check(self) -> None:
        """Never raises."""


def no_progress(event: StepProgress, /) -> None:
    """A :class:`ProgressCallback` that ignores events."""
