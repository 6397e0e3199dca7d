"""The settings' "AI analysis" page: the provider's settings, its key, and "Test".

"Test" talks to the OpenAI-compatible stand-in of ``tests/fixtures/chat_server.py`` on
127.0.0.1; the API key goes to a real Secret Service (gnome-keyring on a private D-Bus,
``tests/fixtures/servers.py``) and to no file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from fixtures.chat_server import ChatServer, answer, error
from keyring.backends import fail
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from dataflow_desktop.config import load_settings, save_settings
from dataflow_desktop.sync.credentials import SERVICE_NAME
from dataflow_desktop.ui.i18n import Translations
from dataflow_desktop.ui.settings_dialog import SettingsDialog

if TYPE_CHECKING:
    from fixtures.servers import SecretServiceSession

pytest_plugins = ["fixtures.servers"]

KEY = "sk-gui-test-0123456789"


@pytest.fixture
def server() -> Iterator[ChatServer]:
    chat = ChatServer()
    yield chat
    chat.close()


def open_dialog(qtbot) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(load_settings())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.llm_page)
    return dialog


def run_test(qtbot, dialog: SettingsDialog) -> str:  # type: ignore[no-untyped-def]
    page = dialog.llm_page
    with qtbot.waitSignal(page.test_finished, timeout=30_000):
        page.test_button.click()
    assert page.test_button.isEnabled()
    return page.verdict.text()


@pytest.mark.network
def test_provider_settings_are_saved_the_key_kept_in_the_keyring_and_test_succeeds(
    qtbot, data_home: Path, secret_service: SecretServiceSession, server: ChatServer
) -> None:  # type: ignore[no-untyped-def]
    server.replies = [answer({"ok": True})]
    dialog = open_dialog(qtbot)
    page = dialog.llm_page
    assert not page.enabled.isChecked()  # off by default
    assert "sent to the server" in page.notice.text()
    page.enabled.setChecked(True)
    page.base_url.setText(server.url)
    page.model.setText("tiny-model")
    page.api_key.setText(KEY)

    assert run_test(qtbot, dialog) == "The provider answered correctly."
    assert page.verdict.state == "ok"
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    assert request["body"]["model"] == "tiny-model"

    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert secret_service.lookup(SERVICE_NAME, "default:llm") == KEY
    settings = dialog.settings()
    assert (settings.llm_enabled, settings.llm_base_url, settings.llm_model) == (
        True,
        server.url,
        "tiny-model",
    )
    config = save_settings(settings).read_text(encoding="utf-8")
    assert KEY not in config

    # Opened again: the key is known to be stored, and "Test" uses it.
    again = SettingsDialog(load_settings())
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.llm_page.key_checked, timeout=10_000):
        again.show()
    assert again.llm_page.key_stored
    assert again.llm_page.api_key.text() == ""
    assert (again.llm_page.base_url.text(), again.llm_page.model.text()) == (
        server.url,
        "tiny-model",
    )
    assert run_test(qtbot, again) == "The provider answered correctly."
    assert server.requests[-1]["headers"]["Authorization"] == f"Bearer {KEY}"


def test_a_refused_key_shows_the_providers_401_message(
    qtbot, data_home: Path, server: ChatServer
) -> None:  # type: ignore[no-untyped-def]
    server.replies = [error(401, "Incorrect API key provided")]
    dialog = open_dialog(qtbot)
    page = dialog.llm_page
    page.base_url.setText(server.url)
    page.model.setText("tiny-model")
    page.api_key.setText("sk-wrong")
    verdict = run_test(qtbot, dialog)
    assert page.verdict.state == "error"
    assert verdict == "The AI provider refused the API key (check it in the settings)."
    assert len(server.requests) == 1  # a 401 is not retried
    translations = Translations.of(QApplication.instance())  # type: ignore[arg-type]
    try:
        translations.apply("fr")
        server.replies = [error(503, "overloaded")]
        assert run_test(qtbot, dialog) == (
            "Le fournisseur d’IA a rencontré une erreur interne (HTTP 503)."
        )
    finally:
        translations.apply("en")


def test_an_enabled_provider_needs_a_url_and_a_model_and_a_keyring_for_its_key(
    qtbot, data_home: Path
) -> None:  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        dialog = open_dialog(qtbot)
        page = dialog.llm_page
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        dialog.tabs.setCurrentIndex(0)
        page.enabled.setChecked(True)
        ok.click()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.tabs.currentWidget() is page
        assert "base URL" in page.problem_label.text()
        page.base_url.setText("http://127.0.0.1:9/v1")
        ok.click()
        assert "name of the model" in page.problem_label.text()
        page.model.setText("m")
        page.api_key.setText("sk-never-on-disk")
        ok.click()
        qtbot.waitUntil(
            lambda: "no keyring is available" in page.problem_label.text(), timeout=10_000
        )
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.isVisible()
        page.api_key.clear()  # no key: a local server needs none
        ok.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
    finally:
        keyring.set_keyring(previous)
