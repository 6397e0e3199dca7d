"""Fixtures of the packaging tests: the built bundle, an X server.

``packaging/`` is a folder of scripts, not a package (a ``packaging`` package would
shadow the PyPI library of that name), so its modules are imported with that folder
put on ``sys.path``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
if str(PACKAGING) not in sys.path:
    sys.path.insert(0, str(PACKAGING))

BUILD_TIMEOUT = 1500  # seconds; about 1-2 min on an idle 2-core machine, 5 when it is busy


@pytest.fixture(scope="session")
def frozen_bundle() -> dict[str, Any]:
    """``build-info.json`` of the Linux one-folder bundle, built or reused.

    ``packaging/build.py`` reuses the previous build when its inputs have not changed
    (sources, packaging files, installed packages, Tesseract data), so a CI run that
    already built the bundle does not build it again, and neither does a second test
    session on an unchanged tree.
    """
    pytest.importorskip("PyInstaller", reason="pip install -e .[packaging]")
    if sys.platform != "linux":
        pytest.skip("the packaging tests build the Linux bundle")
    done = subprocess.run(
        [sys.executable, str(PACKAGING / "build.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"build failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    info: dict[str, Any] = json.loads((ROOT / "dist" / "build-info.json").read_text("utf-8"))
    return info


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    """A private Xvfb server; yields its ``DISPLAY`` value (``:N``)."""
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: apt-get install xvfb")
    read_fd, write_fd = os.pipe()
    # -displayfd: Xvfb picks a free display number and writes it here when ready.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            pytest.fail("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
