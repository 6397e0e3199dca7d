"""Remembering PDF passwords in the system keyring, through ``sync/credentials.py`` only.

``credentials.py`` is the one module that talks to ``keyring``. PDF passwords are
stored under ``SecretKind.PDF``, keyed by the document's SHA-256. When no secure
keyring is active, :attr:`KeyringBridge.available` is false and the password dialog
does not offer to remember. Calls may block on D-Bus, so callers run them as tasks.
"""

from __future__ import annotations

import importlib.util
import logging
from types import ModuleType
from typing import Any

from ..errors import DataflowError

log = logging.getLogger(__name__)


def _credentials() -> ModuleType | None:
    try:
        from ..sync import credentials
    except ImportError:  # keyring not installed: a build without sync
        return None
    return credentials


class KeyringBridge:
    """Stores and finds PDF passwords by the document's SHA-256."""

    def __init__(self) -> None:
        # keyring is imported by probe(), on a task: it costs ~60 ms of the window's start-up.
        self._supported = importlib.util.find_spec("keyring") is not None
        self._module: ModuleType | None = None
        self._kind: Any = None
        self._secure: bool | None = None

    @property
    def supported(self) -> bool:
        """Whether credentials.py can hold PDF passwords at all (keyring is installed)."""
        return self._supported

    def probe(self) -> bool:
        """Whether a secure keyring is active (may block: call from a task)."""
        self._module = _credentials() if self._supported else None
        if self._module is None:
            self._secure = False
        else:
            self._kind = self._module.SecretKind.PDF
            self._secure = bool(self._module.keyring_status().secure)
        return self._secure

    @property
    def available(self) -> bool:
        """Supported and a secure keyring was found by :meth:`probe`."""
        return bool(self._secure) and self.supported

    @staticmethod
    def _profile(sha256: str) -> str:
        return f"pdf-{sha256[:40]}"

    def get(self, sha256: str) -> str | None:
        """The remembered password of the document, if any (task thread)."""
        if not self.available or self._module is None:
            return None
        try:
            secret = self._module.get_secret(self._profile(sha256), self._kind)
        except DataflowError as exc:
            log.warning("Keyring lookup failed: %s", exc.user_message)
            return None
        return str(secret) if secret else None

    def put(self, sha256: str, password: str) -> bool:
        """Remember the document's password (task thread); returns whether it was stored."""
        if not self.available or self._module is None:
            return False
        try:
            self._module.set_secret(self._profile(sha256), self._kind, password)
        except DataflowError as exc:
            log.warning("Keyring store failed: %s", exc.user_message)
            return False
        return True


__all__ = ["KeyringBridge"]
