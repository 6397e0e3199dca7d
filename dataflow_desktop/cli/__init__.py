"""``dataflow``: the headless command line (entry point ``dataflow_desktop.cli:main``).

``main`` is the one boundary: a :class:`~dataflow_desktop.errors.DataflowError` becomes
its user message and exit code, Ctrl+C becomes 130 after the running jobs were
cancelled, and anything else is logged with its traceback and exits with
``ExitCode.INTERNAL`` (OCRmyPDF's ``cli_exception_handler``).
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import multiprocessing
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from ..config import Settings, load_settings
from ..errors import DataflowError, ExitCode
from ..storage.keys import InvalidKeyError
from . import _commands, _interrupt, _llm, _remote, _temporal
from ._view import print_error

log = logging.getLogger(__name__)

LOG_FILE = "dataflow.log"
Command = Callable[[argparse.Namespace, Settings], int]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="dataflow", description="Turn PDFs into structured data (text, tables, images)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        return command

    p = add("process", _commands.cmd_process, "Process PDF files and folders (walked recursively).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--password", help="password of encrypted PDFs (kept in memory only)")
    p.add_argument("--dpi", type=_positive, help="page image resolution")
    p.add_argument("--workers", type=_positive, help="worker processes")
    p.add_argument("--json", action="store_true", help="one JSON object per file on stdout")
    p.add_argument("--force", action="store_true", help="process files already processed")
    p.add_argument("--remote", metavar="NAME", help="sync each job to this remote once done")
    p.add_argument("--cloud-only", action="store_true", help="then remove heavy local copies")

    p = add("jobs", _commands.cmd_jobs, "List jobs, newest first.")
    p.add_argument("--status", choices=("queued", "running", "success", "failed", "cancelled"))
    p.add_argument("--json", action="store_true", help="one JSON object per job")

    p = add("show", _commands.cmd_show, "Show one job: steps, error, result files.")
    p.add_argument("job", metavar="JOB", help="job id (or a unique prefix of it)")
    p.add_argument("--json", action="store_true")

    p = add("export", _commands.cmd_export, "Copy a finished job's result files to a folder.")
    p.add_argument("job", metavar="JOB")
    p.add_argument("--to", required=True, metavar="DIR")

    p = add("cancel", _commands.cmd_cancel, "Cancel a queued or running job (any process).")
    p.add_argument("job", metavar="JOB")

    p = add("retry", _commands.cmd_retry, "Run a failed or cancelled job again.")
    p.add_argument("job", metavar="JOB")
    p.add_argument("--password")
    p.add_argument("--json", action="store_true")

    p = add("rm", _commands.cmd_rm, "Remove a job and its files.")
    p.add_argument("job", metavar="JOB")

    p = add("search", _commands.cmd_search, "Search the text of every page (exit 1: no match).")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive, default=50)
    p.add_argument("--json", action="store_true")

    _temporal.add_commands(add, _positive)  # worker, submit (import temporalio when run)
    _remote.register(sub)  # remote add|ls|test|rm|jobs|pull, sync
    _llm.register(sub)  # llm set-key|clear-key
    return parser


def setup_logging(settings: Settings, *, verbose: bool = False) -> None:
    """Log to a rotating file in ``settings.log_dir`` (and to stderr with ``--verbose``)."""
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        settings.log_dir / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s"
        )
    )
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``dataflow``; returns the process exit code."""
    multiprocessing.freeze_support()  # first: a frozen worker process must stop here
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except (InvalidKeyError, ValueError) as exc:
        print_error(f"invalid setting: {exc}")
        return ExitCode.BAD_ARGS
    setup_logging(settings, verbose=args.verbose)
    log.info("dataflow %s: %s", __version__, args.command)
    command: Command = args.func
    try:
        with _interrupt.watching():
            return command(args, settings)
    except DataflowError as exc:
        log.warning("%s failed: %s", args.command, exc)
        print_error(exc.user_message)
        return exc.exit_code
    except KeyboardInterrupt:
        # JobService.__exit__ already cancelled the running jobs on the way out.
        print_error("interrupted; running jobs were cancelled")
        return ExitCode.INTERRUPTED
    except Exception:  # the CLI boundary: a bug is logged, the user gets the log path
        log.exception("Unexpected error in %s", args.command)
        print_error(f"unexpected error; details in {settings.log_dir / LOG_FILE}")
        return ExitCode.INTERNAL


__all__ = ["build_parser", "main", "setup_logging"]
