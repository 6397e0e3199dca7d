"""Remote profiles in the settings: the work done off the GUI thread, and the editor.

The work functions call the very functions ``dataflow remote add/ls/test/rm`` use
(``sync/profiles.py``, ``sync/credentials.py``, ``sync/probe.py``); they may block on
D-Bus (the keyring) or the network, so the settings pages run them as tasks
(``ui/tasks.py``). ``sync`` is imported inside them: it pulls in ``keyring`` and boto3,
which the window's start-up must not pay for.

:class:`RemoteProfileDialog` edits one profile; the secret is typed in a password field
and goes to the OS keyring only, never to ``remotes.json`` nor ``config.json``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import DataflowError
from ..storage.factory import EnvTarget, RemoteProfile, backend_kinds
from ..storage.keys import ENVIRONMENTS
from .form_helpers import StatusLabel, fill_combo
from .tasks import TaskManager

if TYPE_CHECKING:
    from ..sync.probe import ProbeReport

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")
_URL = re.compile(r"^https?://[^/\s]+")


# -- work (task threads) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileEntry:
    """A profile and where its secret comes from.

    Attributes:
        profile: the profile (no secret in it).
        secret: ``keyring``, ``environment``, ``missing`` or ``unavailable`` (the
            keyring cannot be used).
    """

    profile: RemoteProfile
    secret: str


def list_profiles() -> list[ProfileEntry]:
    """Every profile, by name, with the source of its secret (keyring calls: task thread).

    Raises:
        ValueError: ``remotes.json`` is unreadable.
    """
    from ..sync.profiles import load_profiles, secret_source

    return [ProfileEntry(p, secret_source(p)) for _, p in sorted(load_profiles().items())]


def store_profile(
    profile: RemoteProfile, secret: str | None, previous: RemoteProfile | None = None
) -> RemoteProfile:
    """Store ``secret`` in the keyring (when given), then save ``profile`` (task thread).

    The secret goes first: a keyring that cannot protect it refuses, and then no profile
    without a secret is left behind. A profile whose kind changed loses its old secret.

    Raises:
        InsecureKeyringError: no keyring that protects secrets is active.
        CredentialsError: the keyring refused (locked, unavailable).
    """
    from ..sync.credentials import delete_secret, set_secret
    from ..sync.profiles import save_profile, secret_kind

    if secret:
        set_secret(profile.name, secret_kind(profile), secret)
    save_profile(profile)
    if previous is not None and secret_kind(previous) != secret_kind(profile):
        delete_secret(previous.name, secret_kind(previous))
    return profile


def forget_profile(name: str) -> RemoteProfile:
    """Remove the profile ``name`` and its keyring secret, as ``dataflow remote rm`` does."""
    from ..sync.credentials import delete_secret
    from ..sync.profiles import remove_profile, secret_kind

    profile = remove_profile(name)
    delete_secret(profile.name, secret_kind(profile))
    return profile


def probe_profile(name: str, env: str) -> ProbeReport:
    """Run ``dataflow remote test``'s probe on the profile ``name`` for ``env`` (task thread).

    Raises:
        SecretMissingError: no secret in the keyring nor the environment.
        CredentialsError: the keyring cannot be read.
        RemoteNotFoundError: the profile is gone.
    """
    from ..sync.probe import probe_remote

    return probe_remote(name, env)


def error_text(error: object) -> str:
    """The sentence to show for an exception raised by a task."""
    if isinstance(error, DataflowError):
        return error.user_message
    return str(error)


# -- the editor ---------------------------------------------------------------------------


class RemoteProfileDialog(QDialog):
    """Adds or edits one remote profile; saving stores the secret in the OS keyring.

    OK stays disabled while the keyring is written (a task); a refusal (no secure
    keyring, locked keyring) is shown in the dialog, which stays open. When the profile
    is saved, :attr:`saved_profile` is set and the dialog is accepted.

    Args:
        tasks: runs the keyring and file writes.
        profile: the profile to edit, or ``None`` to add one.
        taken: names already used (a new profile may not take one).
    """

    def __init__(
        self,
        tasks: TaskManager,
        profile: RemoteProfile | None = None,
        taken: frozenset[str] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("remoteProfileDialog")
        self._tasks = tasks
        self._previous = profile
        self._taken = taken
        self.saved_profile: RemoteProfile | None = None
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        self.endpoint = QLineEdit(self)
        self.endpoint.setMinimumWidth(340)  # room for a URL; the dialog follows its layout
        self.bucket = QLineEdit(self)
        self.region = QLineEdit(self)
        self.access_key_id = QLineEdit(self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.env_buckets = {env: QLineEdit(self) for env in ENVIRONMENTS}
        self.env_note = QLabel(self)
        self.env_note.setWordWrap(True)
        self.message = StatusLabel(self)
        self.message.setObjectName("profileMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._labels: dict[QWidget, QLabel] = {}
        form = QFormLayout()
        for widget in (self.name, self.kind, self.endpoint, self.bucket, self.region,
                       self.access_key_id, self.secret):  # fmt: skip
            self._add_row(form, widget)
        self.env_box = QGroupBox(self)
        env_form = QFormLayout(self.env_box)
        env_form.addRow(self.env_note)
        for edit in self.env_buckets.values():
            self._add_row(env_form, edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.env_box)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.retranslate()
        self._load(profile)

    def _add_row(self, form: QFormLayout, widget: QWidget) -> None:
        label = QLabel(self)
        label.setBuddy(widget)
        self._labels[widget] = label
        form.addRow(label, widget)

    # -- strings ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to every string of the dialog."""
        editing = self._previous is not None
        self.setWindowTitle(self.tr("Edit remote") if editing else self.tr("Add a remote"))
        rows = (
            (self.name, self.tr("Name:"), self.tr("Remote name")),
            (self.kind, self.tr("Kind:"), self.tr("Storage kind")),
            (self.endpoint, "", self.tr("Endpoint or project URL")),
            (self.bucket, self.tr("Bucket:"), self.tr("Bucket")),
            (self.region, self.tr("Region:"), self.tr("Region")),
            (self.access_key_id, self.tr("Access key ID:"), self.tr("Access key ID")),
            (self.secret, "", self.tr("Secret")),
        )
        for widget, label, accessible in rows:
            if label:
                self._labels[widget].setText(label)
            widget.setAccessibleName(accessible)
        kinds = backend_kinds()
        names = {"s3": self.tr("S3 (MinIO, AWS S3, SeaweedFS…)"),
                 "supabase": self.tr("Supabase Storage")}  # fmt: skip
        fill_combo(self.kind, kinds, [names.get(kind, kind) for kind in kinds])
        self.region.setPlaceholderText(self.tr("e.g. eu-west-3 (optional)"))
        if editing:
            self.secret.setPlaceholderText(self.tr("Unchanged; type a new one to replace it"))
        else:
            self.secret.setPlaceholderText(self.tr("Stored only in the system keyring"))
        self.env_box.setTitle(self.tr("Buckets per environment"))
        self.env_note.setText(
            self.tr("Each environment may use a bucket of its own; leave empty to use the "
                    "bucket above.")
        )  # fmt: skip
        for env, edit in self.env_buckets.items():
            self._labels[edit].setText(f"{env}:")
            edit.setAccessibleName(self.tr("Bucket of the {env} environment").format(env=env))
        self._kind_texts()

    def _kind_texts(self) -> None:
        """The strings that depend on the kind (S3 or Supabase)."""
        s3 = self._kind() == "s3"
        self._labels[self.endpoint].setText(
            self.tr("Endpoint URL:") if s3 else self.tr("Project URL:")
        )
        self._labels[self.secret].setText(
            self.tr("Secret access key:") if s3 else self.tr("API key:")
        )
        self.endpoint.setPlaceholderText(
            self.tr("Empty for AWS S3, e.g. https://minio.example.org:9000")
            if s3
            else self.tr("e.g. https://abcd.supabase.co")
        )

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate live when the application language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _kind(self) -> str:
        data = self.kind.currentData()
        return str(data) if data is not None else "s3"

    def _on_kind_changed(self) -> None:
        s3 = self._kind() == "s3"
        # Supabase's REST API signs in with the key alone: no key ID, no region.
        self.region.setEnabled(s3)
        self.access_key_id.setEnabled(s3)
        self._kind_texts()

    # -- values -------------------------------------------------------------------------

    def _load(self, profile: RemoteProfile | None) -> None:
        if profile is None:
            self._on_kind_changed()
            return
        self.name.setText(profile.name)
        self.name.setReadOnly(True)  # the keyring entry is named after it
        self.kind.setCurrentIndex(max(self.kind.findData(profile.kind), 0))
        self.endpoint.setText(profile.endpoint)
        self.bucket.setText(profile.bucket)
        self.region.setText(profile.region or "")
        self.access_key_id.setText(profile.access_key_id)
        for env, edit in self.env_buckets.items():
            target = profile.environments.get(env)
            if target is not None and target.bucket and target.bucket != profile.bucket:
                edit.setText(target.bucket)
        self._on_kind_changed()

    def _problem(self) -> tuple[QWidget, str] | None:
        """The first field that is wrong and why, in words of the interface language."""
        name = self.name.text().strip()
        s3 = self._kind() == "s3"
        endpoint = self.endpoint.text().strip()
        new_secret_needed = self._previous is None or self._previous.kind != self._kind()
        if not _NAME.match(name):
            return self.name, self.tr(
                "The name must start with a letter or digit and use only letters, digits, "
                "spaces, '.', '_' or '-' (at most 64)."
            )
        if self._previous is None and name in self._taken:
            return self.name, self.tr("A remote is already called “{name}”.").format(name=name)
        if endpoint and not _URL.match(endpoint):
            return self.endpoint, self.tr("The URL must start with http:// or https://.")
        if not s3 and not endpoint:
            return self.endpoint, self.tr("A Supabase remote needs the project URL.")
        if not self.bucket.text().strip():
            return self.bucket, self.tr("A bucket name is required.")
        env_keys = bool(os.environ.get("AWS_ACCESS_KEY_ID"))
        if s3 and not self.access_key_id.text().strip() and not env_keys:
            return self.access_key_id, self.tr("An S3 remote needs an access key ID.")
        env_secret = s3 and bool(os.environ.get("AWS_SECRET_ACCESS_KEY"))
        if new_secret_needed and not self.secret.text() and not env_secret:
            return self.secret, self.tr("Type the secret: it is stored in the system keyring.")
        return None

    def profile(self) -> RemoteProfile:
        """The profile of the dialog's fields (other settings of an edited one kept).

        Raises:
            ValueError: a value :class:`RemoteProfile` refuses.
        """
        s3 = self._kind() == "s3"
        bucket = self.bucket.text().strip()
        previous = self._previous
        environments = dict(previous.environments) if previous is not None else {}
        for env, edit in self.env_buckets.items():
            own = edit.text().strip()
            old = environments.pop(env, None)
            prefix = old.prefix if old is not None else None
            if own and own != bucket:
                environments[env] = EnvTarget(bucket=own, prefix=prefix)
            elif prefix is not None:
                environments[env] = EnvTarget(bucket=None, prefix=prefix)
        values = {
            "kind": self._kind(),
            "endpoint": self.endpoint.text().strip(),
            "bucket": bucket,
            "access_key_id": self.access_key_id.text().strip() if s3 else "",
            "region": (self.region.text().strip() or None) if s3 else None,
            "environments": environments,
        }
        if previous is not None:
            return replace(previous, **values)  # type: ignore[arg-type]
        return RemoteProfile(name=self.name.text().strip(), **values)  # type: ignore[arg-type]

    def accept(self) -> None:
        """Check the fields, then store the secret and the profile in a task."""
        problem = self._problem()
        if problem is not None:
            widget, text = problem
            self._show(text)
            widget.setFocus()
            return
        try:
            profile = self.profile()
        except ValueError as exc:
            self._show(str(exc))
            return
        self._show(self.tr("Saving…"), error=False)
        self.buttons.setEnabled(False)
        self._tasks.run(
            store_profile,
            profile,
            self.secret.text() or None,
            self._previous,
            on_success=self._on_saved,
            on_failure=self._on_save_failed,
        )

    def _on_saved(self, profile: object) -> None:
        self.secret.clear()
        self.saved_profile = profile if isinstance(profile, RemoteProfile) else None
        self.buttons.setEnabled(True)
        super().accept()

    def _on_save_failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        self._show(error_text(error))

    def _show(self, text: str, *, error: bool = True) -> None:
        self.message.show_state("error" if error else "info", text)


__all__ = [
    "ProfileEntry",
    "RemoteProfileDialog",
    "error_text",
    "forget_profile",
    "list_profiles",
    "probe_profile",
    "store_profile",
]
