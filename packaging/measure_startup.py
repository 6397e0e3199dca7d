"""Time from launch to the main window on screen, frozen app versus source, under Xvfb.

    python packaging/measure_startup.py [--runs 5] [--cold]

Each run starts a private Xvfb, launches the app's ``--selftest`` (which opens the
window through the same code as a normal start) with the xcb platform, and polls the X
server with ``xdotool`` every 20 ms until a visible window named "DataFlow Desktop"
exists; the app is then stopped (its whole process group: engine and workers too).
The window-shown line the self-test prints (seconds since the process started, read
from ``/proc``) is recorded beside it. ``--cold`` drops the page cache before each run
(root only), so libraries are read from disk as on a first launch after boot.

Prints a table and writes ``dist/startup.json``. Needs Xvfb and xdotool
(``apt-get install xvfb xdotool``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WINDOW_NAME = "DataFlow Desktop"
POLL_SECONDS = 0.02
TIMEOUT = 60.0
SHOWN = re.compile(r"main window shown: ([0-9.]+) s after process start")


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb server and its display name."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise SystemExit("Xvfb did not start")
    return server, f":{number}"


def drop_caches() -> bool:
    """Empty the page cache (root only); returns whether it worked."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def window_visible(display: str) -> bool:
    """Whether a visible top-level window named like the app exists."""
    done = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", WINDOW_NAME],
        env=dict(os.environ, DISPLAY=display),
        capture_output=True,
        check=False,
    )
    return done.returncode == 0 and bool(done.stdout.strip())


def measure(command: list[str], display: str, *, cold: bool) -> dict[str, Any]:
    """One launch: seconds to a visible window (``None`` on timeout)."""
    dropped = drop_caches() if cold else False
    home = Path(tempfile.mkdtemp(prefix="dataflow-startup-"))
    env = dict(
        os.environ,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        DATAFLOW_HOME=str(home / "data"),
        DATAFLOW_CONFIG_DIR=str(home / "config"),
        TMPDIR=str(home),  # the self-test's own scratch folder, removed with ours
    )
    out = home / "stdout.txt"
    with out.open("wb") as sink:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.DEVNULL, start_new_session=True
        )
        seconds = None
        while time.perf_counter() - started < TIMEOUT:
            if window_visible(display):
                seconds = time.perf_counter() - started
                break
            time.sleep(POLL_SECONDS)
        # Let the self-test print its window-shown line (it checks exposure every 50 ms).
        deadline = time.perf_counter() + 5.0
        while not SHOWN.search(out.read_text(errors="replace")) and time.perf_counter() < deadline:
            time.sleep(POLL_SECONDS)
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(15)
    match = SHOWN.search(out.read_text(errors="replace"))
    shutil.rmtree(home, ignore_errors=True)
    return {
        "seconds": seconds,
        "reported": float(match.group(1)) if match else None,
        "cold": dropped,
    }


def commands(dist: Path) -> dict[str, list[str]]:
    """What is launched: the frozen executable and the same entry point from source."""
    info = json.loads((dist / "build-info.json").read_text(encoding="utf-8"))
    return {
        "frozen": [info["executable"], "--selftest"],
        "source": [sys.executable, "-m", "dataflow_desktop", "--selftest"],
    }


def main(argv: list[str] | None = None) -> int:
    """Measure every variant ``--runs`` times, print medians, write ``dist/startup.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before runs")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb xdotool")
    server, display = start_xvfb()
    results: dict[str, list[dict[str, Any]]] = {}
    try:
        for name, command in commands(args.dist).items():
            measure(command, display, cold=False)  # one unmeasured run: same state for both
            results[name] = [measure(command, display, cold=args.cold) for _ in range(args.runs)]
    finally:
        server.terminate()
        server.wait(10)
    summary: dict[str, Any] = {"runs": args.runs, "cold": args.cold, "load": os.getloadavg()}
    for name, runs in results.items():
        seen = [r["seconds"] for r in runs if r["seconds"] is not None]
        reported = [r["reported"] for r in runs if r["reported"] is not None]
        summary[name] = {
            "median_s": round(statistics.median(seen), 2) if seen else None,
            "min_s": round(min(seen), 2) if seen else None,
            "max_s": round(max(seen), 2) if seen else None,
            "reported_median_s": round(statistics.median(reported), 2) if reported else None,
            "runs": runs,
        }
        sys.stdout.write(
            f"{name:>7}: window visible after median {summary[name]['median_s']} s "
            f"(min {summary[name]['min_s']}, max {summary[name]['max_s']}; app says "
            f"{summary[name]['reported_median_s']} s) over {len(seen)} runs\n"
        )
    (args.dist / "startup.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
