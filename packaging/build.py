"""Build the installable DataFlow Desktop for this system: ``python packaging/build.py``.

Steps (each prints one line):

1. icons (.png sizes, .ico, .icns) from ``resources/icons/dataflow.svg``;
2. Windows version resources and macOS ``Info.plist`` keys from ``__version__``;
3. Tesseract ``eng``/``fra`` data copied from this machine (``--tessdata`` or where the
   app itself would find it), never committed to the repository;
4. PyInstaller with ``packaging/dataflow-desktop.spec`` (one folder; ``--onefile``);
5. the bundle checked: what must be in it is, what must not be is not;
6. the archive(s) users download, and ``build-info.json`` (sizes, biggest items,
   timings) beside them.

A build whose inputs (package sources, packaging files, installed distributions,
Tesseract data) have not changed since the last one is reused unless ``--force``:
the packaging test and CI can ask for "the bundle" without paying for it twice.

Outputs: ``dist/dataflow-desktop/`` (``dist/onefile/`` with ``--onefile``), the archive
in ``dist/``, work files in ``build/pyinstaller/``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _icons  # noqa: E402
import _meta  # noqa: E402
import _platform  # noqa: E402

INFO_NAME = "build-info.json"
FINGERPRINT_INPUTS = (_meta.PACKAGE, "packaging", "resources/icons", "pyproject.toml")
# PySide6 wheels keep Qt under PySide6/Qt/ on Linux and macOS, directly under PySide6/
# on Windows.
QT_DIRS = ("PySide6/Qt", "PySide6")
# Must be in every bundle (paths relative to the folder holding the Python packages).
REQUIRED = {
    "schemas": f"{_meta.PACKAGE}/schemas/result.schema.json",
    "sample PDF": f"{_meta.PACKAGE}/resources/samples/facture-exemple.pdf",
    "app icon": f"{_meta.PACKAGE}/resources/icons/dataflow-256.png",
    "app translation": f"{_meta.PACKAGE}/resources/translations/dataflow_fr.qm",
    "tessdata eng": f"{_meta.PACKAGE}/resources/tessdata/eng.traineddata",
    "tessdata fra": f"{_meta.PACKAGE}/resources/tessdata/fra.traineddata",
    "Qt translation": "{qt}/translations/qtbase_fr.qm",
}
# Qt platform plugins that must be there, per system (the file name without extension).
REQUIRED_PLATFORMS = {
    "linux": ("libqxcb", "libqoffscreen", "libqwayland"),
    "macos": ("libqcocoa", "libqoffscreen"),
    "windows": ("qwindows", "qoffscreen"),
}
# Never in a bundle: (label, substring of a bundle path, lower case).
FORBIDDEN = (
    ("GTK 3 platform theme", "platformthemes/libqgtk3"),
    ("host GTK 3 library", "libgtk-3"),
    ("QtWebEngine", "webengine"),
    ("QML", "qt6qml"),
    ("Qt Quick", "qt6quick"),
    ("QtPdf", "qt6pdf"),
    ("VirtualKeyboard", "virtualkeyboard"),
    ("pymupdf.layout", "pymupdf/layout"),
    ("pymupdf4llm", "pymupdf4llm"),
    ("onnxruntime", "onnxruntime"),
    ("numpy", "numpy"),
    ("Temporal", "temporalio"),
    ("tests", f"{_meta.PACKAGE}/tests/"),
)


class BuildError(Exception):
    """The build cannot go on; the message says why and what to do."""


@dataclass
class Layout:
    """Where the build reads and writes.

    Attributes:
        dist: the folder of the app folder, the archives and build-info.json.
        work: PyInstaller's work folder and the staged inputs.
        onefile: whether a single executable is built.
    """

    dist: Path
    work: Path
    onefile: bool
    app_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.app_dir = self.dist / _meta.EXE_NAME
        if sys.platform == "darwin" and not self.onefile:
            self.app_dir = self.dist / f"{_meta.APP_NAME}.app"

    @property
    def info_file(self) -> Path:
        """``build-info.json``."""
        return self.dist / INFO_NAME

    def executable(self, name: str = _meta.EXE_NAME) -> Path:
        """The path of an executable of the bundle."""
        suffix = ".exe" if sys.platform == "win32" else ""
        if sys.platform == "darwin" and not self.onefile:
            return self.app_dir / "Contents" / "MacOS" / name
        return self.app_dir / f"{name}{suffix}"

    def internal_dir(self) -> Path:
        """The folder holding the bundled Python packages and libraries."""
        if sys.platform == "darwin" and not self.onefile:
            return self.app_dir / "Contents" / "Frameworks"
        return self.app_dir / "_internal"


def say(message: str) -> None:
    """One progress line on stdout (this is a command-line tool)."""
    sys.stdout.write(f"[build] {message}\n")
    sys.stdout.flush()


# -- inputs ----------------------------------------------------------------------------------


def check_prerequisites() -> None:
    """PyInstaller, PySide6 and jsonschema (used by --selftest) must be importable."""
    missing = [
        name
        for name in ("PyInstaller", "PySide6", "jsonschema", "pymupdf")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise BuildError(
            f"missing in this Python: {', '.join(missing)}; run "
            "`pip install -e .[gui,packaging]` (jsonschema comes with check-jsonschema)"
        )


def find_tessdata(explicit: Path | None) -> list[Path]:
    """The ``.traineddata`` files to bundle, from ``explicit`` or where the app looks.

    The app's own search (``pipeline/_tessdata.py``: ``TESSDATA_PREFIX``, the
    ``tesseract`` program's folder, the usual install folders) is reused so that
    "found for the build" means the same as "found by the app".
    """
    languages = _meta.TESSDATA_LANGUAGES
    if explicit is not None:
        folder = explicit
    else:
        sys.path.insert(0, str(_meta.ROOT))
        from dataflow_desktop.errors import DataflowError
        from dataflow_desktop.pipeline._tessdata import find_tessdata as app_find

        try:
            folder = app_find(languages)
        except DataflowError as exc:
            raise BuildError(f"{exc.user_message} (or pass --tessdata DIR to the build)") from exc
    files = [folder / f"{lang}.traineddata" for lang in languages]
    absent = [f.name for f in files if not f.is_file()]
    if absent:
        raise BuildError(f"{', '.join(absent)} not in {folder}")
    return files


def _hash_tree(digest: Any, root: Path, relative: str) -> None:
    base = root / relative
    paths = [base] if base.is_file() else sorted(base.rglob("*"))
    for path in paths:
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def fingerprint(tessdata: list[Path], onefile: bool) -> str:
    """A hash of everything the bundle is made from (sources, tools, installed packages)."""
    digest = hashlib.sha256()
    for relative in FINGERPRINT_INPUTS:
        _hash_tree(digest, _meta.ROOT, relative)
    for path in tessdata:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    installed = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    digest.update("\n".join([sys.version, sys.platform, str(onefile), *installed]).encode())
    return digest.hexdigest()


def reusable(layout: Layout, stamp: str) -> dict[str, Any] | None:
    """The previous build's info when it was made from the same inputs and is intact."""
    try:
        info: dict[str, Any] = json.loads(layout.info_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if info.get("fingerprint") != stamp or not layout.executable().is_file():
        return None
    if not all(Path(p).is_file() for p in info.get("archives", [])):
        return None
    return info


def stage_inputs(layout: Layout, version: str, tessdata: list[Path]) -> dict[str, Any]:
    """Icons, version files and tessdata in the work folder; returns the spec's config."""
    staging = layout.work / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    icons = _icons.build_icons(staging / "icons")
    say(f"icons: {len(icons.pngs)} PNG sizes, .ico and .icns ({icons.method})")
    version_files = {}
    for name in (_meta.EXE_NAME, _meta.CONSOLE_EXE_NAME):
        path = staging / f"version-{name}.txt"
        path.write_text(_platform.windows_version_file(version, name), encoding="utf-8")
        version_files[name] = str(path)
    tess_dir = staging / "tessdata"
    tess_dir.mkdir()
    copies = []
    for source in tessdata:
        shutil.copyfile(source, tess_dir / source.name)
        copies.append(str(tess_dir / source.name))
    say(f"tessdata: {', '.join(p.name for p in tessdata)} from {tessdata[0].parent}")
    return {
        "version": version,
        "onefile": layout.onefile,
        "icons": {
            "ico": str(icons.ico),
            "icns": str(icons.icns),
            "pngs": {str(k): str(v) for k, v in icons.pngs.items()},
            "svg": str(icons.svg) if icons.svg else None,
            "method": icons.method,
        },
        "version_files": version_files,
        "tessdata": copies,
        "tessdata_source": str(tessdata[0].parent),
        "info_plist": _platform.info_plist(version),
    }


# -- PyInstaller -----------------------------------------------------------------------------


def run_pyinstaller(layout: Layout, config: dict[str, Any], *, clean: bool) -> float:
    """Run PyInstaller on the spec; returns its wall time in seconds."""
    config_file = layout.work / "spec-config.json"
    config_file.write_text(json.dumps(config, indent=2), encoding="utf-8")
    distpath = layout.work / "onefile-out" if layout.onefile else layout.dist
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(distpath), "--workpath", str(layout.work / "work"),
        *(["--clean"] if clean else []),
        str(HERE / "dataflow-desktop.spec"), "--", "--config", str(config_file),
    ]  # fmt: skip
    started = time.monotonic()
    # PyInstaller's own Qt checks start Qt in a child; keep it off any display.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONNOUSERSITE="1")
    done = subprocess.run(command, cwd=_meta.ROOT, env=env, check=False)
    if done.returncode != 0:
        raise BuildError(f"PyInstaller failed with exit code {done.returncode}")
    if layout.onefile:
        # Same layout as one-folder builds: a folder with the executable and extras.
        shutil.rmtree(layout.app_dir, ignore_errors=True)
        layout.app_dir.mkdir(parents=True)
        for item in distpath.iterdir():
            shutil.move(str(item), layout.app_dir / item.name)
    return time.monotonic() - started


# -- checks and figures ----------------------------------------------------------------------


def bundle_files(root: Path) -> list[Path]:
    """Every file of the bundle (symlinks not followed)."""
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def check_bundle(layout: Layout) -> list[str]:
    """Problems with the bundle's contents (empty when it is complete and lean)."""
    if layout.onefile:
        return []  # its contents are inside the executable; the self-test proves them
    internal = layout.internal_dir()
    problems = []
    roots = [internal]
    if sys.platform == "darwin":
        roots.append(layout.app_dir / "Contents" / "Resources")
    for label, relative in REQUIRED.items():
        candidates = {relative.format(qt=qt) for qt in QT_DIRS}
        if not any((root / path).is_file() for root in roots for path in candidates):
            problems.append(f"missing {label}: {relative.format(qt=QT_DIRS[0])}")
    platforms = [
        root / qt / "plugins" / "platforms"
        for root in roots
        for qt in QT_DIRS
        if (root / qt / "plugins" / "platforms").is_dir()
    ]
    present = {p.name.split(".")[0] for folder in platforms for p in folder.iterdir()}
    for name in REQUIRED_PLATFORMS.get(_meta.system_name(), ()):
        if name not in present:
            problems.append(f"missing Qt platform plugin {name}")
    for path in bundle_files(layout.app_dir):
        text = path.relative_to(layout.app_dir).as_posix().lower()
        for label, needle in FORBIDDEN:
            if needle in text:
                problems.append(f"unwanted {label}: {text}")
    return problems


def biggest(root: Path, count: int = 15) -> list[dict[str, Any]]:
    """The largest items: single files, and top-level packages of the internal folder."""
    sizes: dict[str, int] = {}
    for path in bundle_files(root):
        parts = path.relative_to(root).parts
        # Group a package folder (e.g. _internal/PySide6) one level deeper, so the list
        # names PySide6/Qt/lib rather than the whole of _internal.
        depth = 4 if "PySide6" in parts else 2
        key = "/".join(parts[:depth]) if len(parts) > depth else "/".join(parts)
        sizes[key] = sizes.get(key, 0) + path.stat().st_size
    ranked = sorted(sizes.items(), key=lambda item: item[1], reverse=True)[:count]
    return [{"path": key, "bytes": size} for key, size in ranked]


def tree_size(root: Path) -> int:
    """Total bytes of the files under ``root`` (what unpacking it takes)."""
    if root.is_file():
        return root.stat().st_size
    return sum(p.stat().st_size for p in bundle_files(root))


def mib(size: int) -> str:
    """``123.4 MiB``."""
    return f"{size / 1024 / 1024:.1f} MiB"


# -- archives --------------------------------------------------------------------------------


def make_archives(layout: Layout, version: str, config: dict[str, Any]) -> list[Path]:
    """The files users download, for this system."""
    stem = _meta.archive_stem(version) + ("-onefile" if layout.onefile else "")
    system = _meta.system_name()
    if system == "linux":
        return [_platform.make_tar_gz(layout.app_dir, layout.dist / f"{stem}.tar.gz", stem)]
    if system == "macos":
        return _platform.make_macos_archives(layout.app_dir, layout.dist, stem)
    if system == "windows":
        archives = [_platform.make_zip(layout.app_dir, layout.dist / f"{stem}.zip", stem)]
        try:
            ico = Path(config["icons"]["ico"])
            archives.append(
                _platform.make_windows_installer(layout.app_dir, layout.dist, stem, version, ico)
            )
        except FileNotFoundError as exc:
            say(f"no installer: {exc} (install Inno Setup 6 to make one)")
        return archives
    raise BuildError(f"no archive format for {system}")


# -- main ------------------------------------------------------------------------------------


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Run every step; returns what was written to ``build-info.json``."""
    started = time.monotonic()
    check_prerequisites()
    if args.onefile and sys.platform == "darwin":
        raise BuildError("--onefile is not offered on macOS (PyInstaller deprecates it for .app)")
    dist = args.dist / "onefile" if args.onefile else args.dist
    layout = Layout(dist=dist, work=args.work, onefile=args.onefile)
    version = _meta.read_version()
    tessdata = find_tessdata(args.tessdata)
    stamp = fingerprint(tessdata, args.onefile)
    if not args.force and (previous := reusable(layout, stamp)) is not None:
        say(f"up to date: {layout.app_dir} (same inputs; --force rebuilds)")
        previous["reused"] = True
        return previous
    layout.work.mkdir(parents=True, exist_ok=True)
    layout.dist.mkdir(parents=True, exist_ok=True)
    layout.info_file.unlink(missing_ok=True)  # never describe a half-built bundle
    config = stage_inputs(layout, version, tessdata)
    say("PyInstaller ...")
    pyinstaller_seconds = run_pyinstaller(layout, config, clean=args.clean)
    say(f"PyInstaller done in {pyinstaller_seconds:.0f} s")
    if _meta.system_name() == "linux":
        if not layout.onefile:  # a one-file executable is an archive: nothing to strip
            count, saved = _platform.strip_debug_info(layout.internal_dir())
            say(f"debug info stripped from {count} interpreter libraries ({mib(saved)})")
        pngs = {int(k): Path(v) for k, v in config["icons"]["pngs"].items()}
        svg = Path(config["icons"]["svg"]) if config["icons"]["svg"] else None
        _platform.add_linux_files(layout.app_dir, pngs, svg)
    problems = check_bundle(layout)
    if problems:
        raise BuildError("bundle check failed:\n  " + "\n  ".join(problems))
    say("bundle check: complete, nothing unwanted")
    archive_started = time.monotonic()
    archives = [] if args.no_archive else make_archives(layout, version, config)
    archive_seconds = time.monotonic() - archive_started
    console = _meta.CONSOLE_EXE_NAME if sys.platform == "win32" else _meta.EXE_NAME
    info = {
        "version": version,
        "system": _meta.system_name(),
        "arch": _meta.arch_name(),
        "onefile": layout.onefile,
        "fingerprint": stamp,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "pyinstaller": importlib.metadata.version("pyinstaller"),
        "app_dir": str(layout.app_dir),
        "executable": str(layout.executable()),
        "console_executable": str(layout.executable(console)),
        "archives": [str(p) for p in archives],
        "archive_bytes": {p.name: p.stat().st_size for p in archives},
        "unpacked_bytes": tree_size(layout.app_dir),
        "file_count": len(bundle_files(layout.app_dir)),
        "biggest": biggest(layout.app_dir),
        "icons": config["icons"]["method"],
        "tessdata_source": config["tessdata_source"],
        "seconds": {
            "pyinstaller": round(pyinstaller_seconds, 1),
            "archives": round(archive_seconds, 1),
            "total": round(time.monotonic() - started, 1),
        },
        "reused": False,
    }
    layout.info_file.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def summary(info: dict[str, Any]) -> str:
    """The human-readable result of a build."""
    lines = [
        f"DataFlow Desktop {info['version']} for {info['system']}-{info['arch']}"
        + (" (one file)" if info["onefile"] else ""),
        f"  executable: {info['executable']}",
        f"  unpacked:   {mib(info['unpacked_bytes'])} in {info['file_count']} files",
    ]
    for name, size in info["archive_bytes"].items():
        lines.append(f"  archive:    {name} {mib(size)}")
    seconds = info["seconds"]
    lines.append(
        f"  time:       {seconds['total']:.0f} s (PyInstaller {seconds['pyinstaller']:.0f} s, "
        f"archives {seconds['archives']:.0f} s)"
    )
    lines.append("  biggest items:")
    lines += [f"    {mib(item['bytes']):>10}  {item['path']}" for item in info["biggest"]]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--onefile", action="store_true", help="one executable, not a folder")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--no-archive", action="store_true", help="skip the archives")
    parser.add_argument("--tessdata", type=Path, help="folder with eng/fra .traineddata")
    parser.add_argument("--dist", type=Path, default=_meta.ROOT / "dist")
    parser.add_argument("--work", type=Path, default=_meta.ROOT / "build" / "pyinstaller")
    parser.add_argument("--json", action="store_true", help="print build-info.json at the end")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build, print the summary; 0 on success, 1 with a message otherwise."""
    args = parse_args(argv)
    try:
        info = build(args)
    except BuildError as exc:
        sys.stderr.write(f"build failed: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(info, indent=2) + "\n" if args.json else summary(info) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
