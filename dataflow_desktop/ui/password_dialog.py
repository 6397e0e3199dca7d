"""Asks for the password of an encrypted PDF (again, when the last one was wrong)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class PasswordDialog(QDialog):
    """A password prompt for one document.

    Args:
        file_name: the document's name, shown to the user.
        wrong: the previous password was not correct.
        can_remember: offer "remember in the keyring" (only when a keyring is usable).
    """

    def __init__(
        self,
        file_name: str,
        *,
        wrong: bool = False,
        can_remember: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self._file_name = file_name
        self._wrong = wrong
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #d64541;")
        self.error.setVisible(wrong)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self)
        self.remember.setVisible(can_remember)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.password.textChanged.connect(self._on_password_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addWidget(self.password)
        layout.addWidget(self.remember)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._on_password_text_changed("")

    def retranslate(self) -> None:
        """Apply the current language."""
        self.setWindowTitle(self.tr("Password required"))
        self.message.setText(
            self.tr("“{name}” is protected by a password. Enter it to process the document.")
            .format(name=self._file_name)
        )  # fmt: skip
        self.error.setText(self.tr("That password is not correct. Try again."))
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password of {name}").format(name=self._file_name))
        self.remember.setText(self.tr("Remember this password in the system keyring"))

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_password_text_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text))

    @property
    def value(self) -> str:
        """The password typed."""
        return self.password.text()

    @property
    def remember_requested(self) -> bool:
        """Whether the user asked to keep the password in the keyring."""
        return not self.remember.isHidden() and self.remember.isChecked()


__all__ = ["PasswordDialog"]
