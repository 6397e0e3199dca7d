"""The ``dataflow`` sub-commands, each ``(args, settings) -> exit code``."""

from __future__ import annotations

import argparse
import logging
import time
from dataclasses import replace
from pathlib import Path

from ..config import Settings
from ..errors import DataflowError, ErrorCode, ExitCode
from ..jobs import STEPS, JobRecord, JobService, Submission
from ._interrupt import raise_if_interrupted
from ._remote import check_remote, report_sync
from ._view import (
    ProgressView,
    format_job_row,
    job_json,
    print_error,
    print_json,
    print_line,
)

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2
RECOVER_EVERY = 5.0  # re-check jobs another process was running, in case it died


def _follow(service: JobService, job_ids: list[str]) -> None:
    """Show progress until every job in ``job_ids`` has ended."""
    view = ProgressView()
    names = {job_id: service.get(job_id).source_name for job_id in job_ids}
    last_recover = time.monotonic()
    while True:
        raise_if_interrupted()
        jobs = {job_id: service.get(job_id) for job_id in job_ids}
        view.update(names, {job_id: service.progress(job_id) for job_id in job_ids})
        waiting = [job for job in jobs.values() if job.active]
        if not waiting:
            break
        mine = set(service.active_ids())
        foreign = any(job.id not in mine for job in waiting)
        if foreign and time.monotonic() - last_recover > RECOVER_EVERY:
            service.recover()  # their owner may have died meanwhile
            last_recover = time.monotonic()
        service.wait(timeout=POLL_SECONDS) if mine else time.sleep(POLL_SECONDS)
    view.close()


def _report(service: JobService, items: list[tuple[str, JobRecord | None, Submission | None]],
            as_json: bool) -> int:  # fmt: skip
    """Print one result per file; return the exit code of the batch."""
    codes: list[ExitCode] = []
    for source, job, submission in items:
        error = submission.error if submission is not None else None
        outputs = service.output_paths(job.id) if job is not None else {}
        if as_json:
            info = error.to_dict() if error is not None else None
            print_json(job_json(job, source, outputs, status="skipped", error=info))
        if job is None and error is not None:
            print_error(f"skipped {source}: {error.user_message}")
            codes.append(error.exit_code)
        elif job is not None and job.status != "success":
            message = job.error_message or job.message or job.status
            print_error(f"{job.status.upper()} {source}: {message}")
            code = ErrorCode(job.error_code) if job.error_code else ErrorCode.INTERNAL_ERROR
            codes.append(DataflowError(code=code).exit_code)
        elif job is not None and not as_json:
            print_line(f"{job.id}  {source}  -> {outputs.get('result', '')}")
    if not codes:
        return ExitCode.OK
    return codes[0] if len(set(codes)) == 1 else ExitCode.JOB_FAILED


def cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow process PATH... [--password] [--dpi] [--workers] [--json] [--force]``."""
    if args.workers:
        settings = replace(settings, workers=args.workers)
    if args.dpi:
        settings = replace(settings, dpi=args.dpi)
    if args.remote or args.cloud_only:
        settings = replace(settings, sync_remote=args.remote or settings.sync_remote,
                           cloud_only=args.cloud_only or settings.cloud_only)  # fmt: skip
    check_remote(settings)  # an unknown remote or a missing secret stops before any work
    with JobService(settings) as service:
        resumed = service.recover()
        for job_id in resumed:
            print_error(f"resuming interrupted job {job_id} ({service.get(job_id).source_name})")
        submissions = service.submit(args.paths, password=args.password, force=args.force)
        for sub in submissions:
            if sub.status == "skipped" and not sub.explicit and sub.error is not None:
                log.info("Skipped %s: %s", sub.path, sub.error.code)
            if sub.reused_from:
                print_error(f"{sub.path}: reused job {sub.job_id} from remote '{sub.reused_from}'"
                            " (already processed there with the same options)")  # fmt: skip
        wanted = [s for s in submissions if s.explicit or s.status != "skipped"]
        ids = list(dict.fromkeys([*resumed, *(s.job_id for s in wanted if s.job_id)]))
        _follow(service, ids)
        items: list[tuple[str, JobRecord | None, Submission | None]] = [
            (str(s.path), service.get(s.job_id) if s.job_id else None, s) for s in wanted
        ]
        submitted = {s.job_id for s in wanted}
        items += [(service.get(i).source_name, service.get(i), None) for i in resumed
                  if i not in submitted]  # fmt: skip
        code = _report(service, items, args.json)
        return report_sync(service, ids, code)


def cmd_retry(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow retry JOB [--password PW]``."""
    with JobService(settings) as service:
        service.recover()
        job_id = service.retry(args.job, password=args.password)
        _follow(service, [job_id])
        job = service.get(job_id)
        return _report(service, [(job.source_name, job, None)], args.json)


def cmd_jobs(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow jobs [--status S] [--json]``."""
    with JobService(settings) as service:
        for job in service.list(args.status):
            if args.json:
                source = job.source_path or job.source_name
                print_json(job_json(job, source, service.output_paths(job.id)))
            else:
                print_line(format_job_row(job))
    return ExitCode.OK


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow show JOB [--json]``."""
    with JobService(settings) as service:
        job = service.get(args.job)
        steps = sorted(service.store.steps(job.id), key=lambda s: STEPS.index(s.name))
        outputs = service.output_paths(job.id)
        if args.json:
            data = job_json(job, job.source_path or job.source_name, outputs)
            data.update(
                step=job.step, percent=job.percent, message=job.message, pages=job.pages,
                sha256=job.sha256, bytes=job.bytes, created_at=job.created_at,
                started_at=job.started_at, ended_at=job.ended_at,
                steps=[{"name": s.name, "status": s.status, "done": s.done, "total": s.total,
                        "duration_ms": s.duration_ms} for s in steps],
            )  # fmt: skip
            print_json(data)
            return ExitCode.OK
        print_line(f"Job       {job.id}")
        print_line(f"Source    {job.source_name} ({job.bytes} bytes, {job.pages or '?'} pages)")
        print_line(f"Status    {job.status} ({job.step}, {job.percent:.0f}%) {job.message}")
        if job.error_code:
            print_line(f"Error     [{job.error_code}] at {job.error_step}: {job.error_message}")
        print_line(f"Created   {job.created_at}   ended {job.ended_at or '-'}")
        for step in steps:
            count = f" {step.done}/{step.total}" if step.total is not None else ""
            took = f" {step.duration_ms / 1000:.1f}s" if step.duration_ms is not None else ""
            print_line(f"  {step.name:11} {step.status}{count}{took}")
        for name, path in outputs.items():
            print_line(f"{name:9} {path}")
    return ExitCode.OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow export JOB --to DIR``."""
    with JobService(settings) as service:
        files = service.export(args.job, Path(args.to))
        print_line(f"Exported {len(files)} files to {args.to}")
    return ExitCode.OK


def cmd_cancel(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow cancel JOB`` (the process running it stops at its next check)."""
    with JobService(settings) as service:
        job = service.get(args.job)
        if service.cancel(job.id):
            print_line(f"Cancel requested for {job.id}")
            return ExitCode.OK
        print_error(f"job {job.id} is not running (it is {job.status})")
        return ExitCode.BAD_ARGS


def cmd_rm(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow rm JOB``."""
    with JobService(settings) as service:
        job = service.get(args.job)
        service.remove(job.id)
        print_line(f"Removed {job.id}")
    return ExitCode.OK


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow search QUERY [--json]``."""
    with JobService(settings) as service:
        hits = service.search(args.query, limit=args.limit)
    for hit in hits:
        if args.json:
            print_json({"job_id": hit.job_id, "source": hit.source_name, "page": hit.page,
                        "snippet": hit.snippet})  # fmt: skip
        else:
            snippet = " ".join(hit.snippet.split())
            print_line(f"{hit.job_id}  {hit.source_name} p.{hit.page}: {snippet}")
    return ExitCode.OK if hits else ExitCode.JOB_FAILED


__all__ = [
    "cmd_cancel",
    "cmd_export",
    "cmd_jobs",
    "cmd_process",
    "cmd_retry",
    "cmd_rm",
    "cmd_search",
    "cmd_show",
]
