"""Fixtures for job-level integration tests: a shared process pool and a job service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dataflow_desktop.config import Settings
from dataflow_desktop.jobs import JobService, ProcessExecutor
from dataflow_desktop.storage import LocalStorage
from dataflow_desktop.storage.base import Data, ObjectInfo


class RecordingStorage(LocalStorage):
    """Local storage that keeps every progress.json it was asked to write, in order."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.progress: dict[str, list[dict[str, Any]]] = {}

    def put(self, key: str, data: Data) -> ObjectInfo:
        if key.endswith("/progress.json") and isinstance(data, bytes):
            doc = json.loads(data)
            self.progress.setdefault(doc["job_id"], []).append(doc)
        return super().put(key, data)


@pytest.fixture(scope="session")
def pool() -> Iterator[ProcessExecutor]:
    """One spawn pool for the whole session, as the app keeps one (RECIPES.md §10)."""
    executor = ProcessExecutor(2)
    yield executor
    executor.shutdown()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", workers=2, concurrent_jobs=2)


@pytest.fixture
def service(settings: Settings, pool: ProcessExecutor) -> Iterator[JobService]:
    storage = RecordingStorage(settings.storage_root)
    with JobService(settings, storage=storage, executor=pool) as svc:
        yield svc
