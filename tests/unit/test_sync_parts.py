"""Sync's smaller parts: profiles on disk, the SQLite log, job sync states, the live mirror,
progress.json previews, and the planner-facing helpers of ``jobs/``.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import jsonschema
import pytest

from dataflow_desktop.jobs import JobStore, ProgressWriter, SyncStatus, progress_schema
from dataflow_desktop.jobs._sync_files import amend_upload, heavy
from dataflow_desktop.jobs._synclog import SqliteSyncLog, SyncStates
from dataflow_desktop.pipeline.options import PipelineOptions
from dataflow_desktop.storage import MemoryStorage
from dataflow_desktop.storage.factory import EnvTarget, RemoteProfile
from dataflow_desktop.sync import RemoteNotFoundError, SecretMissingError
from dataflow_desktop.sync.log import LogUpdate, MemorySyncLog
from dataflow_desktop.sync.mirror import ProgressMirror
from dataflow_desktop.sync.planner import LogState
from dataflow_desktop.sync.profiles import (
    Remote,
    credentials,
    get_profile,
    installation_id,
    load_profiles,
    pick_remote,
    remotes_path,
    remove_profile,
    save_profile,
)

JOB = "20261128-100000-0123abcd"


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATAFLOW_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "config"


def profile(name: str = "team", **kwargs: object) -> RemoteProfile:
    values: dict[str, object] = {"name": name, "kind": "s3", "endpoint": "https://s3.example",
                                 "bucket": "team-dev", "access_key_id": "AKID"}  # fmt: skip
    values.update(kwargs)
    return RemoteProfile(**values)  # type: ignore[arg-type]


def test_profiles_live_beside_config_json_without_secrets(config_dir: Path) -> None:
    save_profile(profile(environments={"prod": EnvTarget(bucket="team-prod")}))
    save_profile(profile("other", bucket="b2"))
    assert remotes_path() == config_dir / "remotes.json"
    text = remotes_path().read_text()
    assert "secret" not in text
    loaded = load_profiles()
    assert sorted(loaded) == ["other", "team"]
    assert loaded["team"].target("prod") == ("team-prod", "")
    assert remove_profile("other").bucket == "b2"
    assert list(load_profiles()) == ["team"]
    with pytest.raises(RemoteNotFoundError, match="known: team"):
        get_profile("other")


def test_the_remote_to_use_is_explicit_or_the_setting_or_the_only_one() -> None:
    with pytest.raises(RemoteNotFoundError, match="Add one"):
        pick_remote(None)
    save_profile(profile())
    assert pick_remote(None).name == "team"
    save_profile(profile("b"))
    with pytest.raises(RemoteNotFoundError, match="2 are configured"):
        pick_remote(None)
    assert pick_remote(None, "b").name == "b"
    assert pick_remote("team", "b").name == "team"


def test_installation_id_is_created_once() -> None:
    first = installation_id()
    assert len(first) == 16
    assert installation_id() == first


def test_aws_variables_give_headless_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENVKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    resolved, secret = credentials(profile(access_key_id=""))
    assert (resolved.access_key_id, resolved.region, secret) == (
        "ENVKEY",
        "eu-west-3",
        "env-secret-value",
    )


def test_a_missing_secret_says_how_to_add_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataflow_desktop.sync import profiles

    monkeypatch.setattr(profiles, "get_secret", lambda *_: None)
    with pytest.raises(SecretMissingError, match="dataflow remote add"):
        credentials(profile())


def test_remote_opens_each_environment_once() -> None:
    opened: list[str] = []

    def opener(env: str) -> MemoryStorage:
        opened.append(env)
        return MemoryStorage()

    remote = Remote("team", opener)
    assert remote.storage("dev") is remote.storage("dev")
    remote.storage("prod")
    assert opened == ["dev", "prod"]
    remote.close()


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    store = JobStore(tmp_path / "db.sqlite3")
    store.create_job(job_id=JOB, source_name="a.pdf", source_path=None, sha256="0" * 64,
                     size=1, options=PipelineOptions(), env="dev")  # fmt: skip
    return store


def test_sqlite_log_upserts_like_the_memory_log(store: JobStore) -> None:
    logs = [SqliteSyncLog(store), MemorySyncLog()]
    updates = [
        [LogUpdate("k", "a" * 64, 3, LogState.PENDING)],
        [LogUpdate("k", "a" * 64, 3, LogState.VERIFIED, "a" * 64)],
        [LogUpdate("k", "b" * 64, 4, LogState.PENDING)],  # keeps remote_sha256
        [LogUpdate("k", "b" * 64, 4, LogState.VERIFIED, "b" * 64, True)],
        [LogUpdate("k", "b" * 64, 4, LogState.VERIFIED)],  # keeps local_deleted
    ]
    for batch in updates:
        for log in logs:
            log.record(JOB, "team", batch)
        sqlite, memory = (log.snapshot(JOB, "team") for log in logs)
        assert sqlite == memory
    entry = logs[0].snapshot(JOB, "team")["k"]
    assert (entry.remote_sha256, entry.local_deleted) == ("b" * 64, True)
    assert logs[0].snapshot(JOB, "other") == {}


def test_job_sync_states(store: JobStore) -> None:
    states = SyncStates(store)
    assert states.get(JOB).status is SyncStatus.LOCAL
    states.set(JOB, "team", SyncStatus.UPLOADING, attempts=1)
    states.progress(JOB, "team", 25, 100)
    state = states.get(JOB)
    assert (state.status, state.percent, state.remote) == (SyncStatus.UPLOADING, 25.0, "team")
    states.set(JOB, "team", SyncStatus.CONFLICT, conflicts=["dev/x"], message="m")
    assert states.get(JOB, "team").conflicts == ("dev/x",)
    assert [s.job_id for s in states.unfinished("team")] == [JOB]
    states.set(JOB, "team", SyncStatus.SYNCED)
    assert states.unfinished() == []
    assert states.get(JOB).percent == 100.0
    store.delete_job(JOB)  # rows go with their job
    assert states.all() == {}


def test_the_final_preview_is_a_valid_success_document() -> None:
    storage = MemoryStorage()
    writer = ProgressWriter(storage, f"dev/jobs/{JOB}/progress.json", job_id=JOB,
                            source={"name": "a.pdf", "sha256": "0" * 64, "bytes": 1})  # fmt: skip
    writer.start_step("init")
    writer.end_step("init")
    writer.start_step("upload")
    writer.update("upload", 10, total=40)
    preview = writer.preview_final()
    jsonschema.validate(preview, progress_schema())
    assert [s["name"] for s in preview["steps"]] == ["init", "upload", "clean"]
    assert preview["steps"][1]["done"] == 40
    assert writer.snapshot()["status"] == "running"  # the writer itself is unchanged
    writer.end_step("upload", status="skipped", reason="Waiting for the network")
    doc = writer.snapshot()
    assert doc["steps"][1]["status"] == "skipped"
    amended = amend_upload(doc, 40)
    assert amended["steps"][1]["status"] == "done"
    assert "reason" not in amended["steps"][1]


def test_cloud_only_removes_only_the_heavy_copies() -> None:
    assert all(heavy(n) for n in ("pages/0001.png", "thumbs/0001.png", "images/p1-1.png",
                                  "bundle.zip", "source.pdf"))  # fmt: skip
    assert not any(heavy(n) for n in ("result.json", "document.md", "report.html",
                                      "tables/p0001-t1.csv", "progress.json"))  # fmt: skip


def _wait(predicate: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


def test_the_mirror_pushes_the_latest_document_and_stops_for_the_job() -> None:
    remote_storage, log = MemoryStorage(), MemorySyncLog()
    remote = Remote.fixed("team", remote_storage)
    mirror = ProgressMirror(log, interval=0.05)
    key = f"dev/jobs/{JOB}/progress.json"
    try:
        for n in range(20):
            mirror.offer(remote, "dev", JOB, key, json.dumps({"n": n}).encode())
        _wait(lambda: key in {i.key for i in remote_storage.list("dev/")}
              and json.loads(remote_storage.open_read(key).read())["n"] == 19)  # fmt: skip
        entry = log.snapshot(JOB, "team")[key]
        assert entry.state is LogState.VERIFIED
        mirror.offer(remote, "dev", JOB, key, b'{"n": "late"}')
        mirror.close_job(JOB)  # drops what was not sent yet
        time.sleep(0.2)
        assert json.loads(remote_storage.open_read(key).read())["n"] in (19, "late")
    finally:
        mirror.close()


def test_the_mirror_never_replaces_a_progress_json_it_did_not_write() -> None:
    remote_storage, log = MemoryStorage(), MemorySyncLog()
    key = f"dev/jobs/{JOB}/progress.json"
    remote_storage.put(key, b"someone else's")
    mirror = ProgressMirror(log, interval=0.01)
    try:
        mirror.offer(Remote.fixed("team", remote_storage), "dev", JOB, key, b"ours")
        time.sleep(0.3)
    finally:
        mirror.close()
    assert remote_storage.open_read(key).read() == b"someone else's"
    assert hashlib.sha256(b"ours").hexdigest() not in str(log.snapshot(JOB, "team"))
