"""Regenerate ``settings-team-sync.png`` and ``settings-llm.png`` with real verdicts.

Needs a display and a Secret Service, e.g. (RECIPES.md §2 and §6)::

    xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
      export XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
      eval "$(echo -n shots | gnome-keyring-daemon --unlock --components=secrets)"
      .venv/bin/python docs/screenshots/take_settings_screenshots.py [en|fr] [OUT_DIR]'

Starts SeaweedFS (the test fixture's ``prepare_seaweedfs``) and the chat-completions
stand-in on 127.0.0.1, adds a remote through the profile editor, runs "Test
connection" and the AI provider's "Test", and grabs both pages.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> int:
    """Drive the settings dialog against real servers and grab two of its pages."""
    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE
    home = Path(tempfile.mkdtemp(prefix="dataflow-settings-shots-"))
    os.environ["DATAFLOW_HOME"] = str(home / "home")
    os.environ["DATAFLOW_CONFIG_DIR"] = str(home / "config")
    (home / "config").mkdir()
    (home / "config" / "config.json").write_text(f'{{"language": "{language}", "workers": 2}}')
    from fixtures.chat_server import ChatServer, answer
    from fixtures.servers import prepare_seaweedfs
    from PySide6.QtWidgets import QDialogButtonBox

    from dataflow_desktop.config import load_settings
    from dataflow_desktop.ui.app import UiContext, create_application
    from dataflow_desktop.ui.remote_profiles import RemoteProfileDialog
    from dataflow_desktop.ui.settings_dialog import SettingsDialog

    seaweed = prepare_seaweedfs(home / "seaweedfs")
    seaweed.start()
    chat = ChatServer()
    chat.replies = [answer({"ok": True})]
    app = create_application()
    settings = load_settings()
    UiContext.create(app, settings, None)
    try:
        bucket = seaweed.create_bucket("team-results")
        dialog = SettingsDialog(settings)
        dialog.move(0, 0)
        dialog.show()

        def settle(seconds: float = 0.5) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                app.processEvents()
                time.sleep(0.01)

        def wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
            deadline = time.monotonic() + timeout
            while not condition():
                if time.monotonic() > deadline:
                    raise SystemExit("timed out")
                app.processEvents()
                time.sleep(0.01)

        page = dialog.team_page
        dialog.tabs.setCurrentWidget(page)
        page.remotes.add_button.click()
        editor = page.findChild(RemoteProfileDialog)
        assert editor is not None
        editor.name.setText("team-minio")
        editor.endpoint.setText(seaweed.endpoint)
        editor.bucket.setText(bucket)
        editor.region.setText(seaweed.region)
        editor.access_key_id.setText(seaweed.admin.access_key_id)
        editor.secret.setText(seaweed.admin.secret_access_key)
        editor.env_buckets["prod"].setText("team-results-prod")
        editor.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        wait(lambda: page.remotes.selected_name() == "team-minio")
        page.sync_remote.setCurrentIndex(page.sync_remote.findData("team-minio"))
        page.remotes.test_button.click()
        wait(lambda: page.remotes.verdict.state in ("ok", "error"))
        settle()
        dialog.grab().save(str(out / "settings-team-sync.png"))

        llm = dialog.llm_page
        dialog.tabs.setCurrentWidget(llm)
        llm.enabled.setChecked(True)
        llm.base_url.setText(chat.url)
        llm.model.setText("llama3.1")
        llm.api_key.setText("sk-screenshot-key")
        llm.test_button.click()
        wait(lambda: llm.verdict.state in ("ok", "error"))
        settle()
        dialog.grab().save(str(out / "settings-llm.png"))
        dialog.reject()
    finally:
        chat.close()
        seaweed.stop()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
