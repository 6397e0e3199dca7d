"""The team bucket of the window tests: a remote profile on SeaweedFS, its secret in a
real Secret Service, and the window's config.json pointing at it (a module of its own,
like ``_gui_helpers``)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataflow_desktop.storage.factory import RemoteProfile
from dataflow_desktop.storage.s3 import S3Storage
from dataflow_desktop.sync.credentials import SecretKind, set_secret
from dataflow_desktop.sync.profiles import save_profile

if TYPE_CHECKING:
    from fixtures.servers import SeaweedFS

BUCKET = "dataflow-gui"
REMOTE = "team"
SAMPLE = Path(__file__).resolve().parents[2] / "dataflow_desktop/resources/samples"


@dataclass
class TeamBucket:
    """The remote the window syncs to, and a direct handle on the same objects.

    Attributes:
        profile: the saved profile (its secret is in the keyring only).
        storage: the profile's bucket and prefix, opened with the same keys.
    """

    profile: RemoteProfile
    storage: S3Storage


def configure_team(seaweedfs: SeaweedFS, config_dir: Path, **settings: Any) -> TeamBucket:
    """Save a ``team`` profile (own key prefix) and turn sync on in config.json."""
    seaweedfs.create_bucket(BUCKET)
    keys = seaweedfs.admin
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    profile = RemoteProfile(
        name=REMOTE, kind="s3", endpoint=seaweedfs.endpoint, bucket=BUCKET,
        access_key_id=keys.access_key_id, region=seaweedfs.region, prefix=prefix,
    )  # fmt: skip
    save_profile(profile)
    set_secret(REMOTE, SecretKind.S3, keys.secret_access_key)
    path = config_dir / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config.update(sync_remote=REMOTE, **settings)
    path.write_text(json.dumps(config), encoding="utf-8")
    storage = S3Storage(
        seaweedfs.endpoint, BUCKET, prefix=prefix, access_key_id=keys.access_key_id,
        secret_access_key=keys.secret_access_key,
    )  # fmt: skip
    return TeamBucket(profile, storage)
