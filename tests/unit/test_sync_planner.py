"""The sync planner is pure: listings and a snapshot in, actions out (every rule)."""

from __future__ import annotations

import hashlib

import pytest

from dataflow_desktop.sync.planner import (
    Conflict,
    DeleteLocal,
    LocalFile,
    LogState,
    RemoteObject,
    SkipVerified,
    SnapshotEntry,
    Upload,
    conflicts,
    plan,
    uploads,
)

JOB = "dev/jobs/20261128-100000-0123abcd/"
PROGRESS = JOB + "progress.json"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def local(name: str, content: str = "", *, wave: int = 0) -> LocalFile:
    content = content or name
    return LocalFile(JOB + name, len(content), sha(content), data=content.encode(), wave=wave)


def remote(name: str, content: str = "", *, known: bool = True) -> RemoteObject:
    content = content or name
    return RemoteObject(JOB + name, len(content), sha(content) if known else None)


def entry(name: str, content: str, state: LogState, verified: str | None = None) -> SnapshotEntry:
    return SnapshotEntry(JOB + name, sha(content), len(content), state,
                         sha(verified) if verified else None)  # fmt: skip


def by_key(*objects: RemoteObject) -> dict[str, RemoteObject]:
    return {o.key: o for o in objects}


def snap(*entries: SnapshotEntry) -> dict[str, SnapshotEntry]:
    return {e.key: e for e in entries}


def test_a_new_job_uploads_everything_in_wave_then_key_order() -> None:
    files = [local("progress.json", wave=1), local("result.json"), local("pages/0001.png")]
    actions = plan(files, {}, {})
    assert actions == [Upload(files[2]), Upload(files[1]), Upload(files[0])]
    assert all(not a.overwrite for a in uploads(actions))


def test_identical_remote_content_is_skipped_without_any_snapshot() -> None:
    files = [local("result.json", "abc")]
    actions = plan(files, by_key(remote("result.json", "abc")), {})
    assert actions == [SkipVerified(JOB + "result.json", sha("abc"), 3)]


def test_a_listing_without_sha256_is_trusted_only_through_a_verified_snapshot() -> None:
    files = [local("a.png", "aaaa"), local("b.png", "bbbb")]
    listing = by_key(remote("a.png", "aaaa", known=False), remote("b.png", "bbbb", known=False))
    snapshot = snap(entry("a.png", "aaaa", LogState.VERIFIED, verified="aaaa"))
    actions = plan(files, listing, snapshot)
    # a.png: verified before, same size -> nothing sent again; b.png: unknown content.
    assert actions[0] == Conflict(JOB + "b.png", sha("bbbb"), None, 4)
    assert actions[1] == SkipVerified(JOB + "a.png", sha("aaaa"), 4)


def test_a_verified_snapshot_does_not_hide_a_size_change() -> None:
    files = [local("a.png", "aaaa")]
    listing = by_key(RemoteObject(JOB + "a.png", 99, None))
    snapshot = snap(entry("a.png", "aaaa", LogState.VERIFIED, verified="aaaa"))
    assert conflicts(plan(files, listing, snapshot)) == [
        Conflict(JOB + "a.png", sha("aaaa"), None, 99)
    ]


def test_a_remote_object_this_job_did_not_write_is_a_conflict_never_an_overwrite() -> None:
    files = [local("report.html", "ours")]
    actions = plan(files, by_key(remote("report.html", "theirs")), {})
    assert actions == [Conflict(JOB + "report.html", sha("ours"), sha("theirs"), 6)]
    assert uploads(actions) == []


@pytest.mark.parametrize(
    ("state", "attempted", "verified"),
    [
        (LogState.VERIFIED, "v1", "v1"),  # our previous version, verified
        (LogState.PENDING, "v1", None),  # we were sending v1 when the sync stopped
        (LogState.UPLOADED, "v1", None),  # sent, not verified yet
        (LogState.PENDING, "v2", "v1"),  # attempted v2, v1 is what we verified last
    ],
)
def test_content_this_job_wrote_is_overwritten(
    state: LogState, attempted: str, verified: str | None
) -> None:
    files = [local("progress.json", "v3")]
    snapshot = snap(entry("progress.json", attempted, state, verified=verified))
    actions = plan(files, by_key(remote("progress.json", "v1")), snapshot)
    assert actions == [Upload(files[0], overwrite=True)]


def test_our_copy_that_failed_verification_is_sent_again_whatever_it_claims() -> None:
    files = [local("bundle.zip", "good")]
    snapshot = snap(entry("bundle.zip", "good", LogState.CORRUPT))
    # The metadata says "good" but the stored bytes did not verify: send again.
    actions = plan(files, by_key(remote("bundle.zip", "good")), snapshot)
    assert actions == [Upload(files[0], overwrite=True)]


def test_a_recorded_conflict_stays_a_conflict() -> None:
    files = [local("result.json", "ours")]
    snapshot = snap(entry("result.json", "ours", LogState.CONFLICT))
    actions = plan(files, by_key(remote("result.json", "theirs")), snapshot)
    assert conflicts(actions)
    assert not uploads(actions)


def test_a_verified_object_deleted_remotely_is_uploaded_again() -> None:
    files = [local("a.png")]
    snapshot = snap(entry("a.png", "a.png", LogState.VERIFIED, verified="a.png"))
    assert plan(files, {}, snapshot) == [Upload(files[0])]


def test_local_copies_are_deleted_only_when_every_file_and_progress_are_verified() -> None:
    files = [local("pages/0001.png"), local("result.json"), local("progress.json", wave=1)]
    everything = by_key(remote("pages/0001.png"), remote("result.json"), remote("progress.json"))
    deletable = {JOB + "pages/0001.png"}
    anchors = {PROGRESS}
    actions = plan(files, everything, {}, deletable=deletable, anchors=anchors)
    assert actions[-1] == DeleteLocal(JOB + "pages/0001.png", sha("pages/0001.png"))
    # progress.json not in the bucket yet: nothing is deleted.
    partial = by_key(remote("pages/0001.png"), remote("result.json"))
    assert not any(
        isinstance(a, DeleteLocal)
        for a in plan(files, partial, {}, deletable=deletable, anchors=anchors)
    )
    # a conflict anywhere: nothing is deleted either.
    conflicted = {**everything, **by_key(remote("result.json", "theirs"))}
    assert not any(
        isinstance(a, DeleteLocal)
        for a in plan(files, conflicted, {}, deletable=deletable, anchors=anchors)
    )
    # an anchor that is not even a local file blocks deletion.
    missing_anchor = {JOB + "nothing.json"}
    assert not any(
        isinstance(a, DeleteLocal)
        for a in plan(files, everything, {}, deletable=deletable, anchors=missing_anchor)
    )


def test_plan_is_pure_and_deterministic() -> None:
    files = [local(f"pages/{n:04d}.png") for n in range(50)][::-1]
    listing = by_key(*(remote(f"pages/{n:04d}.png") for n in range(0, 50, 2)))
    first = plan(files, listing, {})
    assert plan(list(reversed(files)), dict(listing), {}) == first
    assert len(uploads(first)) == 25
    assert files[0].key == JOB + "pages/0049.png"  # inputs untouched


def test_a_key_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        plan([local("a"), local("a")], {}, {})
