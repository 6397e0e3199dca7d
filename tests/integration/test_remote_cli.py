"""``dataflow remote ...`` and ``dataflow sync`` as a user runs them (subprocesses).

Against SeaweedFS on 127.0.0.1, and a real Secret Service (gnome-keyring on a private
D-Bus) for the keyring tests. The last test runs a whole session with known secrets
and then searches every file the app wrote, every object it uploaded (bundle members
included) and everything it printed, for the secret.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fixtures.leaks import blob_parts, files_with

from dataflow_desktop.storage.s3 import S3Storage

if TYPE_CHECKING:
    from fixtures.servers import S3Keys, SeaweedFS, SecretServiceSession

pytest_plugins = ["fixtures.servers"]
pytestmark = pytest.mark.network

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "dataflow_desktop/resources/samples/facture-exemple.pdf"
BUCKET = "dataflow-cli"


@pytest.fixture(scope="module")
def bucket(seaweedfs: SeaweedFS) -> str:
    return seaweedfs.create_bucket(BUCKET)


class Cli:
    """Runs ``dataflow`` with its own data and config folders; keeps all it printed."""

    def __init__(self, root: Path, env: dict[str, str] | None = None) -> None:
        self.home = root / "home"
        self.config = root / "config"
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("DATAFLOW_", "AWS_", "PYTHON_KEYRING"))}  # fmt: skip
        base.update(DATAFLOW_HOME=str(self.home), DATAFLOW_CONFIG_DIR=str(self.config),
                    DATAFLOW_WORKERS="2", PYTHONPATH=str(REPO))  # fmt: skip
        self.env = {**base, **(env or {})}
        self.output: list[str] = []

    def __call__(
        self, *args: str | Path, stdin: str | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        run = subprocess.run(
            [sys.executable, "-m", "dataflow_desktop.cli", *map(str, args)],
            cwd=REPO, env=self.env, input=stdin if stdin is not None else "",
            capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
        self.output += [run.stdout, run.stderr]
        return run


def add_args(server: SeaweedFS, bucket: str, keys: S3Keys, prefix: str) -> list[str]:
    return ["remote", "add", "team", "--kind", "s3", "--endpoint", server.endpoint,
            "--bucket", bucket, "--prefix", prefix, "--access-key-id", keys.access_key_id,
            "--region", server.region]  # fmt: skip


@pytest.mark.parametrize("case", ["granted", "wrong_secret", "missing_bucket", "read_only"])
def test_remote_test_names_exactly_what_is_missing(
    case: str, seaweedfs: SeaweedFS, bucket: str, tmp_path: Path
) -> None:
    keys = seaweedfs.reader if case == "read_only" else seaweedfs.admin
    secret = "not-the-secret" if case == "wrong_secret" else keys.secret_access_key
    name = f"nobucket-{uuid.uuid4().hex[:8]}" if case == "missing_bucket" else bucket
    # Headless: the secret comes from the standard AWS variable, nothing is stored.
    cli = Cli(tmp_path, {"AWS_SECRET_ACCESS_KEY": secret})
    added = cli(*add_args(seaweedfs, name, keys, f"t-{uuid.uuid4().hex[:8]}"))
    assert added.returncode == 0, added.stderr
    assert "AWS_SECRET_ACCESS_KEY from the environment" in added.stdout
    run = cli("remote", "test", "team")
    lines = {line.split()[0]: line for line in run.stdout.splitlines()[1:] if line.strip()}
    if case == "granted":
        assert run.returncode == 0, run.stdout + run.stderr
        assert all(" ok " in lines[right] for right in ("connect", "list", "write", "read"))
        assert " ok " in lines["delete"]
        return
    assert run.returncode == 4, run.stdout + run.stderr
    if case == "wrong_secret":
        assert "MISSING" in lines["connect"]
        assert "The secret key is wrong for access key 'dataflow-admin'" in lines["connect"]
        assert "not checked" in lines["write"]
    elif case == "missing_bucket":
        assert f"Bucket '{name}' does not exist at {seaweedfs.endpoint}" in lines["connect"]
    else:
        assert " ok " in lines["connect"]
        assert " ok " in lines["list"]
        assert "Access key 'dataflow-reader' is not allowed to write" in lines["write"]
        assert "missing: write" in run.stderr
    assert secret not in run.stdout + run.stderr


def test_a_secret_is_never_a_command_line_argument(tmp_path: Path) -> None:
    run = Cli(tmp_path)("remote", "add", "team", "--bucket", "b", "--secret", "s3cr3t")
    assert run.returncode == 2
    assert "unrecognized arguments: --secret" in run.stderr


def test_remote_add_refuses_a_keyring_that_cannot_protect_the_secret(tmp_path: Path) -> None:
    cli = Cli(tmp_path, {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    run = cli("remote", "add", "team", "--endpoint", "http://127.0.0.1:9", "--bucket", "b",
              "--access-key-id", "AKID", stdin="s3cr3t-value\n")  # fmt: skip
    assert run.returncode == 4, run.stdout + run.stderr
    assert "cannot be kept safely: no keyring is available" in run.stderr
    assert "AWS_ACCESS_KEY_ID" in run.stderr  # how to fix it headless
    assert not (cli.config / "remotes.json").exists()
    assert "s3cr3t-value" not in run.stdout + run.stderr


def _objects_with(secret: bytes, storage: S3Storage) -> list[str]:
    found = []
    for info in storage.list(""):
        with storage.open_read(info.key) as handle:
            blob = handle.read()
        if any(secret in member for member in blob_parts(blob)):
            found.append(info.key)
    return found


def test_a_session_with_the_keyring_stores_uses_and_removes_the_secret_and_never_leaks_it(
    seaweedfs: SeaweedFS,
    bucket: str,
    secret_service: SecretServiceSession,
    tmp_path: Path,
) -> None:
    keys = seaweedfs.admin
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    cli = Cli(tmp_path)  # no AWS_* variable: the secret can only come from the keyring
    added = cli(*add_args(seaweedfs, bucket, keys, prefix), stdin=keys.secret_access_key + "\n")
    assert added.returncode == 0, added.stderr
    assert "secret in the system keyring (keyring.backends.SecretService.Keyring)" in added.stdout
    assert secret_service.lookup("DataFlowDesktop", "team:s3") == keys.secret_access_key
    remotes = json.loads((cli.config / "remotes.json").read_text())
    assert remotes["remotes"][0]["bucket"] == bucket

    listed = cli("remote", "ls")
    assert "secret: keyring" in listed.stdout
    assert cli("remote", "test", "team").returncode == 0

    processed = cli("process", SAMPLE, "--remote", "team", "--json", timeout=300)
    assert processed.returncode == 0, processed.stderr
    (result,) = [json.loads(line) for line in processed.stdout.splitlines()]
    job_id = result["job_id"]
    shown = cli("remote", "jobs", "team", "--json")
    (remote_job,) = [json.loads(line) for line in shown.stdout.splitlines()]
    assert (remote_job["job_id"], remote_job["status"], remote_job["local"]) == (
        job_id, "success", True
    )  # fmt: skip
    assert "Nothing to sync." in cli("sync").stdout
    assert cli("remote", "pull", job_id, "--to", tmp_path / "export").returncode == 0

    removed = cli("remote", "rm", "team")
    assert removed.returncode == 0, removed.stderr
    assert secret_service.lookup("DataFlowDesktop", "team:s3") is None

    secret = keys.secret_access_key.encode()
    assert files_with(secret, [cli.home, cli.config, tmp_path / "export"]) == []
    with S3Storage(seaweedfs.endpoint, bucket, prefix=prefix,
                   access_key_id=keys.access_key_id,
                   secret_access_key=keys.secret_access_key) as storage:  # fmt: skip
        assert len(list(storage.list(""))) > 5
        assert _objects_with(secret, storage) == []
    assert all(keys.secret_access_key not in text for text in cli.output)


def test_process_remote_reuses_what_a_teammate_already_processed_and_says_so(
    seaweedfs: SeaweedFS, bucket: str, tmp_path: Path
) -> None:
    keys = seaweedfs.admin
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    env = {"AWS_SECRET_ACCESS_KEY": keys.secret_access_key}
    alice, bob = Cli(tmp_path / "alice", env), Cli(tmp_path / "bob", env)
    for cli in (alice, bob):
        assert cli(*add_args(seaweedfs, bucket, keys, prefix)).returncode == 0
    first = alice("process", SAMPLE, "--remote", "team", "--json", timeout=300)
    assert first.returncode == 0, first.stderr
    job_id = json.loads(first.stdout)["job_id"]
    second = bob("process", SAMPLE, "--remote", "team", "--json", timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"reused job {job_id} from remote 'team'" in second.stderr
    result = json.loads(second.stdout)
    assert (result["job_id"], result["status"]) == (job_id, "success")
    assert Path(result["outputs"]["result"]).is_file()  # imported into Bob's app
    shown = json.loads(bob("show", job_id, "--json").stdout)
    assert shown["pages"] == 2
