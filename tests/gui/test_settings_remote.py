"""The settings' "Team sync" page: remote profiles, their connection test, "Run on".

Against a real SeaweedFS S3 server and a real Secret Service (gnome-keyring on a private
D-Bus), both started by ``tests/fixtures/servers.py`` on 127.0.0.1. A profile added
through the dialog must land in ``remotes.json`` with its secret in the keyring and in
no file; "Test connection" runs ``dataflow remote test``'s probe off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from dataflow_desktop.config import Settings, load_settings, save_settings
from dataflow_desktop.storage.factory import RemoteProfile
from dataflow_desktop.sync.credentials import SERVICE_NAME
from dataflow_desktop.sync.profiles import load_profiles, remotes_path, save_profile
from dataflow_desktop.ui.i18n import Translations
from dataflow_desktop.ui.remote_profiles import RemoteProfileDialog
from dataflow_desktop.ui.settings_dialog import SettingsDialog
from dataflow_desktop.ui.settings_team import TeamSyncPage

if TYPE_CHECKING:
    from fixtures.servers import SeaweedFS, SecretServiceSession

pytest_plugins = ["fixtures.servers"]

BUCKET = "dataflow-gui-settings"
PROBE_TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def no_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The AWS variables would stand in for the keyring: these tests want the keyring."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No keyring at all (keyring's ``fail`` backend), as on a bare headless box."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def open_dialog(qtbot) -> SettingsDialog:  # type: ignore[no-untyped-def]
    """A settings dialog on the test's settings, once its profile list is read."""
    dialog = SettingsDialog(load_settings())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.team_page.remotes.profiles_loaded, timeout=10_000):
        dialog.show()
    dialog.tabs.setCurrentWidget(dialog.team_page)
    return dialog


def open_editor(qtbot, page: TeamSyncPage, edit: bool = False) -> RemoteProfileDialog:  # type: ignore[no-untyped-def]
    (page.remotes.edit_button if edit else page.remotes.add_button).click()
    editor = page.findChild(RemoteProfileDialog)
    assert editor is not None
    qtbot.waitExposed(editor)
    return editor


def save_editor(qtbot, page: TeamSyncPage, editor: RemoteProfileDialog) -> None:  # type: ignore[no-untyped-def]
    """Press OK and wait until the profile is saved and the list read again."""
    with qtbot.waitSignal(page.remotes.profiles_loaded, timeout=10_000):
        editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def run_test(qtbot, page: TeamSyncPage, name: str) -> str:  # type: ignore[no-untyped-def]
    page.remotes.select(name)
    with qtbot.waitSignal(page.remotes.test_finished, timeout=PROBE_TIMEOUT_MS):
        page.remotes.test_button.click()
    assert page.remotes.test_button.isEnabled()
    return page.remotes.verdict.text()


@pytest.mark.network
def test_a_remote_added_in_the_dialog_keeps_its_secret_in_the_keyring_only_and_tests_ok(
    qtbot, data_home: Path, secret_service: SecretServiceSession, seaweedfs: SeaweedFS
) -> None:  # type: ignore[no-untyped-def]
    bucket = seaweedfs.create_bucket(BUCKET)
    keys = seaweedfs.admin
    dialog = open_dialog(qtbot)
    page = dialog.team_page
    assert page.remotes.profiles.topLevelItemCount() == 0

    editor = open_editor(qtbot, page)
    editor.name.setText("team")
    editor.kind.setCurrentIndex(editor.kind.findData("s3"))
    editor.endpoint.setText(seaweedfs.endpoint)
    editor.bucket.setText(bucket)
    editor.region.setText(seaweedfs.region)
    editor.access_key_id.setText(keys.access_key_id)
    editor.secret.setText(keys.secret_access_key)
    editor.env_buckets["prod"].setText("dataflow-prod")
    save_editor(qtbot, page, editor)

    profile = load_profiles()["team"]
    assert (profile.kind, profile.endpoint, profile.bucket) == ("s3", seaweedfs.endpoint, bucket)
    assert (profile.access_key_id, profile.region) == (keys.access_key_id, seaweedfs.region)
    assert profile.target("prod") == ("dataflow-prod", "")
    assert profile.target("dev") == (bucket, "")
    assert secret_service.lookup(SERVICE_NAME, "team:s3") == keys.secret_access_key
    assert keys.secret_access_key not in remotes_path().read_text(encoding="utf-8")
    assert page.remotes.selected_name() == "team"
    assert page.remotes.profiles.topLevelItem(0).text(3) == "in the keyring"  # type: ignore[union-attr]

    verdict = run_test(qtbot, page, "team")
    assert page.remotes.verdict.state == "ok", verdict
    assert "“team” works" in verdict
    assert [line[0] for line in verdict.splitlines()[1:]] == ["✓"] * 5
    translations = Translations.of(QApplication.instance())  # type: ignore[arg-type]
    try:
        translations.apply("fr")
        verdict = run_test(qtbot, page, "team")  # every line in the window's language
        assert verdict.splitlines()[1:] == [
            "✓ Connexion\u00a0: le bucket répond et les clés sont acceptées",
            "✓ Liste\u00a0: les objets peuvent être listés",
            "✓ Écriture\u00a0: un objet de test a été écrit",
            "✓ Lecture\u00a0: il a été relu intact",
            "✓ Suppression\u00a0: il a été supprimé",
        ]
    finally:
        translations.apply("en")

    # Sync to it, cloud-only; the settings file names it and holds no secret.
    page.sync_remote.setCurrentIndex(page.sync_remote.findData("team"))
    page.cloud_only.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    settings = dialog.settings()
    assert (settings.sync_remote, settings.cloud_only) == ("team", True)
    config = save_settings(settings).read_text(encoding="utf-8")
    assert '"sync_remote": "team"' in config
    assert keys.secret_access_key not in config


@pytest.mark.network
def test_a_wrong_secret_gets_the_wrong_key_verdict_and_remove_forgets_the_secret(
    qtbot, data_home: Path, secret_service: SecretServiceSession, seaweedfs: SeaweedFS
) -> None:  # type: ignore[no-untyped-def]
    bucket = seaweedfs.create_bucket(BUCKET)
    keys = seaweedfs.admin
    save_profile(RemoteProfile("shared", "s3", seaweedfs.endpoint, bucket,
                               access_key_id=keys.access_key_id, region=seaweedfs.region))  # fmt: skip
    dialog = open_dialog(qtbot)
    page = dialog.team_page
    assert page.remotes.profiles.topLevelItem(0).text(3) == "missing"  # type: ignore[union-attr]
    page.remotes.select("shared")

    editor = open_editor(qtbot, page, edit=True)
    assert editor.name.isReadOnly()
    assert editor.bucket.text() == bucket
    editor.secret.setText("not-the-secret")
    save_editor(qtbot, page, editor)
    assert secret_service.lookup(SERVICE_NAME, "shared:s3") == "not-the-secret"

    verdict = run_test(qtbot, page, "shared")
    assert page.remotes.verdict.state == "error"
    assert "“shared” cannot be used for sync; missing: connection." in verdict
    assert f"✗ Connection: The secret key is wrong for access key '{keys.access_key_id}'" in verdict
    assert "– Write: not checked" in verdict

    page.remotes.select("shared")
    page.remotes.remove_button.click()
    question = page.findChild(QMessageBox, "removeRemoteQuestion")
    assert question is not None
    with qtbot.waitSignal(page.remotes.profiles_loaded, timeout=10_000):
        question.button(QMessageBox.StandardButton.Yes).click()
    assert "shared" not in load_profiles()
    assert secret_service.lookup(SERVICE_NAME, "shared:s3") is None
    assert page.remotes.profiles.topLevelItemCount() == 0
    assert page.sync_remote.count() == 1  # only "Off"


def test_without_a_keyring_the_secret_is_refused_with_the_cli_message(
    qtbot, data_home: Path, no_keyring: None
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot)
    page = dialog.team_page
    editor = open_editor(qtbot, page)
    editor.name.setText("nokeyring")
    editor.endpoint.setText("http://127.0.0.1:9")
    editor.bucket.setText("b")
    editor.access_key_id.setText("AKID")
    editor.secret.setText("s3cr3t-never-on-disk")
    editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: editor.message.state == "error", timeout=10_000)
    text = editor.message.text()
    # The very message `dataflow remote add` prints (InsecureKeyringError).
    assert (
        "The secret of profile 'nokeyring' cannot be kept safely: no keyring is available" in text
    )
    assert "GNOME Keyring" in text
    assert editor.isVisible()
    assert not remotes_path().exists()

    # Fields are checked before anything is stored, in the interface's words.
    editor.bucket.clear()
    editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert editor.message.text() == "A bucket name is required."


def test_run_on_the_cluster_needs_a_sync_remote_an_address_and_a_queue(
    qtbot, data_home: Path, no_keyring: None
) -> None:  # type: ignore[no-untyped-def]
    save_profile(RemoteProfile("team", "s3", "http://127.0.0.1:9", "b", access_key_id="AKID"))
    dialog = open_dialog(qtbot)
    page = dialog.team_page
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.tabs.setCurrentIndex(0)
    page.run_on.setCurrentIndex(page.run_on.findData("cluster"))
    assert page.temporal_address.isEnabled()

    def refused(expected: str) -> None:
        ok.click()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.isVisible()
        assert dialog.tabs.currentWidget() is page
        assert page.problem_label.state == "error"
        assert expected in page.problem_label.text()

    refused("Running on the team cluster needs a sync remote")
    page.sync_remote.setCurrentIndex(page.sync_remote.findData("team"))
    refused("Type the Temporal address as HOST:PORT")
    page.temporal_address.setText("temporal.example.org")
    refused("Type the Temporal address as HOST:PORT")
    page.temporal_address.setText("temporal.example.org:99999")
    refused("Type the Temporal address as HOST:PORT")
    page.temporal_address.setText("temporal.example.org:7233")
    page.task_queue.clear()
    refused("Type the task queue the team's workers poll.")
    page.task_queue.setText("pdf-batch")
    ok.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    settings: Settings = dialog.settings()
    assert (settings.run_on, settings.sync_remote) == ("cluster", "team")
    assert (settings.temporal_address, settings.temporal_task_queue) == (
        "temporal.example.org:7233",
        "pdf-batch",
    )
    save_settings(settings)
    assert load_settings().run_on == "cluster"
