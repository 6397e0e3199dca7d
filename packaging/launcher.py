"""Entry script of the frozen app (PyInstaller runs this as ``__main__``).

``multiprocessing.freeze_support()`` comes first: the job engine and the PDF workers are
spawned from this same executable, and it is what turns such a child into a worker
instead of a second copy of the app.

One bundle, two commands, chosen by the name the executable was started as: the window
(``dataflow-desktop``), or the headless CLI when started as ``dataflow`` (the console
twin ``dataflow.exe`` on Windows, a ``dataflow`` symlink made by ``install.sh`` on
Linux). ``--version`` and ``--selftest`` always reach the app's own entry point, so the
smoke test can use either executable.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

CLI_NAME = "dataflow"


def _main() -> int:
    invoked_as = Path(sys.argv[0]).stem.lower()
    if invoked_as == CLI_NAME and sys.argv[1:2] not in (["--version"], ["--selftest"]):
        from dataflow_desktop.cli import main as cli_main

        return cli_main()
    from dataflow_desktop.__main__ import main as app_main

    return app_main()


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(_main())
