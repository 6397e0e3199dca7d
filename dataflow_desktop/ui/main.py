"""``main(argv)``: open the main window on the embedded defaults.

``python -m dataflow_desktop`` calls this after ``multiprocessing.freeze_support()``.
Arguments: PDF files or folders to process at once, and ``--version``. (``--selftest``
is answered by ``ui/selftest.py`` before this runs.)
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .. import __version__
from ..config import load_settings
from . import crash
from .app import APP_DISPLAY_NAME, UiContext, create_application, route_qt_messages, setup_logging
from .engine import EngineClient

log = logging.getLogger(__name__)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dataflow-desktop", description=APP_DISPLAY_NAME)
    parser.add_argument("paths", nargs="*", type=Path, help="PDF files or folders to process")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # Qt's own options (-style, -platform...) are left for QApplication.
    args, _qt_args = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the desktop app; returns the process exit code."""
    args_list = sys.argv[1:] if argv is None else list(argv)
    args = _parse(args_list)
    settings = load_settings()
    log_file = setup_logging(settings.log_dir)
    app = create_application([sys.argv[0], *args_list])
    route_qt_messages()
    crash.install_excepthook()
    crash.set_log_file(log_file)
    context = UiContext.create(app, settings, log_file)
    log.info("DataFlow Desktop %s starting; data folder %s", __version__, settings.home)
    # The engine process starts now and answers once its job store is open; a failure
    # to open it (a known error) is shown by the first call's task.
    service = EngineClient(settings)
    from .main_window import MainWindowWidget

    window = MainWindowWidget(context, service)
    window.show()
    # Resume jobs a crash interrupted (also the first call: it waits for the engine).
    window.tasks.run(service.recover)
    if args.paths:
        window.controller.submit(args.paths)
    code = app.exec()
    window.shutdown()
    service.close()
    log.info("DataFlow Desktop stopped (exit code %d)", code)
    return code


__all__ = ["main"]

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
