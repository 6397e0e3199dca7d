"""Running the pipeline beyond one machine (optional: needs the ``temporal`` extra).

* :mod:`.follow`: follow jobs' progress.json in a shared bucket (no Temporal needed).
* :mod:`.temporal`: the ``ProcessDocument`` Temporal workflow, its activities, a worker
  and a client to submit documents. Importing it needs ``temporalio``; nothing outside
  ``orchestration/`` imports ``temporalio`` (an import-linter contract), so the desktop
  app starts without it. Check :func:`temporal_available` before offering the choice.
"""

from __future__ import annotations

import importlib.util


def temporal_available() -> bool:
    """Whether the Temporal client library (the ``temporal`` extra) is installed."""
    return importlib.util.find_spec("temporalio") is not None


__all__ = ["temporal_available"]
