"""Smoke test of a built bundle: ``python packaging/smoke.py [--platform offscreen]``.

Runs the frozen executable's ``--version`` and ``--selftest`` and fails on a non-zero
exit, a missing ``selftest: OK`` line, or any stderr line that is not in
``stderr-allowlist.txt`` (qutebrowser's ``build_release.py`` does the same). The
workflow and ``tests/packaging/test_bundle.py`` both use it, so "smoke-tested" means the
same thing on CI and here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALLOWLIST = HERE / "stderr-allowlist.txt"
DEFAULT_DIST = HERE.parent / "dist"


@dataclass
class RunResult:
    """One run of the frozen executable.

    Attributes:
        command: what was run.
        returncode: its exit code.
        stdout: its standard output.
        stderr: its standard error.
        unexpected: stderr lines not matched by the allow-list.
    """

    command: list[str]
    returncode: int
    stdout: str
    stderr: str
    unexpected: list[str]

    @property
    def ok(self) -> bool:
        """Exit code 0 and nothing unexpected on stderr."""
        return self.returncode == 0 and not self.unexpected


def load_allowlist(path: Path = ALLOWLIST) -> list[re.Pattern[str]]:
    """The allow-list: one regular expression per line; ``#`` starts a comment."""
    patterns = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            patterns.append(re.compile(line))
    return patterns


def unexpected_lines(stderr: str, allow: list[re.Pattern[str]]) -> list[str]:
    """Non-blank stderr lines that no allow-list pattern matches."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.search(line) for p in allow)
    ]


def load_build_info(dist: Path) -> dict[str, object]:
    """``build-info.json`` written by ``build.py``."""
    info: dict[str, object] = json.loads((dist / "build-info.json").read_text(encoding="utf-8"))
    return info


def run_frozen(
    executable: Path,
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 600.0,
    allow: list[re.Pattern[str]] | None = None,
) -> RunResult:
    """Run the executable with ``args``; stdin is closed, output captured."""
    command = [str(executable), *args]
    done = subprocess.run(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )
    allowed = load_allowlist() if allow is None else allow
    return RunResult(
        command, done.returncode, done.stdout, done.stderr, unexpected_lines(done.stderr, allowed)
    )


def selftest_env(platform: str | None, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a self-test run on ``platform`` (``None``: the default one)."""
    env = dict(os.environ if base is None else base)
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    else:
        env.pop("QT_QPA_PLATFORM", None)
    return env


def check_version(executable: Path, version: str) -> RunResult:
    """``--version`` prints ``dataflow-desktop <version>``."""
    result = run_frozen(executable, ["--version"], timeout=120)
    if result.stdout.strip() != f"dataflow-desktop {version}":
        result.unexpected.append(f"--version printed {result.stdout.strip()!r}")
    return result


def check_selftest(executable: Path, platform: str | None, *, timeout: float = 600.0) -> RunResult:
    """``--selftest`` exits 0 with ``selftest: OK`` and a clean stderr."""
    result = run_frozen(executable, ["--selftest"], env=selftest_env(platform), timeout=timeout)
    if result.returncode == 0 and "selftest: OK" not in result.stdout:
        result.unexpected.append("no 'selftest: OK' line on stdout")
    return result


def _report(name: str, result: RunResult) -> None:
    sys.stdout.write(f"== {name}: exit {result.returncode}\n{result.stdout}")
    for line in result.unexpected:
        sys.stdout.write(f"UNEXPECTED STDERR: {line}\n")
    sys.stdout.write(f"== {name}: {'passed' if result.ok else 'FAILED'}\n")


def main(argv: list[str] | None = None) -> int:
    """Smoke-test the bundle described by ``build-info.json``; 0 when it passed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST)
    parser.add_argument(
        "--platform", help="QT_QPA_PLATFORM for the self-test (default: the system's own)"
    )
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    info = load_build_info(args.dist)
    executable = Path(str(info["console_executable"]))
    results = {
        "--version": check_version(executable, str(info["version"])),
        "--selftest": check_selftest(executable, args.platform, timeout=args.timeout),
    }
    for name, result in results.items():
        _report(name, result)
    return 0 if all(r.ok for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
