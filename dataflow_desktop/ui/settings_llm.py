"""The settings' "AI analysis" page: the optional OpenAI-compatible LLM provider.

Maps to ``Settings.llm_enabled``, ``llm_base_url`` and ``llm_model``; the API key is
kept in the OS keyring only, through ``llm/provider.py`` (the job runner reads it from
there), written when the settings dialog is accepted. "Test" sends one tiny request
with :class:`~dataflow_desktop.llm.ChatClient` in a task. ``llm`` is imported inside
the task functions: it pulls in ``keyring`` and ``httpx``, which the window's start-up
must not pay for.
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..config import Settings
from .form_helpers import StatusLabel
from .remote_profiles import error_text
from .tasks import TaskManager

_URL = re.compile(r"^https?://[^/\s]+")
# The test asks for the smallest JSON object a model can produce.
_TEST_SCHEMA = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
    "additionalProperties": False,
}
_TEST_MESSAGES = [{"role": "user", "content": 'Reply with the JSON object {"ok": true} only.'}]


# -- work (task threads) ------------------------------------------------------------------


def stored_key_exists() -> bool:
    """Whether an LLM API key is in the keyring (``False`` when it cannot be read)."""
    from ..llm.provider import read_api_key
    from ..sync.credentials import CredentialsError

    try:
        return bool(read_api_key())
    except CredentialsError:
        return False


def store_key(key: str) -> None:
    """Keep ``key`` in the keyring as the LLM API key (task thread).

    Raises:
        InsecureKeyringError: no keyring that protects secrets is active.
        CredentialsError: the keyring refused (locked, unavailable).
    """
    from ..llm.provider import store_api_key

    store_api_key(key)


def check_provider(base_url: str, model: str, key: str | None) -> None:
    """Send one tiny chat completion; the typed ``key``, else the stored one, else none.

    Raises:
        LlmError: the provider failed (its message says how).
    """
    from ..llm import ChatClient, LlmSettings
    from ..llm.provider import read_api_key
    from ..sync.credentials import CredentialsError

    if key is None:
        try:
            key = read_api_key()
        except CredentialsError:
            key = None  # local servers need no key: try without
    # One attempt, short timeout: a person is waiting for the verdict.
    settings = LlmSettings(enabled=True, base_url=base_url, model=model, timeout_s=20.0,
                           max_retries=0)  # fmt: skip
    with ChatClient(settings, key) as client:
        client.complete_json(_TEST_MESSAGES, _TEST_SCHEMA, "connection_test")


# -- the page -----------------------------------------------------------------------------


class LlmPage(QWidget):
    """The optional AI provider: on/off, base URL, model, API key, and a test.

    Signals:
        key_checked(): whether a key is stored was found out (see :attr:`key_stored`).
        test_finished(): a test ended (its verdict is in :attr:`verdict`).
    """

    key_checked = Signal()
    test_finished = Signal()

    def __init__(self, tasks: TaskManager, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self.key_stored = False
        self.enabled = QCheckBox(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.base_url = QLineEdit(self)
        self.model = QLineEdit(self)
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(self)
        self.test_button.clicked.connect(self.test_provider)
        self.verdict = StatusLabel(self)
        self.verdict.setObjectName("llmVerdict")
        self.problem_label = StatusLabel(self)
        self.problem_label.setObjectName("llmProblem")

        self._labels: dict[QWidget, QLabel] = {}
        self.box = QGroupBox(self)
        form = QFormLayout(self.box)
        form.addRow(self.enabled)
        form.addRow(self.notice)
        for widget in (self.base_url, self.model, self.api_key):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[widget] = label
            form.addRow(label, widget)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow(test_row)
        form.addRow(self.verdict)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        self.enabled.setChecked(settings.llm_enabled)
        self.base_url.setText(settings.llm_base_url)
        self.model.setText(settings.llm_model)
        self.retranslate()
        if settings.llm_base_url:  # a provider was set up: is its key there?
            self._tasks.run(stored_key_exists, on_success=self._on_key_checked)

    # -- strings ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Apply the current language to every string of the page."""
        self.box.setTitle(self.tr("AI analysis (optional)"))
        self.enabled.setText(self.tr("Improve the analysis with an AI provider"))
        self.notice.setText(
            self.tr("When this is on, the text extracted from each PDF is sent to the server "
                    "below. When it is off, nothing leaves this computer.")
        )  # fmt: skip
        rows = (
            (self.base_url, self.tr("Base URL:"), self.tr("Base URL")),
            (self.model, self.tr("Model:"), self.tr("Model")),
            (self.api_key, self.tr("API key:"), self.tr("API key")),
        )
        for widget, label, accessible in rows:
            self._labels[widget].setText(label)
            widget.setAccessibleName(accessible)
        self.base_url.setPlaceholderText(
            self.tr("OpenAI-compatible, e.g. http://127.0.0.1:11434/v1")
        )
        self.model.setPlaceholderText(self.tr("e.g. llama3.1 or gpt-4o-mini"))
        self._key_placeholder()
        self.test_button.setText(self.tr("Test"))
        self.test_button.setToolTip(
            self.tr("Send one tiny request (no document text) to the server.")
        )

    def _key_placeholder(self) -> None:
        self.api_key.setPlaceholderText(
            self.tr("Stored in the system keyring; type a new one to replace it")
            if self.key_stored
            else self.tr("Kept in the system keyring; empty for local servers")
        )

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate live when the application language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_key_checked(self, stored: object) -> None:
        self.key_stored = bool(stored)
        self._key_placeholder()
        self.key_checked.emit()

    # -- test -------------------------------------------------------------------------

    def _fields_problem(self) -> tuple[QWidget, str] | None:
        if not _URL.match(self.base_url.text().strip()):
            return self.base_url, self.tr(
                "Type the provider's base URL, starting with http:// or https://."
            )
        if not self.model.text().strip():
            return self.model, self.tr("Type the name of the model the provider serves.")
        return None

    def test_provider(self) -> None:
        """Send one tiny request in a task; the verdict goes to :attr:`verdict`."""
        problem = self._fields_problem()
        if problem is not None:
            widget, text = problem
            self.verdict.show_state("error", text)
            widget.setFocus()
            return
        self.test_button.setEnabled(False)
        self.verdict.show_state("info", self.tr("Asking the provider…"))
        self._tasks.run(
            check_provider,
            self.base_url.text().strip(),
            self.model.text().strip(),
            self.api_key.text() or None,
            on_success=self._on_tested,
            on_failure=self._on_test_failed,
        )

    def _on_tested(self, _result: object) -> None:
        self.test_button.setEnabled(True)
        self.verdict.show_state("ok", self.tr("The provider answered correctly."))
        self.test_finished.emit()

    def _on_test_failed(self, error: object) -> None:
        self.test_button.setEnabled(True)
        self.verdict.show_state("error", self._failure_text(error))
        self.test_finished.emit()

    def _failure_text(self, error: object) -> str:
        """The provider's failure (an ``LlmError`` by its kind) in the window's language."""
        kind = getattr(error, "kind", None)
        texts = {
            "auth": self.tr("The AI provider refused the API key (check it in the settings)."),
            "not_found": self.tr(
                "The AI provider does not know this address or model "
                "(check the base URL and the model name)."
            ),
            "rate_limited": self.tr("The AI provider is rate limiting requests; try again later."),
            "server": self.tr("The AI provider had an internal error (HTTP {status})."),
            "bad_request": self.tr("The AI provider rejected the request (HTTP {status})."),
            "timeout": self.tr("The AI provider did not answer in time."),
            "network": self.tr("The AI provider could not be reached ({reason})."),
            "malformed": self.tr("The AI provider's answer was not the expected JSON."),
        }
        if kind not in texts:
            return str(getattr(error, "message", None) or error_text(error))
        cause = getattr(error, "__cause__", None)
        return texts[kind].format(
            status=getattr(error, "status", None), reason=type(cause).__name__
        )

    # -- settings ---------------------------------------------------------------------

    def apply(self, settings: Settings) -> Settings:
        """``settings`` with the page's fields."""
        return replace(
            settings,
            llm_enabled=self.enabled.isChecked(),
            llm_base_url=self.base_url.text().strip(),
            llm_model=self.model.text().strip(),
        )

    def new_key(self) -> str | None:
        """The API key typed in, to store when the dialog is accepted (``None``: none)."""
        return self.api_key.text() or None

    def problem(self) -> tuple[QWidget, str] | None:
        """What prevents saving (the field and why), or ``None``."""
        if not self.enabled.isChecked():
            return None
        return self._fields_problem()


__all__ = ["LlmPage", "check_provider", "store_key", "stored_key_exists"]
