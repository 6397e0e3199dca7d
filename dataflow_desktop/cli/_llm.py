"""``dataflow llm set-key`` and ``dataflow llm clear-key``: the LLM provider's API key.

The provider itself is set with settings (``DATAFLOW_LLM_ENABLED``,
``DATAFLOW_LLM_BASE_URL``, ``DATAFLOW_LLM_MODEL`` or the config file); its key lives
only in the OS keyring. As for ``remote add``, the key is never a command-line
argument: it is read from a hidden prompt, or from stdin when stdin is not a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from ..config import Settings
from ..errors import ExitCode
from ..sync.credentials import keyring_status
from ._view import print_error, print_line


def register(sub: Any) -> None:
    """Add ``llm`` (with ``set-key`` and ``clear-key``) to the top-level sub-parsers."""
    llm = sub.add_parser("llm", help="The optional AI provider's API key.")
    verbs = llm.add_subparsers(dest="llm_command", required=True, metavar="ACTION")
    text = "Store the API key in the system keyring (read from a hidden prompt or stdin)."
    verbs.add_parser("set-key", help=text, description=text).set_defaults(func=cmd_set_key)
    text = "Remove the API key from the system keyring."
    verbs.add_parser("clear-key", help=text, description=text).set_defaults(func=cmd_clear_key)


def _read_key() -> str | None:
    """The key from stdin (not a terminal) or a hidden prompt; ``None`` if empty."""
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        text = stdin.readline() if stdin is not None else ""
        return text.strip() or None
    return getpass.getpass("API key of the AI provider (input hidden): ").strip() or None


def cmd_set_key(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow llm set-key``: exit 2 on empty input, 4 when the keyring refuses."""
    from ..llm.provider import store_api_key  # lazy: httpx and the analysis are heavy

    del args
    key = _read_key()
    if key is None:
        print_error("no key was given (empty input); type it at the hidden prompt or pass it "
                    "on stdin, never as an argument")  # fmt: skip
        return ExitCode.BAD_ARGS
    store_api_key(key)  # refuses a keyring that would not protect it
    print_line(f"Stored the AI provider's API key in the system keyring "
               f"({keyring_status().backend}).")  # fmt: skip
    if not settings.llm_enabled:
        print_line("The AI provider is off: turn it on with llm_enabled (DATAFLOW_LLM_ENABLED=1).")
    return ExitCode.OK


def cmd_clear_key(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow llm clear-key``."""
    from ..llm.provider import delete_api_key

    del args, settings
    delete_api_key()
    print_line("Removed the AI provider's API key from the system keyring.")
    return ExitCode.OK
