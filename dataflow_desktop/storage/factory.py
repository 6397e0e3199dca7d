"""Remote storage chosen by configuration: :class:`RemoteProfile` and :func:`open_remote`.

Callers never branch on the kind of store: :func:`open_remote` looks the profile's
``kind`` up in a registry of openers (``"s3"`` → :class:`~.s3.S3Storage`,
``"supabase"`` → :class:`~.supabase.SupabaseStorage`). The openers import their
backend lazily, so importing this module costs neither boto3 nor supabase.

A profile holds no secret: the caller fetches it (``sync/credentials.py``) and passes
it to :func:`open_remote`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .base import FileStorage
from .keys import ENVIRONMENTS

MiB = 1024 * 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")
# Field names that would put a secret in a config file; from_dict refuses them.
_SECRET_FIELDS = frozenset(
    {"secret", "secret_key", "secret_access_key", "key", "api_key", "password", "token"}
)


@dataclass(frozen=True, slots=True)
class EnvTarget:
    """Where one environment's objects go.

    Attributes:
        bucket: a bucket of its own (``None``: the profile's bucket).
        prefix: a key prefix inside the bucket (``None``: the profile's prefix).
    """

    bucket: str | None = None
    prefix: str | None = None


@dataclass(frozen=True, slots=True)
class RemoteProfile:
    """A named remote store (no secret in it).

    Objects keep their keys (``<env>/jobs/<job_id>/...``); ``environments`` can send
    ``dev``, ``staging`` and ``prod`` to buckets or prefixes of their own.

    Attributes:
        name: the profile's name (also the keyring entry's name).
        kind: ``"s3"`` or ``"supabase"`` (a key of the opener registry).
        endpoint: the S3 endpoint URL (empty for AWS S3) or the Supabase project URL.
        bucket: the default bucket.
        access_key_id: the S3 access key ID (not secret; unused for Supabase).
        region: the S3 signing region (Supabase's S3 endpoint needs the project's).
        prefix: the default key prefix inside the bucket.
        environments: per-environment bucket/prefix overrides.
        verify_tls: verify TLS certificates (on by default).
        supabase_compat: the S3 endpoint is Supabase's (apply its quirks).
        multipart_threshold: S3 uploads of at least this size go in parts.
        max_concurrency: S3 parts sent in parallel.
    """

    name: str
    kind: str
    endpoint: str
    bucket: str
    access_key_id: str = ""
    region: str | None = None
    prefix: str = ""
    environments: Mapping[str, EnvTarget] = field(default_factory=dict)
    verify_tls: bool = True
    supabase_compat: bool = False
    multipart_threshold: int = 8 * MiB
    max_concurrency: int = 4

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(
                f"invalid profile name {self.name!r}: use letters, digits, space, '.', '_' "
                "or '-' (at most 64)"
            )
        if self.kind not in _OPENERS:
            raise ValueError(
                f"unknown storage kind {self.kind!r}; expected one of {sorted(_OPENERS)}"
            )
        if self.endpoint and not re.match(r"^https?://[^/\s]+", self.endpoint):
            raise ValueError(f"the endpoint must be an http(s) URL, not {self.endpoint!r}")
        if self.kind == "supabase" and not self.endpoint:
            raise ValueError("a Supabase profile needs the project URL")
        if not self.bucket:
            raise ValueError("a bucket name is required")
        unknown = set(self.environments) - set(ENVIRONMENTS)
        if unknown:
            raise ValueError(f"unknown environments {sorted(unknown)}; expected {ENVIRONMENTS}")
        # Frozen, and nobody may change the mapping behind the profile's back either.
        object.__setattr__(self, "environments", MappingProxyType(dict(self.environments)))

    @property
    def url(self) -> str:
        """The Supabase project URL (an alias of ``endpoint``)."""
        return self.endpoint

    def target(self, env: str | None = None) -> tuple[str, str]:
        """The ``(bucket, prefix)`` objects of ``env`` go to."""
        override = self.environments.get(env) if env else None
        if override is None:
            return self.bucket, self.prefix
        bucket = override.bucket if override.bucket is not None else self.bucket
        prefix = override.prefix if override.prefix is not None else self.prefix
        return bucket, prefix

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data for the config file (never a secret: there is none)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "endpoint": self.endpoint,
            "bucket": self.bucket,
            "access_key_id": self.access_key_id,
            "region": self.region,
            "prefix": self.prefix,
            "environments": {
                env: {"bucket": t.bucket, "prefix": t.prefix}
                for env, t in self.environments.items()
            },
            "verify_tls": self.verify_tls,
            "supabase_compat": self.supabase_compat,
            "multipart_threshold": self.multipart_threshold,
            "max_concurrency": self.max_concurrency,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RemoteProfile:
        """The inverse of :meth:`to_dict`; refuses fields that would hold a secret.

        Raises:
            ValueError: on a secret-like or unknown field, or invalid values.
        """
        leaked = _SECRET_FIELDS & set(data)
        if leaked:
            raise ValueError(
                f"profile settings must not contain secrets ({', '.join(sorted(leaked))}); "
                "secrets are kept in the system keyring"
            )
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown profile settings {sorted(unknown)}")
        values = dict(data)
        envs = values.pop("environments", None) or {}
        values["environments"] = {
            env: EnvTarget(bucket=t.get("bucket"), prefix=t.get("prefix"))
            for env, t in dict(envs).items()
        }
        return cls(**values)


Opener = Callable[[RemoteProfile, str, str, str], FileStorage]
"""Builds a backend from ``(profile, secret, bucket, prefix)``."""


def _open_s3(profile: RemoteProfile, secret: str, bucket: str, prefix: str) -> FileStorage:
    from .s3 import S3Storage

    return S3Storage(
        profile.endpoint or None,
        bucket,
        prefix=prefix,
        region=profile.region,
        access_key_id=profile.access_key_id,
        secret_access_key=secret,
        verify_tls=profile.verify_tls,
        multipart_threshold=profile.multipart_threshold,
        max_concurrency=profile.max_concurrency,
        supabase_compat=profile.supabase_compat,
    )


def _open_supabase(profile: RemoteProfile, secret: str, bucket: str, prefix: str) -> FileStorage:
    from .supabase import SupabaseStorage

    return SupabaseStorage(
        profile.endpoint, secret, bucket, prefix=prefix, verify_tls=profile.verify_tls
    )


_OPENERS: dict[str, Opener] = {"s3": _open_s3, "supabase": _open_supabase}


def register_backend(kind: str, opener: Opener) -> None:
    """Add (or replace) the opener of a storage kind, e.g. a fake in tests."""
    _OPENERS[kind] = opener


def backend_kinds() -> tuple[str, ...]:
    """The kinds :func:`open_remote` knows."""
    return tuple(sorted(_OPENERS))


def open_remote(profile: RemoteProfile, secret: str, *, env: str | None = None) -> FileStorage:
    """The remote backend ``profile`` describes, for environment ``env``.

    Args:
        profile: the profile (kind, endpoint, bucket...).
        secret: the S3 secret key or the Supabase API key, from the keyring.
        env: ``dev``, ``staging`` or ``prod``: picks the environment's bucket/prefix.

    Raises:
        ValueError: unknown kind or environment.
        StorageAuthError: the secret is missing.
    """
    if env is not None and env not in ENVIRONMENTS:
        raise ValueError(f"unknown environment {env!r}; expected one of {ENVIRONMENTS}")
    try:
        opener = _OPENERS[profile.kind]
    except KeyError:
        raise ValueError(f"unknown storage kind {profile.kind!r}") from None
    bucket, prefix = profile.target(env)
    return opener(profile, secret, bucket, prefix)


__all__ = [
    "EnvTarget",
    "Opener",
    "RemoteProfile",
    "backend_kinds",
    "open_remote",
    "register_backend",
]
