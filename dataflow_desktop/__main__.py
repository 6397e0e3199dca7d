"""``python -m dataflow_desktop`` / ``dataflow-desktop``: open the DataFlow Desktop window.

Runs on the embedded defaults (local storage and SQLite in the user data folder, sync
off). PDF files or folders given as arguments are added as jobs. The headless CLI is
``dataflow`` (``python -m dataflow_desktop.cli``).
"""

from __future__ import annotations

import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    """Open the main window (``--version`` and ``--selftest`` are answered first)."""
    multiprocessing.freeze_support()  # first thing: frozen worker processes re-enter here
    args = sys.argv[1:] if argv is None else argv
    # Answered before any heavy import: packagers and the smoke test call these first.
    if args[:1] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"dataflow-desktop {__version__}\n")
        return 0
    if args[:1] == ["--selftest"]:
        from .ui import selftest

        return selftest.main(list(args[1:]))
    from .ui.main import main as window_main  # late: a frozen worker never pays for Qt

    return window_main(list(args))


if __name__ == "__main__":
    sys.exit(main())
