"""What the frozen app is called, what goes into it and what is left out.

Shared by ``build.py``, the PyInstaller spec, the Qt hook in ``hooks/`` and the
packaging tests, so a name or an exclusion is decided in one place. No imports beyond
the standard library: the spec imports this inside PyInstaller's own process.

This folder is deliberately not a Python package (no ``__init__.py``): a regular
``packaging`` package on ``sys.path`` would shadow the PyPI ``packaging`` library that
pip and PyInstaller import. Scripts here put their own folder on ``sys.path``.
"""

from __future__ import annotations

import ast
import platform
import re
import sys
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PACKAGE = "dataflow_desktop"

APP_NAME = "DataFlow Desktop"
EXE_NAME = "dataflow-desktop"  # GUI executable (and the one on Linux/macOS)
CONSOLE_EXE_NAME = "dataflow"  # the CLI: a console twin on Windows, a symlink on Linux
APP_ID = "dataflow-desktop"  # .desktop file name, icon name, Qt desktopFileName
BUNDLE_ID = "org.dataflow.desktop"
ORGANIZATION = "DataFlow"
DESCRIPTION = "Local-first PDF data extraction: text, tables, images, OCR and reports"
LICENSE_NAME = "AGPL-3.0-or-later"
# A fixed AppId keeps Windows upgrades in place (Inno Setup matches installs by it).
INNO_APP_ID = "{{6B1F3C52-8E0D-4D7A-9C41-3F2A0E5D7B19}"

# Tesseract languages bundled for OCR (the default ``ocr_languages`` is ``eng+fra``).
# ``osd`` is not shipped: only the external ``tesseract`` program uses it, and the
# bundle's own engine (MuPDF's built-in Tesseract) never does.
TESSDATA_LANGUAGES = ("eng", "fra")

# Interface languages (ui/i18n.py SUPPORTED; a test keeps the two equal). Qt's own
# ``qtbase_*.qm`` files are kept for these only.
UI_LANGUAGES = ("en", "fr")

# Python modules never bundled. pymupdf.layout / pymupdf4llm / onnxruntime / numpy are
# installed by the ``bench`` extra but unused by the app (RECIPES.md §7: 312 vs 446 MB).
# The Temporal worker and client (``orchestration.temporal``, temporalio: ~40 MB) run on
# servers installed with the ``temporal`` extra; the CLI in the bundle then reports
# Temporal as unavailable (orchestration.temporal_available()).
EXCLUDED_MODULES = (
    "tkinter",
    "_tkinter",
    "numpy",
    "onnxruntime",
    "networkx",
    "pandas",
    "matplotlib",
    "scipy",
    "cv2",
    "pymupdf.layout",
    "pymupdf4llm",
    "temporalio",
    f"{PACKAGE}.orchestration.temporal",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtVirtualKeyboard",
    # pydantic (a supabase dependency) ships a mypy plugin, which drags in mypy itself.
    "mypy",
    "pydantic.mypy",
    "pydantic.v1.mypy",
    "ast_serialize",
    "librt",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "IPython",
)

# Qt plugins, by "<type>/<file stem>" (without the "lib" prefix on Linux/macOS or the
# "q"-less spelling differences: matched on the stem as shipped). Whole plugin types
# that are dropped, and single plugins that are dropped, with the reason:
DROPPED_PLUGIN_TYPES = {
    # evdev/tuio input and EGL device integrations serve eglfs/linuxfb (embedded).
    "generic": "embedded-only input plugins",
    "egldeviceintegrations": "only used by the eglfs platform",
}
DROPPED_PLUGINS = {
    # Links the host's libgtk-3 into the bundle (RECIPES.md §7): non-portable, and the
    # Fusion-based theme of ui/theme.py does not need it.
    "platformthemes/qgtk3": "pulls the host's GTK 3 into the bundle",
    "platforms/qeglfs": "embedded (no window system)",
    "platforms/qlinuxfb": "embedded (no window system)",
    "platforms/qminimalegl": "embedded (no window system)",
    "platforms/qvnc": "remote VNC server platform",
    "platforms/qvkkhrdisplay": "Vulkan display platform (embedded)",
    "platforminputcontexts/qtvirtualkeyboardplugin": "pulls Qt Quick/QML/VirtualKeyboard",
    "imageformats/qpdf": "pulls QtPdf (pages are rendered by PyMuPDF)",
}


def plugin_key(dest_dir: str, filename: str) -> tuple[str, str]:
    """``(plugin type, normalised stem)`` for a plugin collected to ``dest_dir``.

    ``dest_dir`` is the bundle folder (``PySide6/Qt/plugins/platforms``); the stem drops
    the ``lib`` prefix and the extension so one rule serves ``libqgtk3.so``,
    ``libqgtk3.dylib`` and ``qgtk3.dll``.
    """
    parts = PurePosixPath(dest_dir.replace("\\", "/")).parts
    kind = "/".join(parts[parts.index("plugins") + 1 :]) if "plugins" in parts else ""
    stem = filename.split(".", 1)[0]
    stem = stem.removeprefix("lib")
    return kind, stem


def keep_plugin(dest_dir: str, filename: str) -> bool:
    """Whether the Qt plugin ``filename`` collected to ``dest_dir`` goes into the bundle."""
    kind, stem = plugin_key(dest_dir, filename)
    if kind.split("/", 1)[0] in DROPPED_PLUGIN_TYPES:
        return False
    return f"{kind}/{stem}" not in DROPPED_PLUGINS


# botocore ships the API models of ~450 AWS services (19 MB); the app talks to S3 only.
# sts/sso/sso-oidc/signin stay for the credential providers (assume-role, SSO, login).
AWS_SERVICES = ("s3", "sts", "sso", "sso-oidc", "signin")

_QT_TRANSLATION = re.compile(r"^(qt|qtbase|qtmultimedia|qtconnectivity)_(?P<lang>[a-z]{2})")


def keep_data(dest: str) -> bool:
    """Whether a data file collected at bundle path ``dest`` goes into the bundle.

    Drops Qt translations of languages the interface does not offer, AWS service models
    the app never calls, and source-only files (tests, type stubs, pymupdf's C headers).
    """
    path = PurePosixPath(dest.replace("\\", "/"))
    if path.parts[:2] in (("botocore", "data"), ("boto3", "data")) and len(path.parts) > 3:
        return path.parts[2] in AWS_SERVICES
    if "translations" in path.parts and path.suffix == ".qm" and "PySide6" in path.parts:
        match = _QT_TRANSLATION.match(path.name)
        return match is not None and match.group("lang") in UI_LANGUAGES
    if path.parts[:2] == ("pymupdf", "mupdf-devel"):
        return False
    return not ({"tests", "__pycache__"} & set(path.parts) or path.suffix == ".pyi")


def keep_module(name: str) -> bool:
    """Filter for ``collect_submodules("dataflow_desktop")``."""
    return not any(name == ex or name.startswith(ex + ".") for ex in EXCLUDED_MODULES)


def read_version() -> str:
    """``dataflow_desktop.__version__``, read from source without importing the package."""
    tree = ast.parse((ROOT / PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise RuntimeError(f"no __version__ in {PACKAGE}/__init__.py")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows version resources want (``0.2.0rc1`` -> ``(0, 2, 0, 0)``)."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(n) for n in release.group(0).split(".")] if release else []
    numbers = [*numbers, 0, 0, 0, 0][:4]
    return numbers[0], numbers[1], numbers[2], numbers[3]


def system_name() -> str:
    """``linux``, ``macos`` or ``windows`` (archive names, build-info)."""
    # A lookup rather than `if sys.platform == ...`: type checkers treat those as constant.
    names = {"darwin": "macos", "win32": "windows"}
    return names.get(sys.platform, "linux" if sys.platform.startswith("linux") else sys.platform)


def arch_name() -> str:
    """The machine architecture, spelled the way archive names usually do."""
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def archive_stem(version: str) -> str:
    """``dataflow-desktop-0.1.0-linux-x86_64``."""
    return f"{APP_ID}-{version}-{system_name()}-{arch_name()}"


__all__ = [
    "APP_ID",
    "APP_NAME",
    "BUNDLE_ID",
    "CONSOLE_EXE_NAME",
    "EXCLUDED_MODULES",
    "EXE_NAME",
    "PACKAGE",
    "ROOT",
    "TESSDATA_LANGUAGES",
    "UI_LANGUAGES",
    "archive_stem",
    "keep_data",
    "keep_module",
    "keep_plugin",
    "read_version",
    "system_name",
    "version_tuple",
]
