"""The frozen Linux app: built once (or reused), then run as a user would run it.

Marked ``packaging``: one PyInstaller build (about 1-2 min on an idle 2-core machine,
reused while the inputs are unchanged) and two self-tests of about 20 s each. Run by
the normal test command; ``-m "not packaging"`` skips them.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
import smoke

pytest_plugins = ["fixtures.servers"]
pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1800)]

SIZE_BUDGET = 250 * 1024 * 1024  # unpacked Linux bundle, bytes


def _executable(info: dict[str, Any]) -> Path:
    return Path(info["console_executable"])


def _assert_clean(result: smoke.RunResult) -> None:
    assert result.ok, (
        f"exit {result.returncode}; unexpected stderr {result.unexpected}\n"
        f"stdout:\n{result.stdout[-6000:]}\nstderr:\n{result.stderr[-3000:]}"
    )


def test_version(frozen_bundle: dict[str, Any]) -> None:
    result = smoke.check_version(_executable(frozen_bundle), frozen_bundle["version"])
    _assert_clean(result)


def test_selftest_offscreen(frozen_bundle: dict[str, Any]) -> None:
    """What CI runs: no display, no keyring (the keyring check is skipped with a note)."""
    env = smoke.selftest_env("offscreen")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # a developer's desktop keyring stays out
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = smoke.run_frozen(_executable(frozen_bundle), ["--selftest"], env=env)
    _assert_clean(result)
    assert "selftest: OK" in result.stdout
    assert "platform offscreen" in result.stdout
    assert "selftest: note  keyring check skipped" in result.stdout


def test_selftest_in_a_window_with_a_keyring(
    frozen_bundle: dict[str, Any],
    xvfb_display: str,
    _secret_service_daemons: Any,  # noqa: PT019 -- its value (the bus address) is used
) -> None:
    """A real X server (the xcb plugin and its libraries) and a Secret Service keyring."""
    env = smoke.selftest_env("xcb")
    env["DISPLAY"] = xvfb_display
    env["DBUS_SESSION_BUS_ADDRESS"] = _secret_service_daemons.bus_address
    env.pop("PYTHON_KEYRING_BACKEND", None)
    result = smoke.run_frozen(_executable(frozen_bundle), ["--selftest"], env=env)
    _assert_clean(result)
    assert "platform xcb" in result.stdout
    assert "keyring round trip (set, get, delete): keyring.backends.SecretService" in (
        result.stdout
    )


def test_size_budget(frozen_bundle: dict[str, Any]) -> None:
    biggest = "\n".join(
        f"{i['bytes'] / 2**20:7.1f} MiB {i['path']}" for i in frozen_bundle["biggest"]
    )
    assert frozen_bundle["unpacked_bytes"] < SIZE_BUDGET, biggest


def test_archive_holds_the_app_and_its_launcher(frozen_bundle: dict[str, Any]) -> None:
    [archive] = [Path(p) for p in frozen_bundle["archives"]]
    assert archive.name == f"dataflow-desktop-{frozen_bundle['version']}-linux-x86_64.tar.gz"
    top = archive.name.removesuffix(".tar.gz")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        members = {m.name: m for m in tar.getmembers()}
    for expected in (
        "dataflow-desktop",
        "install.sh",
        "share/applications/dataflow-desktop.desktop",
        "share/icons/hicolor/256x256/apps/dataflow-desktop.png",
        "share/icons/hicolor/scalable/apps/dataflow-desktop.svg",
        "_internal/dataflow_desktop/resources/tessdata/fra.traineddata",
    ):
        assert f"{top}/{expected}" in names
    assert members[f"{top}/dataflow-desktop"].mode & 0o111
    assert {m.uid for m in members.values()} == {0}


def test_launcher_declares_pdf(frozen_bundle: dict[str, Any]) -> None:
    desktop = Path(frozen_bundle["app_dir"]) / "share/applications/dataflow-desktop.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["MimeType"] == "application/pdf;"
    assert section["Exec"] == "dataflow-desktop %F"
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_install_script_installs_and_removes(frozen_bundle: dict[str, Any], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    installer = Path(frozen_bundle["app_dir"]) / "install.sh"
    done = subprocess.run(
        [str(installer)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    command = home / ".local/bin/dataflow-desktop"
    desktop = home / ".local/share/applications/dataflow-desktop.desktop"
    icon = home / ".local/share/icons/hicolor/48x48/apps/dataflow-desktop.png"
    assert command.is_symlink()
    assert icon.is_file()
    assert f'Exec="{home}/.local/opt/dataflow-desktop/dataflow-desktop" %F' in desktop.read_text()
    version = subprocess.run(
        [str(command), "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    assert version.stdout.strip() == f"dataflow-desktop {frozen_bundle['version']}"
    # The same executable started as `dataflow` is the headless CLI.
    cli = home / ".local/bin/dataflow"
    jobs = subprocess.run(
        [str(cli), "jobs", "--json"],
        env={**env, "DATAFLOW_HOME": str(tmp_path / "data")},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert jobs.returncode == 0, jobs.stdout + jobs.stderr
    assert jobs.stderr == ""

    done = subprocess.run(
        [str(home / ".local/opt/dataflow-desktop/install.sh"), "--uninstall"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert not command.exists()
    assert not cli.exists()
    assert not desktop.exists()
    assert not icon.exists()
    assert not (home / ".local/opt/dataflow-desktop").exists()
