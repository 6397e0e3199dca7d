"""``dataflow worker`` and ``dataflow submit``: the pipeline on a Temporal cluster.

Registered by :func:`add_commands`; ``temporalio`` (the ``temporal`` extra) is imported
only when one of these commands runs, so every other command works without it.

The shared bucket is named either by a remote profile (``--remote NAME``, made by
``dataflow remote add``: its secret from the keyring or ``AWS_SECRET_ACCESS_KEY``; by
default the settings' sync remote, or the only profile) or explicitly (``--endpoint URL
--bucket NAME``, the keys from ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``: for
servers, CI and tests).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from typing import Any

from ..config import Settings
from ..errors import DataflowError, ErrorCode, ExitCode
from ..orchestration import temporal_available
from ..storage.base import FileStorage
from ..storage.factory import RemoteProfile, open_remote
from ..storage.keys import job_key
from ._view import ProgressView, print_error, print_json, print_line

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, Settings], int]
Adder = Callable[[str, Command, str], argparse.ArgumentParser]
INSTALL_HINT = "Temporal support is not installed: pip install 'dataflow-desktop[temporal]'"


def _bucket_options(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("shared bucket (default: the sync remote)")
    group.add_argument("--remote", metavar="NAME", help="a remote profile (dataflow remote add)")
    group.add_argument("--endpoint", metavar="URL", help="S3 endpoint (keys from AWS_* vars)")
    group.add_argument("--bucket", help="bucket name, with --endpoint")
    group.add_argument("--prefix", default="", help="key prefix in the bucket, with --endpoint")
    group.add_argument("--region", help="S3 signing region, with --endpoint")


def _temporal_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--temporal", required=True, metavar="HOST:PORT", help="Temporal frontend")
    p.add_argument("--namespace", default="default", help="Temporal namespace")
    p.add_argument("--task-queue", default="dataflow", metavar="Q", help="task queue")


def add_commands(add: Adder, positive: Callable[[str], int]) -> None:
    """Register ``worker`` and ``submit`` on the ``dataflow`` parser."""
    p = add("worker", cmd_worker, "Run a headless Temporal worker for PDF documents.")
    _temporal_options(p)
    _bucket_options(p)
    p.add_argument("--workers", type=positive, help="PDF processes (default: settings.workers)")
    p.add_argument("--scratch", metavar="DIR", help="local scratch folder")
    p.add_argument("--sticky-timeout", type=float, default=10.0, metavar="S",
                   help="seconds a workflow waits for this worker (sticky queue)")  # fmt: skip
    p.add_argument("--shutdown-timeout", type=float, default=30.0, metavar="S",
                   help="seconds running activities get to finish on SIGTERM")  # fmt: skip
    p.add_argument("--identity", help="worker name shown in Temporal")

    p = add("submit", cmd_submit, "Process PDFs on a Temporal cluster; show their progress.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _temporal_options(p)
    _bucket_options(p)
    p.add_argument("--dpi", type=positive, help="page image resolution")
    p.add_argument("--slots", type=positive, default=4,
                   help="worker processes of the cluster: sizes the page ranges")  # fmt: skip
    p.add_argument("--heartbeat-timeout", type=float, default=30.0, metavar="S",
                   help="an activity silent this long is retried on another worker")  # fmt: skip
    p.add_argument("--max-attempts", type=positive, default=5, help="attempts per activity")
    p.add_argument("--detach", action="store_true", help="start the workflows and exit")
    p.add_argument("--json", action="store_true", help="one JSON object per file on stdout")


def bucket_opener(args: argparse.Namespace, settings: Settings) -> Callable[[str], FileStorage]:
    """Opens the shared bucket of an environment, as ``--remote``/``--endpoint`` say.

    Without either, the remote of the settings (``sync_remote``) or the only configured
    one is used (``sync.profiles.pick_remote``).
    """
    from ..sync.credentials import aws_env_credentials
    from ..sync.profiles import Remote, pick_remote

    if not args.endpoint:
        return Remote.from_profile(pick_remote(args.remote, settings.sync_remote)).storage
    creds = aws_env_credentials()
    if not args.bucket or creds is None:
        raise DataflowError(
            "--endpoint needs --bucket, and AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "in the environment.",
            code=ErrorCode.STORAGE_ERROR,
        )
    profile = RemoteProfile(
        name="cli", kind="s3", endpoint=args.endpoint, bucket=args.bucket,
        access_key_id=creds.access_key_id, region=args.region or creds.region,
        prefix=args.prefix,
    )  # fmt: skip
    secret = creds.secret_access_key
    return lambda env: open_remote(profile, secret, env=env)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow worker --temporal HOST:PORT --task-queue Q (--remote NAME | --endpoint…)``."""
    if not temporal_available():
        print_error(INSTALL_HINT)
        return ExitCode.BAD_ARGS
    from pathlib import Path

    from ..orchestration.temporal.worker import WorkerConfig, cached_storage, run_worker

    if not args.verbose:  # a service logs to stderr (the journal), not only to its file
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(handler)
    config = WorkerConfig(
        target=args.temporal, task_queue=args.task_queue, namespace=args.namespace,
        processes=args.workers or settings.workers,
        scratch=Path(args.scratch) if args.scratch else settings.work_root / "temporal",
        sticky_seconds=args.sticky_timeout, shutdown_seconds=args.shutdown_timeout,
        identity=args.identity, page_timeout_s=settings.page_timeout_s,
        worker_memory_mb=settings.worker_memory_mb,
    )  # fmt: skip
    storage = cached_storage(bucket_opener(args, settings))

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Windows has no add_signal_handler: Ctrl+C raises KeyboardInterrupt instead.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        await run_worker(config, storage, stop=stop, ready=lambda: print_error("worker ready"))

    asyncio.run(main())
    return ExitCode.OK


def cmd_submit(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow submit PATH... --temporal HOST:PORT (--remote NAME | --endpoint…)``."""
    if not temporal_available():
        print_error(INSTALL_HINT)
        return ExitCode.BAD_ARGS
    from dataclasses import replace

    from ..jobs.service import options_from_settings
    from ..orchestration.follow import ProgressFollower
    from ..orchestration.temporal._types import RunPolicy
    from ..orchestration.temporal.client import connect, submit_documents

    if args.dpi:
        settings = replace(settings, dpi=args.dpi)
    storage = bucket_opener(args, settings)(settings.env)
    policy = RunPolicy(heartbeat_seconds=args.heartbeat_timeout, max_attempts=args.max_attempts)

    async def start() -> list[Any]:
        client = await connect(args.temporal, namespace=args.namespace)
        return await submit_documents(
            client, storage, args.paths, task_queue=args.task_queue, env=settings.env,
            options=options_from_settings(settings), slots=args.slots, policy=policy,
        )  # fmt: skip

    submitted = asyncio.run(start())
    started = [s for s in submitted if s.job_id]
    for item in submitted:
        if item.error is not None:
            print_error(f"skipped {item.path}: {item.error.user_message}")
        elif args.detach:
            print_line(f"{item.job_id}  {item.path}  workflow {item.workflow_id}")
    if args.detach or not started:
        return ExitCode.OK if len(started) == len(submitted) else ExitCode.INPUT_FILE
    follower = ProgressFollower(storage, settings.env, [s.job_id for s in started])
    view = ProgressView()
    names = {s.job_id: s.path.name for s in started}
    try:
        follower.follow(lambda _changed: view.update(names, follower.docs))
    except KeyboardInterrupt:
        print_error("stopped following; the documents go on on the cluster")
        return ExitCode.INTERRUPTED
    view.close()
    return _report(submitted, follower.docs, settings.env, as_json=args.json)


def _report(submitted: list[Any], docs: dict[str, Any], env: str, *, as_json: bool) -> int:
    """One line (or JSON object) per file; the batch's exit code."""
    codes: list[ExitCode] = []
    for item in submitted:
        doc = docs.get(item.job_id) if item.job_id else None
        error = (doc or {}).get("error") or (item.error.to_dict() if item.error else None)
        status = doc["status"] if doc else "skipped"
        named = (doc or {}).get("outputs") or {}
        outputs = {name: job_key(env, item.job_id, file) for name, file in named.items()}
        if as_json:
            print_json({"job_id": item.job_id, "source": str(item.path), "status": status,
                        "error": error, "outputs": outputs})  # fmt: skip
        if status == "success":
            if not as_json:
                print_line(f"{item.job_id}  {item.path}  -> {outputs.get('result', '')}")
            continue
        if status != "skipped":
            print_error(f"{status.upper()} {item.path}: {(error or {}).get('message', status)}")
        code = ErrorCode((error or {}).get("code") or ErrorCode.INTERNAL_ERROR)
        codes.append(DataflowError(code=code).exit_code)
    if not codes:
        return ExitCode.OK
    return codes[0] if len(set(codes)) == 1 else ExitCode.JOB_FAILED


__all__ = ["add_commands", "bucket_opener", "cmd_submit", "cmd_worker"]
