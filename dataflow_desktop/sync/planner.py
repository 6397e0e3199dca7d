"""The sync planner: pure. Local listing + remote listing + last snapshot in, actions out.

No I/O, no clock, no randomness: the same three inputs always give the same list, so
every rule below has a unit test (``tests/unit/test_sync_planner.py``).

Rules, per local file (``L`` = its sha256, ``R`` = the remote object's):

* no remote object → :class:`Upload`;
* remote holds the same bytes (``R == L``, same size) → :class:`SkipVerified`; or, when
  the listing carries no sha256, the snapshot says we verified ``L`` there and the
  size still matches → :class:`SkipVerified` (nothing is sent again after a resume);
* remote differs, and the snapshot shows *this job* wrote that content (``R`` is the
  sha we last verified or last attempted there, or our copy failed verification)
  → :class:`Upload` with ``overwrite=True``;
* remote differs and is not ours, or its content is unknown → :class:`Conflict`:
  never overwritten.

:class:`DeleteLocal` (cloud-only clean) is emitted for the ``deletable`` keys only when
the plan needs nothing else — every local file is verified in the bucket right now —
and every ``anchor`` (progress.json) is among them: progress.json is always in the
bucket before anything local is deleted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class LogState(StrEnum):
    """The state of one key in the sync log."""

    PENDING = "pending"  # about to be sent
    UPLOADED = "uploaded"  # sent; the stored copy is not verified yet
    VERIFIED = "verified"  # the stored copy's size and sha256 match
    CORRUPT = "corrupt"  # sent by us, but the stored copy failed verification
    CONFLICT = "conflict"  # a remote object we did not write is in the way


@dataclass(frozen=True, slots=True)
class LocalFile:
    """One file of a job to have in the bucket.

    Attributes:
        key: the storage key (the same locally and remotely).
        size: bytes.
        sha256: hex digest of the content.
        path: the local file (``None`` when ``data`` holds the content).
        data: the content of a small generated object (progress.json, index entry).
        wave: upload order: a wave starts once every earlier wave is verified.
    """

    key: str
    size: int
    sha256: str
    path: Path | None = None
    data: bytes | None = None
    wave: int = 0


@dataclass(frozen=True, slots=True)
class RemoteObject:
    """One object of the remote listing (``sha256`` is ``None`` when unknown)."""

    key: str
    size: int
    sha256: str | None


@dataclass(frozen=True, slots=True)
class SnapshotEntry:
    """What the sync log remembers of one key.

    Attributes:
        key: the storage key.
        sha256: the content last attempted (or verified).
        size: its size.
        state: a :class:`LogState`.
        remote_sha256: the content this job last *verified* in the bucket.
        local_deleted: the local copy was removed (cloud-only).
    """

    key: str
    sha256: str
    size: int
    state: LogState
    remote_sha256: str | None = None
    local_deleted: bool = False


@dataclass(frozen=True, slots=True)
class Upload:
    """Send ``file``; ``overwrite``: a copy this job wrote is replaced."""

    file: LocalFile
    overwrite: bool = False

    @property
    def key(self) -> str:
        """The key to write."""
        return self.file.key


@dataclass(frozen=True, slots=True)
class SkipVerified:
    """The bucket already holds exactly this content: nothing to send."""

    key: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """A remote object this job did not write has other content: left alone, reported."""

    key: str
    local_sha256: str
    remote_sha256: str | None
    remote_size: int


@dataclass(frozen=True, slots=True)
class DeleteLocal:
    """Remove the local copy: its remote copy is verified (cloud-only mode)."""

    key: str
    sha256: str


Action = Upload | SkipVerified | Conflict | DeleteLocal


def trusted(entry: SnapshotEntry | None, local: LocalFile, remote: RemoteObject | None) -> bool:
    """Whether the snapshot vouches for ``remote`` holding ``local``'s content.

    True when this job verified ``local.sha256`` at that key and the listed object
    still has that size (and no other sha256).
    """
    return (
        entry is not None
        and entry.state is LogState.VERIFIED
        and entry.remote_sha256 == local.sha256
        and remote is not None
        and remote.size == local.size
        and remote.sha256 in (None, local.sha256)
    )


def _ours(entry: SnapshotEntry | None, remote: RemoteObject) -> bool:
    """Whether this job wrote the remote object's current content."""
    if entry is None:
        return False
    if entry.state is LogState.CORRUPT:
        return True
    return remote.sha256 is not None and remote.sha256 in (entry.sha256, entry.remote_sha256)


def _decide(
    local: LocalFile, remote: RemoteObject | None, entry: SnapshotEntry | None
) -> Upload | SkipVerified | Conflict:
    if remote is None:
        return Upload(local)
    if entry is not None and entry.state is LogState.CORRUPT:
        return Upload(local, overwrite=True)  # our own damaged copy: send it again
    same = remote.sha256 == local.sha256 and remote.size == local.size
    if same or trusted(entry, local, remote):
        return SkipVerified(local.key, local.sha256, local.size)
    if _ours(entry, remote):
        return Upload(local, overwrite=True)
    return Conflict(local.key, local.sha256, remote.sha256, remote.size)


def plan(
    local: Iterable[LocalFile],
    remote: Mapping[str, RemoteObject],
    snapshot: Mapping[str, SnapshotEntry],
    *,
    deletable: Collection[str] = (),
    anchors: Collection[str] = (),
) -> list[Action]:
    """The actions that bring the bucket up to date with ``local`` (module docstring).

    Args:
        local: the job's local files (keys unique).
        remote: the remote listing by key (sha256 filled in where it matters).
        snapshot: the sync log's entries of this job and remote, by key.
        deletable: keys whose local copy may go once verified (cloud-only).
        anchors: keys that must be verified before any local copy is deleted.

    Returns:
        Conflicts, then skips, then uploads (by wave, then key), then deletions.

    Raises:
        ValueError: a key is listed twice in ``local``.
    """
    files = sorted(local, key=lambda f: (f.wave, f.key))
    if len({f.key for f in files}) != len(files):
        raise ValueError("the local listing has a key twice")
    decided = [_decide(f, remote.get(f.key), snapshot.get(f.key)) for f in files]
    conflicts = [a for a in decided if isinstance(a, Conflict)]
    skips = [a for a in decided if isinstance(a, SkipVerified)]
    uploads = [a for a in decided if isinstance(a, Upload)]
    actions: list[Action] = [*conflicts, *skips, *uploads]
    verified = {a.key: a for a in skips}
    complete = not conflicts and not uploads
    if complete and deletable and all(key in verified for key in anchors):
        actions += [
            DeleteLocal(key, verified[key].sha256) for key in sorted(deletable) if key in verified
        ]
    return actions


def uploads(actions: Iterable[Action]) -> list[Upload]:
    """The :class:`Upload` actions of a plan."""
    return [a for a in actions if isinstance(a, Upload)]


def conflicts(actions: Iterable[Action]) -> list[Conflict]:
    """The :class:`Conflict` actions of a plan."""
    return [a for a in actions if isinstance(a, Conflict)]


__all__ = [
    "Action",
    "Conflict",
    "DeleteLocal",
    "LocalFile",
    "LogState",
    "RemoteObject",
    "SkipVerified",
    "SnapshotEntry",
    "Upload",
    "conflicts",
    "plan",
    "trusted",
    "uploads",
]
