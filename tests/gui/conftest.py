"""Fixtures of the window tests: offscreen Qt, a private data folder, a live window.

Every test gets its own DATAFLOW_HOME and DATAFLOW_CONFIG_DIR under ``tmp_path``, so
the job store, storage, logs, config.json and window.ini never touch the user's. A test
that leaves a Python thread running fails (napari's ``_dangling_qthreads`` idea).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

# Before any QApplication exists (pytest-qt creates it lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from _gui_helpers import ROOT

from dataflow_desktop.config import load_settings
from dataflow_desktop.ui._compat import protect_none_refcount
from dataflow_desktop.ui.app import UiContext, create_application
from dataflow_desktop.ui.engine import EngineClient
from dataflow_desktop.ui.main_window import MainWindowWidget


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here uses Qt: mark it ``gui`` (so ``-m "not gui"`` skips them)."""
    for item in items:
        if "tests/gui" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True, scope="session")
def _none_refcount_guard() -> None:
    """PySide6 6.12.0 on Python 3.11 leaks references to None (see ui/_compat.py)."""
    protect_none_refcount()


@pytest.fixture(autouse=True)
def no_thread_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves Python threads running after its fixtures are torn down."""
    before = set(threading.enumerate())
    yield
    leftover = []
    for thread in set(threading.enumerate()) - before:
        if isinstance(thread, threading._DummyThread):  # Qt pool threads seen by logging
            continue
        thread.join(timeout=10)
        if thread.is_alive():
            leftover.append(thread.name)
    if leftover:
        pytest.fail(f"{request.node.name} left threads running: {sorted(leftover)}")


@pytest.fixture
def corpus(request: pytest.FixtureRequest) -> Path:
    """The shared test corpus (the root ``corpus_dir`` fixture when there is one)."""
    try:
        path = Path(request.getfixturevalue("corpus_dir"))
    except pytest.FixtureLookupError:
        path = Path(os.environ.get("DATAFLOW_CORPUS", ROOT.parent / "shared" / "corpus"))
    if not path.is_dir():
        pytest.skip(f"test corpus not found at {path}")
    return path


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder and config folder; English interface, two workers."""
    home = tmp_path / "home"
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("DATAFLOW_HOME", str(home))
    monkeypatch.setenv("DATAFLOW_CONFIG_DIR", str(config))
    monkeypatch.delenv("DATAFLOW_LANGUAGE", raising=False)
    (config / "config.json").write_text(
        json.dumps({"language": "en", "theme": "system", "workers": 2, "concurrent_jobs": 2}),
        encoding="utf-8",
    )
    return home


WindowFactory = Callable[[], MainWindowWidget]


@pytest.fixture
def make_window(qtbot, data_home: Path) -> Iterator[WindowFactory]:  # type: ignore[no-untyped-def]
    """Opens windows on the private data folder; closes them and their services after."""
    opened: list[tuple[MainWindowWidget, EngineClient]] = []

    def factory() -> MainWindowWidget:
        app = create_application()
        settings = load_settings()
        context = UiContext.create(app, settings, None)
        service = EngineClient(settings)
        window = MainWindowWidget(context, service)
        window.show()
        qtbot.waitExposed(window)
        opened.append((window, service))
        return window

    yield factory
    for window, service in opened:
        window.setProperty("force_close", True)
        window.close()
        window.shutdown()
        assert window.tasks.pool.activeThreadCount() == 0
        service.close()
        window.deleteLater()


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindowWidget:
    """One open window."""
    return make_window()
