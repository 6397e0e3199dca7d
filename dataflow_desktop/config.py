"""Settings: defaults < config file < ``.env`` < ``DATAFLOW_*`` environment variables.

Defaults work offline with nothing set: local storage in the user data folder, SQLite
beside it, sync off. Secrets never live here (see ``sync/credentials.py``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
from dotenv import dotenv_values

from .storage.keys import check_env

log = logging.getLogger(__name__)

APP_NAME = "DataFlowDesktop"
APP_AUTHOR = "DataFlow"
CONFIG_FILE = "config.json"


def default_workers() -> int:
    """Default process-pool size: one worker per core."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Settings:
    """Non-secret settings of one installation.

    Attributes:
        home: the data folder (SQLite, local storage, work folders, logs).
        env: the storage environment (``dev``, ``staging`` or ``prod``).
        workers: size of the PDF process pool.
        concurrent_jobs: how many jobs run at once.
        dpi: raster resolution.
        ocr: OCR mode (``auto``, ``always``, ``never``).
        ocr_languages: Tesseract language string (``eng+fra``).
        language: interface language (``system``, ``en``, ``fr``).
        theme: ``system``, ``light`` or ``dark``.
        watch_folder: a folder whose new PDFs are processed automatically.
        sync_remote: the remote profile finished jobs are synced to (``None``: sync off).
        cloud_only: once a job is verified in the bucket, remove its heavy local copies.
        run_on: ``local`` (this computer's process pool) or ``cluster`` (Temporal workers
            reached at ``temporal_address``, results through ``sync_remote``).
        temporal_address: ``HOST:PORT`` of the team's Temporal frontend.
        temporal_task_queue: the task queue the team's workers poll.
        llm_enabled: send extracted text to the LLM provider below (off by default).
        llm_base_url: an OpenAI-compatible base URL (the API key is in the OS keyring).
        llm_model: the model name the provider knows.
        page_timeout_s: a pool task is stopped after this many seconds per page (0: never).
        worker_memory_mb: address-space cap of each worker process (0: no cap).
    """

    home: Path
    env: str = "dev"
    workers: int = field(default_factory=default_workers)
    concurrent_jobs: int = 2
    dpi: int = 150
    ocr: str = "auto"
    ocr_languages: str = "eng+fra"
    language: str = "system"
    theme: str = "system"
    watch_folder: Path | None = None
    sync_remote: str | None = None
    cloud_only: bool = False
    run_on: str = "local"
    temporal_address: str = ""
    temporal_task_queue: str = "dataflow"
    llm_enabled: bool = False
    llm_base_url: str = ""
    llm_model: str = ""
    page_timeout_s: int = 120
    worker_memory_mb: int = 4096

    @property
    def db_path(self) -> Path:
        """The SQLite job store."""
        return self.home / "dataflow.sqlite3"

    @property
    def storage_root(self) -> Path:
        """Root of the local storage backend."""
        return self.home / "storage"

    @property
    def work_root(self) -> Path:
        """Per-job scratch folders (removed by the ``clean`` step)."""
        return self.home / "work"

    @property
    def log_dir(self) -> Path:
        """Where log files go."""
        return self.home / "logs"

    def to_json(self) -> dict[str, Any]:
        """JSON-able dict for the config file."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, Path):
                data[key] = str(value)
        return data


def config_dir() -> Path:
    """The user config folder (``DATAFLOW_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("DATAFLOW_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def default_home() -> Path:
    """The user data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


_TRUE = frozenset({"1", "true", "yes", "on"})


def _coerce(name: str, raw: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    if raw is None or raw == "":
        return None if "None" in str(kind) else raw
    if name in ("home", "watch_folder"):
        return Path(str(raw)).expanduser()
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in _TRUE
    return str(raw)


def load_settings(
    environ: Mapping[str, str] | None = None, *, dotenv: Path | None = None
) -> Settings:
    """Build :class:`Settings` from every source, env winning.

    Args:
        environ: the environment (defaults to ``os.environ``).
        dotenv: a ``.env`` file (defaults to ``./.env`` when it exists).
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    cfg = config_dir() / CONFIG_FILE
    if cfg.is_file():
        try:
            values.update(json.loads(cfg.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable config file %s: %s", cfg, exc)
    env_sources: dict[str, str | None] = {}
    dotenv = dotenv or Path(".env")
    if dotenv.is_file():
        env_sources.update(dotenv_values(dotenv))
    env_sources.update(environ)
    names = {f.name for f in fields(Settings)}
    for key, raw in env_sources.items():
        if key.startswith("DATAFLOW_") and key[9:].lower() in names:
            values[key[9:].lower()] = raw
    clean = {k: _coerce(k, v) for k, v in values.items() if k in names}
    clean.setdefault("home", default_home())
    settings = Settings(**clean)
    check_env(settings.env)
    return settings


def save_settings(settings: Settings) -> Path:
    """Write the settings to the user config file (never any secret)."""
    path = config_dir() / CONFIG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = settings.to_json()
    if os.environ.get("DATAFLOW_HOME"):
        data.pop("home")  # an env override is not a user choice to persist
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path


__all__ = ["Settings", "config_dir", "default_home", "load_settings", "replace", "save_settings"]
