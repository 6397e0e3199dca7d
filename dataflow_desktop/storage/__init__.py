"""Every file of a job goes through a :class:`FileStorage` backend."""

from __future__ import annotations

from .base import (
    FileStorage,
    ObjectInfo,
    StorageAuthError,
    StoragePermissionError,
    StorageQuotaError,
    StorageTransientError,
)
from .keys import InvalidKeyError, job_key, job_prefix, new_job_id
from .local import LocalStorage
from .memory import MemoryStorage

__all__ = [
    "FileStorage",
    "InvalidKeyError",
    "LocalStorage",
    "MemoryStorage",
    "ObjectInfo",
    "StorageAuthError",
    "StoragePermissionError",
    "StorageQuotaError",
    "StorageTransientError",
    "job_key",
    "job_prefix",
    "new_job_id",
]
