"""``python -m dataflow_desktop``: start DataFlow Desktop on its embedded defaults.

Until the window lands (the desktop issue), this processes the bundled sample invoice
through the headless pipeline and says where the results are.
"""

from __future__ import annotations

import multiprocessing
import sys
from importlib.resources import as_file, files


def main(argv: list[str] | None = None) -> int:
    """Process the bundled sample PDF with the CLI and print where its results are."""
    multiprocessing.freeze_support()  # first thing: frozen worker processes re-enter here
    from . import cli  # imported late so a frozen worker does not pay for it

    args = sys.argv[1:] if argv is None else argv
    if args:
        return cli.main(args)
    sample = files("dataflow_desktop") / "resources" / "samples" / "facture-exemple.pdf"
    with as_file(sample) as path:
        return cli.main(["process", "--force", str(path)])


if __name__ == "__main__":
    sys.exit(main())
