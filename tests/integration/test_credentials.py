"""sync/credentials.py: a real Secret Service, refusals of unsafe keyrings, AWS variables."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from dataflow_desktop.errors import DataflowError
from dataflow_desktop.sync.credentials import (
    SERVICE_NAME,
    InsecureKeyringError,
    SecretKind,
    aws_env_credentials,
    delete_secret,
    get_secret,
    keyring_status,
    set_secret,
)

if TYPE_CHECKING:
    from fixtures.servers import SecretServiceSession

# The server fixtures, until tests/conftest.py lists this plugin itself.
pytest_plugins = ["fixtures.servers"]

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY-test-secret"
AWS_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION")


@pytest.fixture(autouse=True)
def no_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AWS_VARS:
        monkeypatch.delenv(name, raising=False)


class DictKeyring(KeyringBackend):
    """An in-memory backend whose class name and priority a test chooses.

    keyring registers every backend class and tries each one it can build without
    arguments; the required ``items`` keeps these out of its automatic selection.
    """

    priority = 0.5

    def __init__(self, items: dict[tuple[str, str], str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.items = items

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class PlaintextKeyring(DictKeyring):
    """Named like keyrings.alt's file backend, which stores base64 text."""


class LowPriorityFileKeyring(DictKeyring):
    """Any low-priority fallback that does not encrypt."""

    priority = 0.2


class EncryptedKeyring(DictKeyring):
    """A low-priority backend that does encrypt (keyrings.alt has one)."""


class TrustedKeyring(DictKeyring):
    """A proper OS-store-like backend."""

    priority = 5


Install = Callable[[KeyringBackend], KeyringBackend]


@pytest.fixture
def use_backend() -> Iterator[Install]:
    """Make a backend keyring's active one for the test, then restore the previous."""
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


@pytest.mark.network
def test_round_trip_through_the_secret_service(
    secret_service: SecretServiceSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert keyring_status().secure
    assert "SecretService" in keyring_status().backend
    set_secret("team-s3", SecretKind.S3, SECRET)
    assert get_secret("team-s3", "s3") == SECRET
    # Another program sees the same item: it really is in the Secret Service.
    assert secret_service.lookup(SERVICE_NAME, "team-s3:s3") == SECRET
    set_secret("team-s3", "s3", SECRET + "-rotated")
    assert secret_service.lookup(SERVICE_NAME, "team-s3:s3") == SECRET + "-rotated"
    delete_secret("team-s3", "s3")
    assert get_secret("team-s3", "s3") is None
    assert secret_service.lookup(SERVICE_NAME, "team-s3:s3") is None
    delete_secret("team-s3", "s3")  # absent: not an error
    assert SECRET not in caplog.text


@pytest.mark.network
def test_kinds_are_kept_apart(secret_service: SecretServiceSession) -> None:
    set_secret("team", "s3", "s3-secret")
    set_secret("team", "supabase", "supabase-key")
    try:
        assert get_secret("team", SecretKind.S3) == "s3-secret"
        assert get_secret("team", SecretKind.SUPABASE) == "supabase-key"
    finally:
        delete_secret("team", "s3")
        delete_secret("team", "supabase")


def test_no_keyring_is_refused_with_guidance(use_backend: Install) -> None:
    use_backend(fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(InsecureKeyringError) as caught:
        set_secret("team", "s3", SECRET)
    error = caught.value
    assert isinstance(error, DataflowError)
    assert "no keyring is available" in error.user_message
    assert "GNOME Keyring" in error.user_message
    assert "AWS_SECRET_ACCESS_KEY" in error.user_message
    assert SECRET not in str(error)
    assert not keyring_status().secure
    with pytest.raises(InsecureKeyringError):
        get_secret("team", "s3")
    delete_secret("team", "s3")  # nothing to delete: fine


@pytest.mark.parametrize("backend_class", [PlaintextKeyring, LowPriorityFileKeyring])
def test_plaintext_and_weak_backends_are_refused(
    use_backend: Install, backend_class: type[DictKeyring]
) -> None:
    backend = use_backend(backend_class({}))
    with pytest.raises(InsecureKeyringError, match=r"plain text|does not encrypt") as caught:
        set_secret("team", "s3", SECRET)
    assert isinstance(backend, DictKeyring)
    assert backend.items == {}
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("backend_class", [EncryptedKeyring, TrustedKeyring])
def test_protecting_backends_are_used(
    use_backend: Install, backend_class: type[DictKeyring]
) -> None:
    backend = use_backend(backend_class({}))
    set_secret("team", "supabase", SECRET)
    assert isinstance(backend, DictKeyring)
    assert backend.items == {(SERVICE_NAME, "team:supabase"): SECRET}
    assert get_secret("team", "supabase") == SECRET


def test_aws_environment_is_a_read_only_source(
    use_backend: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_backend(fail.Keyring())  # type: ignore[no-untyped-call]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    assert get_secret("headless", "s3") == SECRET  # no keyring needed
    creds = aws_env_credentials()
    assert creds is not None
    assert (creds.access_key_id, creds.secret_access_key, creds.region) == (
        "AKIDENV",
        SECRET,
        "eu-west-1",
    )
    assert SECRET not in repr(creds)
    monkeypatch.setenv("AWS_REGION", "eu-west-3")  # AWS_REGION wins, as in the AWS SDKs
    assert aws_env_credentials().region == "eu-west-3"  # type: ignore[union-attr]
    with pytest.raises(InsecureKeyringError):
        get_secret("headless", "supabase")  # the AWS variables are for S3 only
    with pytest.raises(InsecureKeyringError):
        set_secret("headless", "s3", "new")  # never written to the environment


def test_environment_wins_over_the_keyring(
    use_backend: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_backend(TrustedKeyring({}))
    set_secret("team", "s3", "from-keyring")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "from-env")
    assert get_secret("team", "s3") == "from-env"
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert get_secret("team", "s3") == "from-keyring"
    assert aws_env_credentials() is None


def test_invalid_names_and_kinds(use_backend: Install) -> None:
    use_backend(TrustedKeyring({}))
    for name in ("", "a:b", "../x", "x" * 65):
        with pytest.raises(ValueError, match="profile name"):
            set_secret(name, "s3", SECRET)
    with pytest.raises(ValueError, match="ftp"):
        set_secret("team", "ftp", SECRET)
    with pytest.raises(ValueError, match="empty"):
        set_secret("team", "s3", "")


@pytest.mark.network
def test_pdf_passwords_are_remembered_by_document(secret_service: SecretServiceSession) -> None:
    from dataflow_desktop.ui.keyring_bridge import KeyringBridge

    bridge = KeyringBridge()
    assert bridge.supported
    assert bridge.probe()
    digest = "ab" * 32
    assert bridge.get(digest) is None
    assert bridge.put(digest, "asdfzxcv")
    assert bridge.get(digest) == "asdfzxcv"
    assert secret_service.lookup(SERVICE_NAME, f"pdf-{digest[:40]}:pdf") == "asdfzxcv"
    delete_secret(f"pdf-{digest[:40]}", SecretKind.PDF)
    assert bridge.get(digest) is None
