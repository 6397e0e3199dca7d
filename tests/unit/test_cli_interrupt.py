"""Ctrl+C in the CLI is never lost, even when Python drops its KeyboardInterrupt."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from dataflow_desktop.cli._interrupt import raise_if_interrupted, watching

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


class _Finaliser:
    """Receives Ctrl+C while its ``__del__`` runs, as a PyMuPDF document collected on
    the main thread may."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(10_000))  # Python runs the handler here, inside the finaliser


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_dropped_inside_a_finaliser_is_raised_by_the_next_check() -> None:
    with watching():
        _Finaliser()  # collected at once: Python reports and drops the KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            raise_if_interrupted()


def test_the_previous_handler_is_back_after_the_command() -> None:
    before = signal.getsignal(signal.SIGINT)
    with watching():
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before
    raise_if_interrupted()  # nothing was pressed
