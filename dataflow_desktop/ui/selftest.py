"""``dataflow-desktop --selftest``: prove this installation works, end to end.

Run by the packaging smoke test on every frozen build (STYLE.md §7) and usable by
anyone who doubts an install. In a throwaway data folder it:

1. opens the main window (offscreen unless ``QT_QPA_PLATFORM`` says otherwise) and
   checks what Qt loaded: platform plugin, image formats, translations, icon;
2. makes three PDFs: a copy of the bundled sample invoice, an image-only page of known
   text (so the OCR step runs) and an AES-256 encrypted copy of the sample;
3. processes them through the real job engine (``JobService`` in its own process, the
   spawn process pool beneath it) with the password of the encrypted one;
4. checks the outputs: ``result.json`` and ``progress.json`` valid against their JSON
   Schemas, ``bundle.zip`` matching its manifest, the OCR text holding the known words,
   the encrypted copy giving the sample's text; and that the window lists the jobs;
5. stores, reads and deletes a throwaway secret when a secure keyring is available
   (skipped, with a note, when none is).

Each check prints one ``selftest:`` line on stdout; the exit code is 0 only when every
check passed. In a frozen app, OCR is pointed at the bundle's own Tesseract data and
uses MuPDF's built-in engine, so it proves what ships rather than what the machine
happens to have installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .. import __version__

if TYPE_CHECKING:
    from .engine import EngineClient
    from .main_window import MainWindowWidget

log = logging.getLogger(__name__)

PASSWORD = "selftest-Passw0rd"
OCR_LINES = (
    "DataFlow self-test scan",
    "Invoice number 4711",
    "Total amount 1234.56 EUR",
    "Facture payée le 15 janvier",
)
OCR_WORDS = ("dataflow", "self-test", "invoice", "4711", "1234.56", "facture", "janvier")
SAMPLE_WORDS = ("FACTURE", "FA-2026-0042", "Total TTC")
# The bundle's own engine: MuPDF's built-in Tesseract needs nothing but the language
# data shipped in resources/tessdata (the external ``tesseract`` program is optional).
OCR_ENGINE: Final = "mupdf"
TERMINAL = frozenset({"success", "failed", "cancelled"})
KEYRING_TIMEOUT = 30.0


class Report:
    """Collects check results and prints each as it comes (thread-safe)."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed = 0
        self._lock = threading.Lock()

    def _line(self, tag: str, text: str) -> None:
        with self._lock:
            sys.stdout.write(f"selftest: {tag:<5} {text}\n")
            sys.stdout.flush()

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        """Record one check; returns ``ok``."""
        text = f"{name}: {detail}" if detail else name
        with self._lock:
            if ok:
                self.passed += 1
            else:
                self.failures.append(text)
        self._line("ok" if ok else "FAIL", text)
        return ok

    def note(self, text: str) -> None:
        """Information that is neither a pass nor a failure."""
        self._line("note", text)


def process_age() -> float | None:
    """Seconds since this process started (Linux), for the window-shown figure."""
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _prepare_environment(home: Path, report: Report) -> None:
    """Point the app at the throwaway folder before any setting is read."""
    os.environ["DATAFLOW_HOME"] = str(home / "data")
    os.environ["DATAFLOW_CONFIG_DIR"] = str(home / "config")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DATAFLOW_WORKERS", "2")  # bounded on big machines too
    if getattr(sys, "frozen", False):
        bundled = resources.files("dataflow_desktop").joinpath("resources", "tessdata")
        have = all(bundled.joinpath(f"{lang}.traineddata").is_file() for lang in ("eng", "fra"))
        report.check("bundled tessdata (eng, fra)", have, str(bundled))
        if have and isinstance(bundled, Path):
            os.environ.setdefault("TESSDATA_PREFIX", str(bundled))


# -- sample PDFs --------------------------------------------------------------------------------


def make_samples(folder: Path) -> dict[str, tuple[Path, str | None]]:
    """The three input PDFs: ``{name: (path, password)}``."""
    import pymupdf

    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "facture-exemple.pdf"
    node = resources.files("dataflow_desktop").joinpath(
        "resources", "samples", "facture-exemple.pdf"
    )
    sample.write_bytes(node.read_bytes())

    scan = folder / "scan-ocr.pdf"
    with pymupdf.open() as text_doc:
        page = text_doc.new_page(width=595, height=842)
        for i, line in enumerate(OCR_LINES):
            page.insert_text((72, 140 + i * 48), line, fontsize=24, fontname="helv")
        pixmap = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    with pymupdf.open() as image_doc:
        image_page = image_doc.new_page(width=595, height=842)
        image_page.insert_image(image_page.rect, pixmap=pixmap)  # no text layer at all
        image_doc.save(scan, deflate=True, garbage=3)

    encrypted = folder / "facture-chiffree.pdf"
    with pymupdf.open(sample) as doc:
        doc.save(
            encrypted,
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            user_pw=PASSWORD,
            owner_pw=PASSWORD + "-owner",
        )
    return {"sample": (sample, None), "ocr": (scan, None), "encrypted": (encrypted, PASSWORD)}


# -- checks off the GUI thread ------------------------------------------------------------------


def _validator(name: str) -> Any:
    # jsonschema ships no type hints (types-jsonschema is not a dependency).
    import jsonschema  # type: ignore[import-untyped]

    from ..pipeline.schemas import load_schema

    schema = load_schema(name)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator: Any, doc: Any) -> str:
    found = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in found[:3])


def check_outputs(service: EngineClient, name: str, job_id: str, report: Report) -> Any:
    """Validate one finished job's files; returns its result.json document."""
    from ..pipeline.bundle import verify_bundle

    paths = service.call("output_paths", job_id)
    wanted = ("result", "markdown", "report", "bundle")
    missing = [k for k in wanted if not Path(paths.get(k, "")).is_file()]
    report.check(f"{name}: output files", not missing, f"missing {missing}" if missing else "")
    result = json.loads(Path(paths["result"]).read_text(encoding="utf-8"))
    problems = _errors(_validator("result.schema.json"), result)
    if isinstance(result.get("analysis"), dict):
        problems += _errors(_validator("analysis.schema.json"), result["analysis"])
    report.check(f"{name}: result.json valid against its schema", not problems, problems)
    progress = service.progress(job_id)
    problems = _errors(_validator("progress.schema.json"), progress)
    report.check(f"{name}: progress.json valid, status success",
                 not problems and progress is not None and progress["status"] == "success",
                 problems)  # fmt: skip
    manifest = verify_bundle(paths["bundle"])
    report.check(f"{name}: bundle.zip matches its manifest", True,
                 f"{len(manifest['files'])} files")  # fmt: skip
    return result


def _page_text(result: Any) -> str:
    return "\n".join(page.get("text", "") for page in result["pages"])


def run_jobs(service: EngineClient, folder: Path, report: Report, timeout: float) -> list[str]:
    """Process the three samples through the engine and check everything they produced."""
    from ..pipeline.bundle import BundleError

    samples = make_samples(folder)
    report.check("sample PDFs made (plain, image-only, AES-256 encrypted)", True, str(folder))
    options = dataclasses.replace(service.default_options(), ocr_engine=OCR_ENGINE)
    ids: dict[str, str] = {}
    for name, (path, password) in samples.items():
        [submission] = service.submit([path], password=password, options=options, force=True)
        if not report.check(f"{name}: submitted", submission.status == "queued",
                            str(submission.error or submission.status)):  # fmt: skip
            continue
        ids[name] = str(submission.job_id)
    started = time.monotonic()
    pending = dict(ids)
    while pending and time.monotonic() - started < timeout:
        for name, job_id in list(pending.items()):
            job = service.get(job_id)
            if job.status in TERMINAL:
                del pending[name]
                detail = f"{job.status} in {time.monotonic() - started:.1f} s"
                if job.error_code:
                    detail += f" ({job.error_code}: {job.error_message})"
                report.check(f"{name}: job ended", job.status == "success", detail)
        time.sleep(0.2)
    for name in pending:
        report.check(f"{name}: job ended", False, f"still running after {timeout:.0f} s")
    results: dict[str, Any] = {}
    for name, job_id in ids.items():
        if name in pending or service.get(job_id).status != "success":
            continue
        try:
            results[name] = check_outputs(service, name, job_id, report)
        except (OSError, ValueError, KeyError, ImportError, BundleError) as exc:
            report.check(f"{name}: outputs readable", False, f"{type(exc).__name__}: {exc}")
    _check_texts(results, report)
    return [ids[name] for name in ids if name not in pending]


def _check_texts(results: dict[str, Any], report: Report) -> None:
    if "sample" in results:
        text = _page_text(results["sample"])
        absent = [w for w in SAMPLE_WORDS if w not in text]
        report.check("sample: extracted text", not absent, f"missing {absent}" if absent else "")
    if "ocr" in results:
        page = results["ocr"]["pages"][0]
        text = page.get("text", "").lower()
        absent = [w for w in OCR_WORDS if w not in text]
        report.check("ocr: page recognised by OCR", page.get("text_source") == "ocr",
                     f"text_source={page.get('text_source')}")  # fmt: skip
        report.check("ocr: known words found", not absent,
                     f"missing {absent} in {text[:120]!r}" if absent else "")  # fmt: skip
    if "encrypted" in results and "sample" in results:
        doc = results["encrypted"]
        report.check("encrypted: opened with its password",
                     doc["document"]["encrypted"] is True
                     and _page_text(doc) == _page_text(results["sample"]),
                     "text identical to the plain sample")  # fmt: skip


def check_keyring(report: Report) -> None:
    """Store, read and delete a throwaway secret, or say why it was skipped."""
    from ..sync import credentials

    status = credentials.keyring_status()
    if not status.secure:
        report.note(f"keyring check skipped: {status.reason} ({status.backend})")
        return
    profile = f"selftest-{secrets.token_hex(4)}"
    secret = secrets.token_urlsafe(18)
    outcome: dict[str, Any] = {}

    def round_trip() -> None:
        try:
            credentials.set_secret(profile, credentials.SecretKind.LLM, secret)
            try:
                outcome["read"] = credentials.get_secret(profile, credentials.SecretKind.LLM)
            finally:
                credentials.delete_secret(profile, credentials.SecretKind.LLM)
            outcome["after"] = credentials.get_secret(profile, credentials.SecretKind.LLM)
        except credentials.CredentialsError as exc:
            outcome["error"] = exc.user_message

    # A locked keyring may wait for an unlock prompt; never hang the self-test on it.
    worker = threading.Thread(target=round_trip, name="selftest-keyring", daemon=True)
    worker.start()
    worker.join(KEYRING_TIMEOUT)
    if worker.is_alive():
        report.check("keyring round trip", False, f"no answer in {KEYRING_TIMEOUT:.0f} s")
    elif "error" in outcome:
        report.check("keyring round trip", False, outcome["error"])
    else:
        ok = outcome.get("read") == secret and outcome.get("after") is None
        report.check("keyring round trip (set, get, delete)", ok, status.backend)


def check_spawn(report: Report) -> None:
    """Worker processes are started from this very executable (the frozen one, if frozen)."""
    from multiprocessing import spawn

    executable = os.fsdecode(spawn.get_executable())  # bytes on POSIX
    same = Path(executable).resolve() == Path(sys.executable).resolve()
    report.check("worker processes start from this executable", same, executable)


def check_cli(report: Report) -> None:
    """The command line (``dataflow``) and every sub-command module import."""
    from ..cli import build_parser

    usage = build_parser().format_help()
    wanted = ("process", "jobs", "show", "export", "search")
    missing = [name for name in wanted if name not in usage]
    report.check("command line (dataflow)", not missing, f"missing {missing}" if missing else "")


def check_s3_client(report: Report) -> None:
    """The S3 client builds from the bundled service model (no network is used)."""
    import boto3

    client = boto3.session.Session().client(
        "s3", endpoint_url="http://127.0.0.1:9", region_name="us-east-1",
        aws_access_key_id="selftest", aws_secret_access_key="selftest",
    )  # fmt: skip
    operations = client.meta.service_model.operation_names
    report.check("S3 client model", "PutObject" in operations, f"{len(operations)} operations")


# -- the window (GUI thread) --------------------------------------------------------------------


def check_qt(app: Any, report: Report) -> None:
    """Platform plugin, image formats, translations and icon that Qt loaded."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QGuiApplication, QImageReader

    from ._resources import translation_file

    formats = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    report.check("Qt platform plugin", bool(QGuiApplication.platformName()),
                 QGuiApplication.platformName())  # fmt: skip
    report.check(
        "Qt image formats", {"png", "jpg", "ico", "svg"} <= set(formats), " ".join(formats)
    )
    ours = translation_file("fr")
    report.check("app translation (fr)", ours is not None and QTranslator().load(str(ours)))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    report.check("Qt translation (qtbase fr)",
                 QTranslator().load(QLocale("fr"), "qtbase", "_", qt_dir), qt_dir)  # fmt: skip
    report.check("application icon", not app.windowIcon().isNull())


def _wait_until(
    condition: Callable[[], bool], timeout: float, then: Callable[[bool], None]
) -> None:
    """Poll ``condition`` on the GUI thread every 50 ms; call ``then(met)``."""
    from PySide6.QtCore import QTimer

    deadline = time.monotonic() + timeout

    def poll() -> None:
        if condition():
            then(True)
        elif time.monotonic() > deadline:
            then(False)
        else:
            QTimer.singleShot(50, poll)

    poll()


def _listed(window: MainWindowWidget, ids: list[str]) -> bool:
    rows = [window.model.job(job_id) for job_id in ids]
    return bool(ids) and all(row is not None and row.status == "success" for row in rows)


def run(args: argparse.Namespace, home: Path, report: Report, started: float) -> None:
    """Open the window, run the job checks on a thread, quit when they are done."""
    from PySide6.QtCore import QObject, QTimer, Signal

    from ..config import load_settings
    from .app import UiContext, create_application, route_qt_messages, setup_logging
    from .engine import EngineClient
    from .main_window import MainWindowWidget

    settings = load_settings()
    route_qt_messages()  # before the application exists: its first warnings go to the log
    log_file = setup_logging(settings.log_dir)
    app = create_application([sys.argv[0]])
    context = UiContext.create(app, settings, log_file)
    service = EngineClient(settings)
    window = MainWindowWidget(context, service)
    window.show()

    class Relay(QObject):
        jobs_done = Signal(list)

    relay = Relay()

    def shown(ok: bool) -> None:
        age = process_age()
        since = f"{age:.2f} s after process start" if age is not None else ""
        report.check("main window shown", ok, f"{since} (platform {app.platformName()})".strip())
        check_qt(app, report)

    def worker() -> None:
        ids: list[str] = []
        try:
            check_spawn(report)
            check_cli(report)
            check_s3_client(report)
            check_keyring(report)
            ids = run_jobs(service, home / "samples", report, args.timeout)
        # The self-test's boundary: any error is a failed check, never a hang.
        except Exception as exc:
            log.exception("Self-test worker failed")
            report.check("self-test worker", False, f"{type(exc).__name__}: {exc}")
        relay.jobs_done.emit(ids)

    ended = {"in_time": False}

    def finish(ok: bool) -> None:
        report.check("window lists the finished jobs", ok)
        ended["in_time"] = True
        QTimer.singleShot(int(args.linger * 1000), app.quit)

    def jobs_done(ids: list[str]) -> None:
        if not ids:
            finish(False)
            return
        _wait_until(lambda: _listed(window, ids), 20.0, finish)
        if args.linger:
            window.jobs.view.selectRow(0)  # show a job's pages for whoever looks

    relay.jobs_done.connect(jobs_done)
    _wait_until(lambda: window.windowHandle().isExposed(), 15.0, shown)
    threading.Thread(target=worker, name="selftest-jobs", daemon=True).start()
    QTimer.singleShot(int((args.timeout + 60) * 1000), app.quit)  # last resort
    app.exec()
    if not ended["in_time"]:
        report.check("self-test finished in time", False, f"{args.timeout + 60:.0f} s")
    window.setProperty("force_close", True)
    window.close()
    window.shutdown()
    service.close()
    report.note(f"finished in {time.monotonic() - started:.1f} s; logs in {settings.log_dir}")
    if report.failures:
        _print_logs(settings.log_dir)


def _print_logs(log_dir: Path, lines: int = 30) -> None:
    """The end of each log, so a failed run on CI says why."""
    for path in sorted(log_dir.glob("*.log")):
        tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        sys.stdout.write(f"--- {path.name} (last {len(tail)} lines)\n" + "\n".join(tail) + "\n")


def _release_logs(home: Path) -> None:
    """Close log files in the throwaway folder (Windows cannot delete open files)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(str(home)):
            root.removeHandler(handler)
            handler.close()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """``--selftest`` options."""
    parser = argparse.ArgumentParser(prog="dataflow-desktop --selftest")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds for the jobs")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway data folder")
    parser.add_argument(
        "--linger", type=float, default=0.0, help="seconds to keep the window open at the end"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the self-test; returns 0 when every check passed, else 1."""
    started = time.monotonic()
    args = parse_args(sys.argv[2:] if argv is None else argv)
    home = Path(tempfile.mkdtemp(prefix="dataflow-selftest-"))
    report = Report()
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    report.note(f"DataFlow Desktop {__version__} ({frozen}: {sys.executable}), "
                f"Python {sys.version.split()[0]}, {sys.platform}")  # fmt: skip
    try:
        _prepare_environment(home, report)
        run(args, home, report, started)
    finally:
        _release_logs(home)
        if args.keep:
            report.note(f"data kept in {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    if report.failures:
        sys.stdout.write(f"selftest: FAILED ({len(report.failures)} of "
                         f"{len(report.failures) + report.passed} checks)\n")  # fmt: skip
        return 1
    sys.stdout.write(f"selftest: OK ({report.passed} checks)\n")
    return 0


__all__ = ["main", "make_samples", "process_age"]
