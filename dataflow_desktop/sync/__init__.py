"""Moving finished jobs between local storage and a shared bucket.

* :mod:`.planner`: the pure planner (local listing + remote listing + snapshot → actions);
* :mod:`.engine`: the executor (uploads, verification, retries, the sync log);
* :mod:`.log`: the ``SyncLog`` protocol ``jobs/`` implements on SQLite;
* :mod:`.profiles`: remote profiles (``remotes.json``) and :class:`~.profiles.Remote`;
* :mod:`.probe`: ``dataflow remote test``; :mod:`.team`: teammates' jobs in the bucket;
* :mod:`.mirror`: live progress.json while a job runs;
* :mod:`.credentials`: the only module that talks to ``keyring``.

Submodules are imported on use (``keyring`` and boto3 are not needed to import this).
"""

from __future__ import annotations

from ._errors import (
    RemoteJobNotFoundError,
    RemoteNotFoundError,
    SecretMissingError,
    SyncConflictError,
    SyncError,
)

__all__ = [
    "RemoteJobNotFoundError",
    "RemoteNotFoundError",
    "SecretMissingError",
    "SyncConflictError",
    "SyncError",
]
