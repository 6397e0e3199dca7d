"""Secrets in the operating system's keyring: the only module that imports ``keyring``.

Secrets (S3 secret keys, Supabase API keys, an LLM API key) are stored under the
service name ``DataFlowDesktop`` with the user name ``<profile>:<kind>``: Windows
Credential Manager, the macOS Keychain or a Secret Service (GNOME Keyring, KWallet,
KeePassXC) on Linux.

A secret is never written where it is not protected: when the active backend is
keyring's ``fail`` backend (no keyring at all), a plaintext one (keyrings.alt
``PlaintextKeyring``), or any low-priority backend that does not encrypt, storing is
refused with :class:`InsecureKeyringError`, which says how to fix it.

For headless use (CI, servers, the CLI) the standard AWS variables are honoured as a
read-only source: ``AWS_SECRET_ACCESS_KEY`` answers :func:`get_secret` for the ``s3``
kind, and :func:`aws_env_credentials` gives the key pair and region. Secrets never
appear in reprs, log lines or exception text.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from ..errors import DataflowError, ErrorCode

logger = logging.getLogger(__name__)

SERVICE_NAME = "DataFlowDesktop"
_PROFILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")


class SecretKind(StrEnum):
    """What a stored secret is for."""

    S3 = "s3"  # an S3 secret access key
    SUPABASE = "supabase"  # a Supabase API key
    LLM = "llm"  # an LLM provider's API key
    PDF = "pdf"  # a PDF's open password, remembered on the user's request


class CredentialsError(DataflowError):
    """The keyring could not store, read or delete a secret."""

    code = ErrorCode.KEYRING_UNAVAILABLE


class InsecureKeyringError(CredentialsError):
    """No keyring that protects secrets is available: storing is refused."""


@dataclass(frozen=True, slots=True)
class AwsEnvCredentials:
    """S3 credentials from the standard AWS environment variables.

    Attributes:
        access_key_id: ``AWS_ACCESS_KEY_ID``.
        secret_access_key: ``AWS_SECRET_ACCESS_KEY`` (hidden from ``repr``).
        region: ``AWS_REGION`` or ``AWS_DEFAULT_REGION`` (``None`` if neither is set).
    """

    access_key_id: str
    secret_access_key: str = field(repr=False)
    region: str | None = None


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    """Which keyring backend is active and whether secrets may be stored in it.

    Attributes:
        backend: the backend's module and class name.
        secure: whether :func:`set_secret` will use it.
        reason: why it is refused (empty when secure).
    """

    backend: str
    secure: bool
    reason: str = ""


def _fix_hint() -> str:
    """How to get a secure keyring on this platform."""
    if sys.platform == "win32":
        platform_hint = (
            "Windows Credential Manager should be used automatically; check that the "
            "'Credential Manager' service is running."
        )
    elif sys.platform == "darwin":
        platform_hint = (
            "The macOS Keychain should be used automatically; unlock the login keychain."
        )
    else:
        platform_hint = (
            "On Linux, install and unlock a Secret Service keyring (GNOME Keyring: "
            "'apt install gnome-keyring', or KWallet or KeePassXC) in your desktop session."
        )
    return (
        f"{platform_hint} For headless use, set AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY in the environment instead."
    )


def _name(backend: KeyringBackend | None) -> str:
    if backend is None:
        return "none"
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except (RuntimeError, ImportError, AttributeError):  # a backend unsure of itself
        return 0.0


def _refusal(backend: KeyringBackend | None) -> str:
    """Why ``backend`` may not hold our secrets (empty when it may)."""
    if backend is None or isinstance(backend, (fail.Keyring, null.Keyring)):
        return "no keyring is available"
    name = type(backend).__name__
    if "plaintext" in name.lower():
        return f"the keyring backend {_name(backend)} stores secrets as plain text"
    if _priority(backend) < 1 and "encrypt" not in name.lower():
        return (
            f"the keyring backend {_name(backend)} is a low-priority fallback that does not "
            "encrypt secrets"
        )
    return ""


def _writer() -> KeyringBackend | None:
    """The backend secrets go to (for a chain: its first, highest-priority one).

    A chain writes to its first backend and reads from all of them; we use that first
    one directly for reads too, so a secret is never read from a weaker store.
    """
    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        return chained[0] if chained else None
    return backend


def keyring_status() -> KeyringStatus:
    """The active backend and whether :func:`set_secret` accepts it (for diagnostics)."""
    backend = _writer()
    reason = _refusal(backend)
    return KeyringStatus(backend=_name(backend), secure=not reason, reason=reason)


def _secure_backend(profile_name: str) -> KeyringBackend:
    backend = _writer()
    reason = _refusal(backend)
    if backend is None or reason:
        raise InsecureKeyringError(
            f"The secret of profile '{profile_name}' cannot be kept safely: {reason}. "
            f"{_fix_hint()}",
            detail=_name(backend),
        )
    return backend


def _username(profile_name: str, kind: SecretKind | str) -> str:
    if not _PROFILE.match(profile_name):
        raise ValueError(f"invalid profile name {profile_name!r}")
    return f"{profile_name}:{SecretKind(kind).value}"


def _keyring_failure(action: str, profile_name: str, exc: Exception) -> CredentialsError:
    """A user-facing error for a keyring exception (its text never holds the secret)."""
    if isinstance(exc, keyring.errors.KeyringLocked):
        message = (
            f"The system keyring is locked, so the secret of profile '{profile_name}' could "
            f"not be {action}. Unlock it (log in to the desktop session) and retry."
        )
    else:
        message = (
            f"The system keyring failed, so the secret of profile '{profile_name}' could not "
            f"be {action}. {_fix_hint()}"
        )
    return CredentialsError(message, detail=type(exc).__name__)


def set_secret(profile_name: str, kind: SecretKind | str, secret: str) -> None:
    """Store ``secret`` for ``profile_name`` in the system keyring.

    Raises:
        InsecureKeyringError: no keyring that protects secrets is active.
        CredentialsError: the keyring refused (locked, unavailable).
        ValueError: an invalid profile name or kind, or an empty secret.
    """
    username = _username(profile_name, kind)
    if not secret:
        raise ValueError("an empty secret cannot be stored")
    backend = _secure_backend(profile_name)
    try:
        backend.set_password(SERVICE_NAME, username, secret)
    except keyring.errors.KeyringError as exc:
        raise _keyring_failure("stored", profile_name, exc) from exc
    logger.info("stored the %s secret of profile %r in %s", kind, profile_name, _name(backend))


def _env_secret(kind: SecretKind) -> str | None:
    if kind is SecretKind.S3:
        return os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    return None


def get_secret(profile_name: str, kind: SecretKind | str) -> str | None:
    """The secret of ``profile_name``, or ``None`` if none is stored.

    For the ``s3`` kind, ``AWS_SECRET_ACCESS_KEY`` wins over the keyring (headless
    use; environment variables override settings throughout the app).

    Raises:
        InsecureKeyringError: nothing in the environment, and no secure keyring.
        CredentialsError: the keyring failed (e.g. it is locked).
    """
    username = _username(profile_name, kind)
    from_env = _env_secret(SecretKind(kind))
    if from_env:
        logger.debug("using the %s secret of profile %r from the environment", kind, profile_name)
        return from_env
    backend = _secure_backend(profile_name)
    try:
        return backend.get_password(SERVICE_NAME, username)
    except keyring.errors.KeyringError as exc:
        raise _keyring_failure("read", profile_name, exc) from exc


def delete_secret(profile_name: str, kind: SecretKind | str) -> None:
    """Remove the secret of ``profile_name``; removing an absent secret is fine.

    Environment variables are a read-only source and are left alone. With no keyring
    at all there is nothing to remove.

    Raises:
        CredentialsError: the keyring failed (e.g. it is locked).
    """
    username = _username(profile_name, kind)
    backend = _writer()
    if backend is None or isinstance(backend, (fail.Keyring, null.Keyring)):
        return
    try:
        backend.delete_password(SERVICE_NAME, username)
    except keyring.errors.PasswordDeleteError:
        return  # nothing stored
    except keyring.errors.KeyringError as exc:
        raise _keyring_failure("deleted", profile_name, exc) from exc
    logger.info("deleted the %s secret of profile %r", kind, profile_name)


def aws_env_credentials() -> AwsEnvCredentials | None:
    """S3 credentials from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, if both are set."""
    key_id = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key_id or not secret:
        return None
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    return AwsEnvCredentials(access_key_id=key_id, secret_access_key=secret, region=region)


__all__ = [
    "SERVICE_NAME",
    "AwsEnvCredentials",
    "CredentialsError",
    "InsecureKeyringError",
    "KeyringStatus",
    "SecretKind",
    "aws_env_credentials",
    "delete_secret",
    "get_secret",
    "keyring_status",
    "set_secret",
]
