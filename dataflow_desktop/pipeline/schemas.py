"""Load the JSON Schemas shipped as package data (``dataflow_desktop/schemas/*.json``).

Through ``importlib.resources`` so the same call works from a source checkout, an
installed wheel and a PyInstaller bundle.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

__all__ = ["load_schema"]

# Schemas that reference another shipped schema by its ``$id``: the referenced document
# is embedded under ``$defs`` at load time (an embedded resource keeps its own ``$id``,
# so its internal ``#/$defs/...`` references still resolve), and any validator works
# without a custom registry.
_EMBEDDED = {"result.schema.json": ("analysis.schema.json",)}


@functools.lru_cache(maxsize=8)
def _schema_text(name: str) -> str:
    return resources.files("dataflow_desktop").joinpath("schemas", name).read_text("utf-8")


def load_schema(name: str) -> dict[str, Any]:
    """Return the parsed JSON Schema ``name`` (e.g. ``"result.schema.json"``).

    Each call returns a fresh dict, so callers may modify it.

    Args:
        name: a file name in ``dataflow_desktop/schemas/``, without any folder part.

    Returns:
        The schema document.

    Raises:
        ValueError: ``name`` is not a plain ``*.json`` file name.
        FileNotFoundError: no such schema is shipped.
    """
    if not name.endswith(".json") or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"not a schema file name: {name!r}")
    schema: dict[str, Any] = json.loads(_schema_text(name))
    for other in _EMBEDDED.get(name, ()):
        schema.setdefault("$defs", {})[other] = load_schema(other)
    return schema
