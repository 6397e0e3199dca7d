"""Regenerate the screenshots of this folder (run under Xvfb, or any display).

    Xvfb :99 -screen 0 1280x800x24 -nolisten tcp &
    DISPLAY=:99 .venv/bin/python docs/screenshots/take_screenshots.py

Uses a temporary data folder and the shared corpus; writes ``window-batch.png``,
``viewer-boxes.png``, ``settings-dialog.png`` and ``window-fr.png`` here.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("DATAFLOW_CORPUS", ROOT.parent / "shared" / "corpus"))


def main() -> int:
    """Drive the window through a batch and grab it at four moments."""
    home = Path(tempfile.mkdtemp(prefix="dataflow-shots-"))
    os.environ["DATAFLOW_HOME"] = str(home)
    os.environ["DATAFLOW_CONFIG_DIR"] = str(home / "config")
    (home / "config").mkdir()
    (home / "config" / "config.json").write_text('{"language": "en", "workers": 2}')
    from PySide6.QtWidgets import QApplication

    from dataflow_desktop.config import load_settings
    from dataflow_desktop.ui.app import UiContext, create_application
    from dataflow_desktop.ui.engine import EngineClient
    from dataflow_desktop.ui.main_window import MainWindowWidget
    from dataflow_desktop.ui.settings_dialog import SettingsDialog

    app = create_application()
    settings = load_settings()
    service = EngineClient(settings)
    window = MainWindowWidget(UiContext.create(app, settings, None), service)
    window.resize(1280, 800)
    window.move(0, 0)
    window.show()

    def wait(condition: Callable[[], bool], timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit("timed out")
            app.processEvents()
            time.sleep(0.01)

    def settle(seconds: float = 0.6) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def row(name: str):  # type: ignore[no-untyped-def]
        return next((r for r in window.model.jobs() if r.name == name), None)

    def done(name: str) -> bool:
        found = row(name)
        return found is not None and found.status in ("success", "failed", "cancelled")

    small = ["multicolumn-pdfjs-tracemonkey.pdf", "tables-camelot-twotables-2.pdf",
             "text-en-pypdf-crazyones.pdf", "broken-ocrmypdf-invalid.pdf"]  # fmt: skip
    window.controller.submit([CORPUS / n for n in small] + [CORPUS / "MANIFEST.tsv"])
    wait(lambda: all(done(n) for n in small))

    paper = row("multicolumn-pdfjs-tracemonkey.pdf")
    window.jobs.select_ids([paper.id])
    wait(lambda: window.viewer.current_page == 1 and bool(window.viewer.page_view.boxes()))
    window.viewer.show_page(2)
    wait(lambda: window.viewer.current_page == 2)
    settle(1.0)
    view = window.viewer.page_view
    view.zoom_by(1.7)  # close enough to read the boxes
    view.centerOn(view.boxes("text")[0])
    settle(1.0)
    window.grab().save(str(HERE / "viewer-boxes.png"))

    book = "manypages-pymupdf-mupdf-explored.pdf"
    window.controller.submit(
        [CORPUS / book, CORPUS / "form-fr-pdfjs-cerfa-14411-assurance-maladie.pdf"]
    )
    wait(lambda: (r := row(book)) is not None and r.status == "running" and r.percent > 30)
    window.jobs.select_ids([paper.id])
    window.jobs.view.scrollToTop()
    settle(0.5)
    window.grab().save(str(HERE / "window-batch.png"))

    dialog = SettingsDialog(window.context.settings, window)
    dialog.show()
    settle()
    dialog.grab().save(str(HERE / "settings-dialog.png"))
    dialog.close()

    window.apply_settings(replace(window.context.settings, language="fr"))
    wait(lambda: window.commands.file_menu.title() == "&Fichier")
    tables = row("tables-camelot-twotables-2.pdf")
    window.jobs.select_ids([tables.id])
    window.jobs.view.scrollToTop()
    wait(lambda: window.viewer.job_id == tables.id and window.viewer.current_page == 1)
    window.viewer.tabs.setCurrentWidget(window.viewer.tables)
    settle(1.5)
    window.grab().save(str(HERE / "window-fr.png"))

    window.apply_settings(replace(window.context.settings, language="en"))
    window.setProperty("force_close", True)
    window.close()
    window.shutdown()
    service.close()
    shutil.rmtree(home, ignore_errors=True)
    QApplication.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
