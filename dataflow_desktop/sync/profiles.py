"""Remote profiles on disk, and :class:`Remote`: a named bucket opened when first needed.

Profiles live in ``remotes.json`` beside ``config.json`` in the user config folder
(:func:`~dataflow_desktop.config.config_dir`); they hold no secret (``RemoteProfile``
refuses secret-like fields). The secret comes from the keyring through
:mod:`.credentials`, or from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` for
headless use. Each environment (``dev``, ``staging``, ``prod``) may map to a bucket or
prefix of its own (``RemoteProfile.environments``).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import config_dir
from ..storage.base import FileStorage
from ..storage.factory import RemoteProfile, open_remote
from ._errors import RemoteNotFoundError, SecretMissingError
from .credentials import CredentialsError, SecretKind, aws_env_credentials, get_secret

log = logging.getLogger(__name__)

REMOTES_FILE = "remotes.json"
INSTALLATION_FILE = "installation-id"
SCHEMA = 1


def remotes_path() -> Path:
    """The profiles file."""
    return config_dir() / REMOTES_FILE


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def load_profiles() -> dict[str, RemoteProfile]:
    """Every profile, by name (none when the file does not exist).

    Raises:
        ValueError: the file is unreadable or holds an invalid profile.
    """
    path = remotes_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path} is not readable: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a schema {SCHEMA} remotes file")
    profiles = [RemoteProfile.from_dict(item) for item in data.get("remotes", [])]
    return {profile.name: profile for profile in profiles}


def save_profiles(profiles: dict[str, RemoteProfile]) -> Path:
    """Write every profile (atomically)."""
    path = remotes_path()
    items = [profiles[name].to_dict() for name in sorted(profiles)]
    _write_json(path, {"schema": SCHEMA, "remotes": items})
    return path


def save_profile(profile: RemoteProfile) -> Path:
    """Add ``profile``, or replace the one of the same name."""
    profiles = load_profiles()
    profiles[profile.name] = profile
    return save_profiles(profiles)


def get_profile(name: str) -> RemoteProfile:
    """The profile called ``name``.

    Raises:
        RemoteNotFoundError: there is none.
    """
    profiles = load_profiles()
    try:
        return profiles[name]
    except KeyError:
        known = ", ".join(sorted(profiles)) or "none yet"
        raise RemoteNotFoundError(
            f"No remote is called '{name}' (known: {known}). Add it with 'dataflow remote add'."
        ) from None


def remove_profile(name: str) -> RemoteProfile:
    """Remove the profile ``name`` from the file and return it (the secret is not touched)."""
    profile = get_profile(name)
    profiles = load_profiles()
    del profiles[name]
    save_profiles(profiles)
    return profile


def pick_remote(name: str | None, default: str | None = None) -> RemoteProfile:
    """The profile to use: ``name``, else ``default`` (settings), else the only one.

    Raises:
        RemoteNotFoundError: none given and zero or several profiles exist.
    """
    chosen = name or default
    if chosen:
        return get_profile(chosen)
    profiles = load_profiles()
    if len(profiles) == 1:
        return next(iter(profiles.values()))
    hint = "Add one with 'dataflow remote add'." if not profiles else "Pass --remote NAME."
    raise RemoteNotFoundError(f"Which remote? {len(profiles)} are configured. {hint}")


def installation_id() -> str:
    """A random id of this installation (created once; names probe objects)."""
    path = config_dir() / INSTALLATION_FILE
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        value = ""
    if len(value) == 16 and all(c in "0123456789abcdef" for c in value):
        return value
    value = secrets.token_hex(8)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value + "\n", encoding="utf-8")
    return value


def secret_kind(profile: RemoteProfile) -> SecretKind:
    """The keyring kind of the profile's secret."""
    return SecretKind.S3 if profile.kind == "s3" else SecretKind.SUPABASE


def credentials(profile: RemoteProfile) -> tuple[RemoteProfile, str]:
    """The profile (access key ID filled in from the environment if empty) and its secret.

    Raises:
        SecretMissingError: no secret in the keyring nor the environment.
        InsecureKeyringError: no secure keyring, and nothing in the environment.
    """
    env = aws_env_credentials() if profile.kind == "s3" else None
    if env is not None and not profile.access_key_id:
        profile = replace(profile, access_key_id=env.access_key_id)
    if env is not None and env.region and not profile.region:
        profile = replace(profile, region=env.region)
    secret = get_secret(profile.name, secret_kind(profile))
    if not secret:
        raise SecretMissingError(
            f"No secret is stored for remote '{profile.name}'. Add it again with 'dataflow "
            "remote add' (the secret is read from a hidden prompt or stdin), or set "
            "AWS_SECRET_ACCESS_KEY for headless use."
        )
    return profile, secret


def secret_source(profile: RemoteProfile) -> str:
    """Where the secret of ``profile`` would come from (reads the keyring).

    Returns:
        ``environment`` (AWS_SECRET_ACCESS_KEY, S3 only), ``keyring``, ``missing``, or
        ``unavailable`` when the keyring cannot be read.
    """
    if profile.kind == "s3" and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        return "environment"
    try:
        return "keyring" if get_secret(profile.name, secret_kind(profile)) else "missing"
    except CredentialsError:
        return "unavailable"


class Remote:
    """A named remote whose backend is opened on first use, one per environment.

    Args:
        name: the remote's name (profile name; also its name in the sync log).
        opener: builds the backend of an environment.
        description: shown to people (endpoint and bucket, never a secret).
    """

    def __init__(
        self, name: str, opener: Callable[[str], FileStorage], description: str = ""
    ) -> None:
        self.name = name
        self.description = description or name
        self._opener = opener
        self._open: dict[str, FileStorage] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Remote({self.name!r})"

    @classmethod
    def from_profile(cls, profile: RemoteProfile) -> Remote:
        """A remote over ``profile``; credentials are read when it is first opened."""

        def opener(env: str) -> FileStorage:
            resolved, secret = credentials(profile)
            return open_remote(resolved, secret, env=env)

        bucket, _prefix = profile.target()
        where = profile.endpoint or "AWS S3"
        return cls(profile.name, opener, f"'{profile.name}' ({where}, bucket '{bucket}')")

    @classmethod
    def fixed(cls, name: str, storage: FileStorage) -> Remote:
        """A remote that is always ``storage`` (tests, benchmarks)."""
        return cls(name, lambda _env: storage, f"'{name}'")

    def storage(self, env: str) -> FileStorage:
        """The backend of ``env`` (opened once, then reused)."""
        with self._lock:
            if env not in self._open:
                self._open[env] = self._opener(env)
            return self._open[env]

    def close(self) -> None:
        """Close the backends opened so far (those that can be closed)."""
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for storage in opened:
            close = getattr(storage, "close", None)
            if callable(close):
                close()


__all__ = [
    "INSTALLATION_FILE",
    "REMOTES_FILE",
    "Remote",
    "credentials",
    "get_profile",
    "installation_id",
    "load_profiles",
    "pick_remote",
    "remotes_path",
    "remove_profile",
    "save_profile",
    "save_profiles",
    "secret_kind",
    "secret_source",
]
