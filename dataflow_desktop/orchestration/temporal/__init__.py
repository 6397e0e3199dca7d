"""The pipeline as Temporal workflows, for teams that outgrow one machine.

Needs the ``temporal`` extra (``temporalio``). Parts:

* :mod:`.workflow`: ``ProcessDocument``, the steps of one document as activities.
* :mod:`.activities`, :mod:`._final`, :mod:`._progress`: the activities, over the shared
  bucket (``FileStorage``) and a process pool.
* :mod:`.worker`: a headless worker (``dataflow worker``).
* :mod:`.client`: submit, cancel and wait (``dataflow submit``, the GUI's team cluster);
  follow progress with :class:`~dataflow_desktop.orchestration.follow.ProgressFollower`.

The client API is re-exported here lazily: the workflow sandbox imports this package
for every workflow run, and must not pay for (or be exposed to) the client's imports.
docs/DEPLOYMENT.md says how to run it.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULT_TASK_QUEUE": ".client",
    "Submitted": ".client",
    "cancel_document": ".client",
    "connect": ".client",
    "submit_blocking": ".client",
    "submit_documents": ".client",
    "wait_document": ".client",
    "DocumentRequest": "._types",
    "RunPolicy": "._types",
    "workflow_id": "._types",
}


def __getattr__(name: str) -> Any:
    """Import the client API on first use (PEP 562)."""
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    return getattr(importlib.import_module(module, __name__), name)


__all__ = [
    "DEFAULT_TASK_QUEUE",
    "DocumentRequest",
    "RunPolicy",
    "Submitted",
    "cancel_document",
    "connect",
    "submit_blocking",
    "submit_documents",
    "wait_document",
    "workflow_id",
]
