"""A SeaweedFS S3 server for benchmarks, started exactly as the test fixture starts it.

The start logic lives in ``tests/fixtures/servers.py`` (:func:`prepare_seaweedfs`): every
port free-picked on 127.0.0.1, telemetry off, an admin identity. This module only makes
it importable from a benchmark script and stops the server afterwards.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1] / "tests"


@contextmanager
def seaweedfs(root: Path) -> Iterator[Any]:
    """A running ``weed mini`` whose data lives under ``root``; stopped on exit.

    Yields:
        The fixture's ``SeaweedFS`` object (``endpoint``, ``admin`` keys, ``client()``).
    """
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from fixtures.servers import prepare_seaweedfs

    server = prepare_seaweedfs(root)
    try:
        server.start()
        yield server
    finally:
        server.stop()


__all__ = ["seaweedfs"]
