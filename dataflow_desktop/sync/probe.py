"""``dataflow remote test``: which rights the stored credentials really have.

A probe object under the reserved prefix ``_dataflow-probe/`` (never a job's key) is
listed, written, read back and deleted. Each right gets its own line with the exact
reason when it is missing; errors that make every later check meaningless (wrong
keys, a bucket that does not exist, a server that cannot be reached) stop the run.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import StorageError
from ..storage.base import FileStorage, StorageAuthError, StorageTransientError
from ..storage.keys import PROBE_PREFIX, probe_key
from ..storage.remote import NoSuchBucketError

log = logging.getLogger(__name__)

RIGHTS = ("connect", "list", "write", "read", "delete")
_FATAL = (StorageAuthError, NoSuchBucketError, StorageTransientError)


@dataclass(frozen=True, slots=True)
class Check:
    """The result of checking one right.

    Attributes:
        right: ``connect``, ``list``, ``write``, ``read`` or ``delete``.
        ok: ``True`` granted, ``False`` missing, ``None`` not checked.
        message: what was found, or what is missing and how to fix it.
    """

    right: str
    ok: bool | None
    message: str = ""


@dataclass(frozen=True, slots=True)
class ProbeReport:
    """Every :class:`Check`, in :data:`RIGHTS` order."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        """Whether every right is granted."""
        return all(check.ok for check in self.checks)

    @property
    def missing(self) -> list[Check]:
        """The checks that failed."""
        return [check for check in self.checks if check.ok is False]


class _Stop(Exception):
    """A fatal error: the remaining checks are skipped."""


def _run(results: list[Check], right: str, action: Callable[[], str]) -> bool:
    """Run one check; record it; raise :class:`_Stop` on a fatal error."""
    try:
        message = action()
    except _FATAL as exc:
        results.append(Check(right, False, exc.user_message))
        raise _Stop from exc
    except (StorageError, OSError) as exc:
        message = exc.user_message if isinstance(exc, StorageError) else str(exc)
        results.append(Check(right, False, message))
        return False
    results.append(Check(right, True, message))
    return True


def probe(storage: FileStorage, *, token: str | None = None) -> ProbeReport:
    """Check list, write, read and delete rights of ``storage`` with one probe object.

    Args:
        storage: the remote backend (opened for an environment).
        token: the probe's hex name (default: random).

    Returns:
        One check per right; unchecked rights have ``ok=None``.
    """
    key = probe_key(token or secrets.token_hex(8))
    payload = f"dataflow remote test {key}\n".encode()
    results: list[Check] = []
    written = False

    def connect() -> str:
        check = getattr(storage, "check", None)
        if callable(check):
            check()
            return "the bucket exists and the keys are accepted"
        next(iter(storage.list(PROBE_PREFIX)), None)  # no HEAD-bucket: a listing tells
        return "the bucket answers"

    def listing() -> str:
        list(itertools.islice(storage.list(PROBE_PREFIX), 1))
        return "objects can be listed"

    def write() -> str:
        info = storage.put(key, payload)
        if info.size != len(payload):
            raise StorageError(f"The probe object was stored with {info.size} bytes.")
        return f"wrote {key}"

    def read() -> str:
        with storage.open_read(key) as handle:
            if handle.read() != payload:
                raise StorageError("The probe object read back differs from what was written.")
        return "read it back intact"

    def delete() -> str:
        storage.delete(key)
        return "deleted it"

    try:
        _run(results, "connect", connect)
        _run(results, "list", listing)
        written = _run(results, "write", write)
        if written:
            _run(results, "read", read)
            _run(results, "delete", delete)
    except _Stop:
        pass
    finally:
        if written and not any(c.right == "delete" and c.ok for c in results):
            log.warning("remote test: the probe object %s could not be removed", key)
    done = {check.right for check in results}
    skipped = tuple(
        Check(right, None, "not checked (an earlier check failed)")
        for right in RIGHTS
        if right not in done
    )
    order = {right: i for i, right in enumerate(RIGHTS)}
    return ProbeReport(tuple(sorted((*results, *skipped), key=lambda c: order[c.right])))


def probe_remote(name: str, env: str) -> ProbeReport:
    """:func:`probe` the bucket of remote profile ``name`` for ``env`` (network I/O).

    Raises:
        RemoteNotFoundError: no such profile.
        SecretMissingError: no secret in the keyring nor the environment.
        CredentialsError: the keyring cannot be read.
    """
    from ..storage.factory import open_remote
    from .profiles import credentials, get_profile

    profile, secret = credentials(get_profile(name))
    storage = open_remote(profile, secret, env=env)
    try:
        return probe(storage)
    finally:
        close = getattr(storage, "close", None)
        if callable(close):
            close()


__all__ = ["RIGHTS", "Check", "ProbeReport", "probe", "probe_remote"]
