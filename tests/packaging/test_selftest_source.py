"""``--version`` and ``--selftest`` from a source checkout (not frozen).

The same self-test the frozen app runs, here through ``python -m dataflow_desktop``: a
failure here is an app problem, not a packaging one. About 20 s.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import smoke

pytestmark = pytest.mark.gui

pytest.importorskip("PySide6", reason="the self-test opens the window")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "dataflow_desktop", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_version_from_source() -> None:
    from dataflow_desktop import __version__

    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout == f"dataflow-desktop {__version__}\n"
    assert done.stderr == ""


def test_selftest_from_source() -> None:
    done = _run("--selftest")
    unexpected = smoke.unexpected_lines(done.stderr, smoke.load_allowlist())
    assert not unexpected, f"unexpected stderr {unexpected}"
    assert done.returncode == 0, done.stdout[-6000:]
    assert "selftest: OK" in done.stdout
    assert "(from source:" in done.stdout
