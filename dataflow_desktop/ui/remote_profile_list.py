"""The list of remote profiles in the settings: add, edit, remove, and test one.

Profiles are saved as soon as their editor is confirmed (like ``dataflow remote add``)
and removed at once after a confirmation. Everything that touches the keyring, the
profiles file or the network runs as a task; the connection test's verdict lists every
right sync needs, granted or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .form_helpers import StatusLabel
from .remote_profiles import (
    ProfileEntry,
    RemoteProfileDialog,
    error_text,
    forget_profile,
    list_profiles,
    probe_profile,
)

if TYPE_CHECKING:
    from ..storage.factory import RemoteProfile
    from ..sync.probe import ProbeReport
    from .tasks import TaskManager

_MARKS = {True: "✓", False: "✗", None: "–"}


class RemoteProfileList(QGroupBox):
    """The remote profiles, with where their secrets are, and their connection test.

    Signals:
        profiles_loaded(): the profile list was (re)read, or reading it failed.
        test_finished(): a connection test ended (its verdict is in :attr:`verdict`).
    """

    profiles_loaded = Signal()
    test_finished = Signal()

    def __init__(self, tasks: TaskManager, env: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._env = env
        self._entries: dict[str, ProfileEntry] = {}
        self.loaded = False
        self._select_next: str | None = None  # a profile just saved, once the list is read

        self.profiles = QTreeWidget(self)
        self.profiles.setColumnCount(4)
        self.profiles.setRootIsDecorated(False)
        self.profiles.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.profiles.setMinimumHeight(110)
        header = self.profiles.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.profiles.itemSelectionChanged.connect(self._update_buttons)
        self.profiles.itemDoubleClicked.connect(lambda *_: self.edit_profile())
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.test_button = QPushButton(self)
        self.add_button.clicked.connect(self.add_profile)
        self.edit_button.clicked.connect(self.edit_profile)
        self.remove_button.clicked.connect(self.remove_profile)
        self.test_button.clicked.connect(self.test_connection)
        self.profiles_note = QLabel(self)
        self.profiles_note.setWordWrap(True)
        self.verdict = StatusLabel(self)
        self.verdict.setObjectName("connectionVerdict")

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.profiles)
        layout.addLayout(buttons)
        layout.addWidget(self.verdict)
        layout.addWidget(self.profiles_note)
        self.retranslate()

    # -- strings ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to every string of the list."""
        self.setTitle(self.tr("Remote profiles"))
        self.profiles.setHeaderLabels(
            [self.tr("Name"), self.tr("Kind"), self.tr("Where"), self.tr("Secret")]
        )
        self.profiles.setAccessibleName(self.tr("Remote profiles"))
        self.add_button.setText(self.tr("Add…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.remove_button.setText(self.tr("Remove"))
        self.test_button.setText(self.tr("Test connection"))
        self.test_button.setToolTip(
            self.tr("List, write, read back and delete a small probe object in the bucket.")
        )
        self.profiles_note.setText(
            self.tr("Profiles are saved as soon as you confirm them. Their secrets are kept "
                    "in the system keyring only.")
        )  # fmt: skip
        self._show_entries()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate live when the application language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- profiles ---------------------------------------------------------------------

    def names(self) -> list[str]:
        """The names of the profiles read so far."""
        return list(self._entries)

    def reload(self) -> None:
        """Read the profiles (and where their secrets are) again, in a task."""
        self._tasks.run(list_profiles, on_success=self._on_loaded, on_failure=self._on_failed)

    def _on_loaded(self, entries: object) -> None:
        listed = entries if isinstance(entries, list) else []
        self._entries = {entry.profile.name: entry for entry in listed}
        self.loaded = True
        self._show_entries()
        if self._select_next:
            self.select(self._select_next)
            self._select_next = None
        self.profiles_loaded.emit()

    def _on_failed(self, error: object) -> None:
        self.verdict.show_state("error", error_text(error))
        self.profiles_loaded.emit()

    def _show_entries(self) -> None:
        selected = self.selected_name()
        secrets = {
            "keyring": self.tr("in the keyring"),
            "environment": self.tr("from the environment"),
            "missing": self.tr("missing"),
            "unavailable": self.tr("keyring unavailable"),
        }
        self.profiles.clear()
        for name, entry in self._entries.items():
            profile = entry.profile
            host = urlsplit(profile.endpoint).netloc or "AWS S3"
            kind = "S3" if profile.kind == "s3" else "Supabase"
            where = f"{profile.bucket} · {host}"
            item = QTreeWidgetItem([name, kind, where, secrets.get(entry.secret, entry.secret)])
            item.setData(0, Qt.ItemDataRole.UserRole, name)
            item.setToolTip(2, f"{profile.endpoint or 'AWS S3'} · {profile.bucket}")
            self.profiles.addTopLevelItem(item)
            if name == selected:
                item.setSelected(True)
        self._update_buttons()

    def selected_name(self) -> str | None:
        """The name of the selected profile, if any."""
        items = self.profiles.selectedItems()
        return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def select(self, name: str) -> None:
        """Select the profile ``name`` in the list."""
        for index in range(self.profiles.topLevelItemCount()):
            item = self.profiles.topLevelItem(index)
            if item is not None:
                item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) == name)

    def _update_buttons(self) -> None:
        chosen = self.selected_name() is not None
        for button in (self.edit_button, self.remove_button, self.test_button):
            button.setEnabled(chosen)

    def add_profile(self) -> None:
        """Open the editor for a new profile."""
        self._open_editor(None)

    def edit_profile(self) -> None:
        """Open the editor on the selected profile."""
        name = self.selected_name()
        if name is not None and name in self._entries:
            self._open_editor(self._entries[name].profile)

    def _open_editor(self, profile: RemoteProfile | None) -> None:
        editor = RemoteProfileDialog(self._tasks, profile, frozenset(self._entries), self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(lambda: self._on_saved(editor.saved_profile))
        editor.open()

    def _on_saved(self, profile: object) -> None:
        name = getattr(profile, "name", None)
        if name is None:
            return
        self.verdict.show_state(
            "ok",
            self.tr("Saved “{name}”; test its connection to check its rights.").format(name=name),
        )
        self._select_next = name
        self.reload()

    def remove_profile(self) -> None:
        """Ask, then remove the selected profile and its keyring secret."""
        name = self.selected_name()
        if name is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove remote"),
            self.tr("Remove the remote “{name}” and its secret from the system keyring? "
                    "Objects in the bucket are not touched.").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )  # fmt: skip
        box.setObjectName("removeRemoteQuestion")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._remove(name))
        box.open()

    def _remove(self, name: str) -> None:
        self._tasks.run(
            forget_profile,
            name,
            on_success=lambda _: self._on_removed(name),
            on_failure=self._on_failed,
        )

    def _on_removed(self, name: str) -> None:
        self.verdict.show_state("info", self.tr("Removed “{name}”.").format(name=name))
        self.reload()

    # -- connection test --------------------------------------------------------------

    def test_connection(self) -> None:
        """Probe the selected profile's rights in a task; the verdict goes to :attr:`verdict`."""
        name = self.selected_name()
        if name is None:
            return
        self.test_button.setEnabled(False)
        self.verdict.show_state(
            "info", self.tr("Testing “{name}” ({env})…").format(name=name, env=self._env)
        )
        self._tasks.run(
            probe_profile,
            name,
            self._env,
            on_success=lambda report: self._on_tested(name, report),
            on_failure=self._on_test_failed,
        )

    def _on_tested(self, name: str, report: ProbeReport) -> None:
        self._update_buttons()
        rights = {
            "connect": self.tr("Connection"),
            "list": self.tr("List"),
            "write": self.tr("Write"),
            "read": self.tr("Read"),
            "delete": self.tr("Delete"),
        }
        if report.ok:
            headline = self.tr("“{name}” works: every right sync needs is granted.")
        else:
            headline = self.tr("“{name}” cannot be used for sync; missing: {missing}.")
        lines = [headline.format(name=name, missing=", ".join(
            rights[check.right].lower() for check in report.missing))]  # fmt: skip
        # What a granted right proved, in the window's language; a missing right keeps
        # the probe's own sentence (the server's exact reason).
        granted = {
            "connect": self.tr("the bucket answers and the keys are accepted"),
            "list": self.tr("objects can be listed"),
            "write": self.tr("a probe object was written"),
            "read": self.tr("it was read back intact"),
            "delete": self.tr("it was deleted"),
        }
        unchecked = self.tr("not checked")
        line = self.tr("{mark} {right}: {detail}")  # French puts a no-break space before ':'
        for check in report.checks:
            detail = {True: granted[check.right], False: check.message, None: unchecked}
            lines.append(line.format(mark=_MARKS[check.ok], right=rights[check.right],
                                     detail=detail[check.ok]))  # fmt: skip
        self.verdict.show_state("ok" if report.ok else "error", "\n".join(lines))
        self.test_finished.emit()

    def _on_test_failed(self, error: object) -> None:
        self._update_buttons()
        self.verdict.show_state("error", error_text(error))
        self.test_finished.emit()


__all__ = ["RemoteProfileList"]
