"""Where work comes from: drops, the clipboard, and a watched folder.

Paths are only collected here; which files are PDFs is decided by ``JobService.submit``
(it walks folders and reads each file's first bytes), and whatever it skips is shown
to the user with its reason.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QMimeData, QObject, QTimer, QUrl, Signal

from .tasks import TaskManager

log = logging.getLogger(__name__)

DEBOUNCE_MS = 1000


def paths_from_mime(mime: QMimeData | None) -> list[Path]:
    """Local files and folders carried by a drop or the clipboard.

    File URLs come first (file managers); otherwise each non-empty line of plain text
    that names an existing file or folder (a path copied from a terminal).
    """
    if mime is None:
        return []
    if mime.hasUrls():
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if not mime.hasText():
        return []
    found: list[Path] = []
    for line in mime.text().splitlines():
        text = line.strip().strip('"').strip("'")
        if text.startswith("file://"):
            text = QUrl(text).toLocalFile()
        if text and Path(text).expanduser().exists():
            found.append(Path(text).expanduser())
    return found


def scan_folder(folder: Path) -> dict[Path, tuple[int, float]]:
    """Size and modification time of every ``*.pdf`` directly in ``folder`` (task thread)."""
    found: dict[Path, tuple[int, float]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file() and entry.name.lower().endswith(".pdf"):
                    stat = entry.stat()
                    found[Path(entry.path)] = (stat.st_size, stat.st_mtime)
    except OSError as exc:
        log.warning("Cannot read the watched folder %s: %s", folder, exc)
    return found


class FolderWatcher(QObject):
    """Watches one folder and reports PDFs that appear in it, once they stop growing.

    Files present when watching starts are not reported (they are not *new*). A file is
    reported when two scans one debounce apart see the same size and time, so a PDF
    still being copied is not submitted half-written.

    Signals:
        files_arrived(list): new, complete PDF paths.
        watching_started(object): the folder (``Path``) is watched and its existing
            files are known, so any file that appears from now on is new.
    """

    files_arrived = Signal(list)
    watching_started = Signal(object)

    def __init__(self, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._folder: Path | None = None
        self._known: set[Path] = set()
        self._growing: dict[Path, tuple[int, float]] = {}
        self._generation = 0
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_watcher_directory_changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)

    @property
    def folder(self) -> Path | None:
        """The folder watched, if any."""
        return self._folder

    def watch(self, folder: Path | None) -> None:
        """Watch ``folder`` (``None`` stops watching)."""
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self._generation += 1
        self._folder, self._known, self._growing = folder, set(), {}
        self._debounce.stop()
        if folder is None:
            return
        if not folder.is_dir():
            log.warning("The watched folder %s does not exist", folder)
            return
        self._watcher.addPath(str(folder))
        generation = self._generation
        self._tasks.run(
            scan_folder, folder, on_success=lambda found: self._on_baseline(generation, found)
        )

    def _on_baseline(self, generation: int, found: dict[Path, tuple[int, float]]) -> None:
        if generation == self._generation:
            self._known |= set(found)
            self.watching_started.emit(self._folder)

    def _on_watcher_directory_changed(self, _path: str) -> None:
        self._debounce.start()  # restarts: a burst of changes gives one scan

    def _on_debounce_timeout(self) -> None:
        if self._folder is None:
            return
        generation = self._generation
        self._tasks.run(
            scan_folder, self._folder, on_success=lambda found: self._on_scanned(generation, found)
        )

    def _on_scanned(self, generation: int, found: dict[Path, tuple[int, float]]) -> None:
        if generation != self._generation:
            return
        ready: list[Path] = []
        for path, stamp in found.items():
            if path in self._known:
                continue
            if self._growing.get(path) == stamp and stamp[0] > 0:
                ready.append(path)
                self._known.add(path)
                self._growing.pop(path, None)
            else:
                self._growing[path] = stamp
        self._growing = {p: s for p, s in self._growing.items() if p in found}
        if self._growing:
            self._debounce.start()  # look again once the copies have settled
        if ready:
            log.info("Watched folder: %d new PDF(s)", len(ready))
            self.files_arrived.emit(sorted(ready))


__all__ = ["FolderWatcher", "paths_from_mime", "scan_folder"]
