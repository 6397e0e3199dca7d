"""The sync layer's errors (codes and messages live in :mod:`dataflow_desktop.errors`)."""

from __future__ import annotations

from ..errors import DataflowError, ErrorCode


class SyncError(DataflowError):
    """Base of the errors of remotes and sync (not of one storage request)."""

    code = ErrorCode.STORAGE_ERROR


class RemoteNotFoundError(SyncError):
    """No remote profile has the given name."""

    code = ErrorCode.REMOTE_NOT_FOUND


class RemoteJobNotFoundError(SyncError):
    """The shared bucket holds no job with the given id."""

    code = ErrorCode.REMOTE_JOB_NOT_FOUND


class SecretMissingError(SyncError):
    """The remote's secret is neither in the keyring nor in the environment."""

    code = ErrorCode.SECRET_MISSING


class SyncConflictError(SyncError):
    """Remote objects this app did not write are in the way (left untouched)."""

    code = ErrorCode.SYNC_CONFLICT


__all__ = [
    "RemoteJobNotFoundError",
    "RemoteNotFoundError",
    "SecretMissingError",
    "SyncConflictError",
    "SyncError",
]
