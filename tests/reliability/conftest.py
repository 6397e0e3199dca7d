"""Fixtures of the reliability tests (docs/RELIABILITY.md): the hostile-corpus generator."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def load_resource(name: str) -> ModuleType:
    """Import ``tests/resources/<name>.py`` (a script folder, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, RESOURCES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def hostile() -> ModuleType:
    """The hostile-corpus generator module (tests/resources/hostile.py)."""
    return load_resource("hostile")
