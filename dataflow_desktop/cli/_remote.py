"""``dataflow remote ...`` and ``dataflow sync``: remotes, their rights, pushes and the team view.

Secrets are never command-line arguments (they would land in shell history and in
``ps``): ``remote add`` reads the secret from a hidden prompt, or from stdin when
stdin is not a terminal (``... < secret.txt``, a pipe from a password manager).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import ExitCode
from ..jobs import JobService, SyncState, SyncStatus
from ..storage.factory import EnvTarget, RemoteProfile, backend_kinds
from ..storage.keys import ENVIRONMENTS
from ..sync._errors import SecretMissingError
from ..sync.credentials import (
    delete_secret,
    keyring_status,
    set_secret,
)
from ..sync.probe import probe_remote
from ..sync.profiles import (
    credentials,
    get_profile,
    load_profiles,
    remove_profile,
    save_profile,
    secret_kind,
    secret_source,
)
from ..sync.team import RemoteJob
from ._view import print_error, print_json, print_line


def register(sub: Any) -> None:
    """Add ``remote`` (with its sub-commands) and ``sync`` to the top-level sub-parsers."""
    remote = sub.add_parser("remote", help="Shared buckets: add, list, test, remove; team jobs.")
    verbs = remote.add_subparsers(dest="remote_command", required=True, metavar="ACTION")

    def add(name: str, func: Any, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = verbs.add_parser(name, help=text, description=text)
        parser.set_defaults(func=func)
        return parser

    p = add("add", cmd_add, "Add a remote (the secret is read from a hidden prompt or stdin).")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", choices=backend_kinds(), default="s3")
    p.add_argument("--endpoint", default="", help="S3 endpoint or Supabase project URL")
    p.add_argument("--bucket", required=True)
    p.add_argument("--prefix", default="", help="key prefix inside the bucket")
    p.add_argument("--access-key-id", default="", help="S3 access key ID (not secret)")
    p.add_argument("--region", help="S3 signing region (Supabase: the project's region)")
    p.add_argument("--env", choices=ENVIRONMENTS, help="this bucket/prefix is for one env only")
    p.add_argument("--supabase-s3", action="store_true", help="the endpoint is Supabase's S3")

    p = add("ls", cmd_ls, "List remotes (no secret is ever shown).")
    p.add_argument("--json", action="store_true")

    p = add("test", cmd_test, "Check list, write, read and delete rights with a probe object.")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--env", choices=ENVIRONMENTS)

    p = add("rm", cmd_rm, "Remove a remote and its secret from the keyring.")
    p.add_argument("name", metavar="NAME")

    p = add("jobs", cmd_jobs, "Jobs in the shared bucket (teammates' too), newest first.")
    p.add_argument("name", metavar="NAME", nargs="?")
    p.add_argument("--env", choices=ENVIRONMENTS)
    p.add_argument("--json", action="store_true")

    p = add("pull", cmd_pull, "Download a finished job from the bucket into this app.")
    p.add_argument("job", metavar="JOB", help="job id (or a unique prefix)")
    p.add_argument("--remote", metavar="NAME")
    p.add_argument("--env", choices=ENVIRONMENTS)
    p.add_argument("--to", metavar="DIR", help="also copy its result files to DIR")

    p = sub.add_parser("sync", help="Push finished jobs whose sync is pending.")
    p.set_defaults(func=cmd_sync)
    p.add_argument("jobs", metavar="JOB", nargs="*", help="only these jobs")
    p.add_argument("--remote", metavar="NAME")
    p.add_argument("--all", action="store_true", help="also jobs never synced")
    p.add_argument("--json", action="store_true")


def _read_secret(profile: RemoteProfile) -> str | None:
    """The secret from stdin (not a terminal) or a hidden prompt; ``None`` if empty."""
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        text = stdin.readline() if stdin is not None else ""
        return text.strip("\r\n") or None
    what = "S3 secret access key" if profile.kind == "s3" else "Supabase API key"
    return getpass.getpass(f"{what} for remote '{profile.name}' (input hidden): ") or None


def _profile(args: argparse.Namespace) -> tuple[RemoteProfile, bool]:
    """The profile to save and whether it is new."""
    existing = load_profiles().get(args.name)
    target = EnvTarget(bucket=args.bucket, prefix=args.prefix or None)
    if existing is not None and args.env:
        envs = {**existing.environments, args.env: target}
        return replace(existing, environments=envs), False
    envs = {args.env: target} if args.env else {}
    profile = RemoteProfile(
        name=args.name, kind=args.kind, endpoint=args.endpoint, bucket=args.bucket,
        access_key_id=args.access_key_id, region=args.region, prefix=args.prefix,
        environments=envs, supabase_compat=args.supabase_s3,
    )  # fmt: skip
    return profile, existing is None


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow remote add NAME --kind --endpoint --bucket [...]``."""
    profile, new = _profile(args)
    s3 = profile.kind == "s3"
    if s3 and not profile.access_key_id and not os.environ.get("AWS_ACCESS_KEY_ID"):
        print_error("an S3 remote needs --access-key-id (or AWS_ACCESS_KEY_ID for headless use)")
        return ExitCode.BAD_ARGS
    secret = _read_secret(profile)
    if secret is not None:
        set_secret(profile.name, secret_kind(profile), secret)  # refuses an unsafe keyring
        where = f"in the system keyring ({keyring_status().backend})"
    elif s3 and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        where = "not stored: AWS_SECRET_ACCESS_KEY from the environment will be used"
    elif not new:
        where = "unchanged"
    else:
        raise SecretMissingError(
            "No secret was given (empty input), so the remote was not added. Type it at the "
            "hidden prompt or pass it on stdin; never as an argument."
        )
    save_profile(profile)
    print_line(
        f"{'Added' if new else 'Updated'} remote {_where(profile, args.env)}; secret {where}."
    )
    print_line(f"Check its rights with: dataflow remote test {profile.name}")
    return ExitCode.OK


def _where(profile: RemoteProfile, env: str | None) -> str:
    """``'name' (kind, endpoint, bucket 'b', prefix p, env e)`` for messages."""
    bucket, prefix = profile.target(env)
    parts = [profile.kind, profile.endpoint or "AWS S3", f"bucket '{bucket}'"]
    parts += [f"prefix '{prefix}'"] if prefix else []
    parts += [f"environment {env}"] if env else []
    return f"'{profile.name}' ({', '.join(parts)})"


def cmd_ls(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow remote ls [--json]``."""
    profiles = load_profiles()
    for profile in profiles.values():
        envs = {env: "/".join(filter(None, profile.target(env))) for env in profile.environments}
        secret = secret_source(profile)
        secret = "keyring unavailable" if secret == "unavailable" else secret
        default = profile.name == settings.sync_remote
        if args.json:
            print_json({**profile.to_dict(), "secret": secret, "default": default})
            continue
        where = ", ".join(f"{env}={target}" for env, target in envs.items()) or "-"
        mark = "*" if default else " "
        print_line(f"{mark}{profile.name:16} {profile.kind:8} {profile.endpoint or 'AWS S3':32} "
                   f"bucket={profile.bucket} envs: {where}  secret: {secret}")  # fmt: skip
    if not profiles and not args.json:
        print_error("no remotes yet; add one with 'dataflow remote add'")
    return ExitCode.OK


def cmd_test(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow remote test NAME [--env E]``: exit 0 only if every right is granted."""
    env = args.env or settings.env
    print_line(f"Testing remote {_where(get_profile(args.name), env)}")
    report = probe_remote(args.name, env)
    for check in report.checks:
        state = {True: "ok", False: "MISSING", None: "-"}[check.ok]
        print_line(f"  {check.right:8} {state:8} {check.message}")
    if report.ok:
        print_line("All rights needed for sync are granted.")
        return ExitCode.OK
    print_error(f"missing: {', '.join(c.right for c in report.missing)}")
    return ExitCode.STORAGE


def cmd_rm(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow remote rm NAME`` (its keyring secret too)."""
    profile = remove_profile(args.name)
    delete_secret(profile.name, secret_kind(profile))
    print_line(f"Removed remote '{profile.name}' and its stored secret.")
    if settings.sync_remote == profile.name:
        print_error(f"the setting sync_remote still names '{profile.name}'; change it")
    return ExitCode.OK


def _job_line(job: RemoteJob, mine: bool) -> str:
    state = job.status if job.finished else f"{job.step} {job.percent:.0f}%"
    pages = "-" if job.pages is None else str(job.pages)
    owner = "  (this app)" if mine else ""
    return f"{job.job_id}  {state:16} {pages:>5}p  {job.source_name}{owner}"


def cmd_jobs(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow remote jobs [NAME] [--env E] [--json]``."""
    with JobService(settings) as service:
        jobs = service.remote_jobs(args.name, env=args.env)
        local = {job.id for job in service.list()}
    for job in jobs:
        if args.json:
            print_json({"job_id": job.job_id, "env": job.env, "source": job.source_name,
                        "status": job.status, "step": job.step, "percent": job.percent,
                        "pages": job.pages, "updated_at": job.updated_at,
                        "outputs": dict(job.outputs), "local": job.job_id in local})  # fmt: skip
        else:
            print_line(_job_line(job, job.job_id in local))
    if not jobs and not args.json:
        print_error("no jobs in the shared bucket yet")
    return ExitCode.OK


def cmd_pull(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow remote pull JOB [--remote NAME] [--env E] [--to DIR]``."""
    with JobService(settings) as service:
        job = service.pull(args.job, args.remote, env=args.env)
        count = len(service.store.outputs(job.id))
        print_line(f"Pulled {job.id}  {job.source_name}  ({count} result files)")
        if args.to:
            files = service.export(job.id, Path(args.to))
            print_line(f"Exported {len(files)} files to {args.to}")
    return ExitCode.OK


def describe(state: SyncState) -> str:
    """One line for a job's sync state."""
    if state.status is SyncStatus.SYNCED:
        return f"synced to {state.remote}" + (" (local copies removed)" if state.cloud_only else "")
    return f"{state.status.value}: {state.message}".rstrip(": ")


def sync_exit(states: list[SyncState]) -> int:
    """0 when every state is synced (or only waiting), else the storage exit code."""
    bad = (SyncStatus.ERROR, SyncStatus.CONFLICT)
    return ExitCode.STORAGE if any(s.status in bad for s in states) else ExitCode.OK


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    """``dataflow sync [JOB...] [--remote NAME] [--all]``: push what is pending."""
    with JobService(settings) as service:
        remote = service.remote(args.remote)
        states = service.sync_pending(remote, job_ids=args.jobs or None, include_local=args.all)
        for state in states:
            job = service.get(state.job_id)
            if args.json:
                print_json({"job_id": job.id, "source": job.source_name, "remote": state.remote,
                            "sync": state.status.value, "message": state.message,
                            "conflicts": list(state.conflicts)})  # fmt: skip
            else:
                print_line(f"{job.id}  {job.source_name}: {describe(state)}")
    if not states and not args.json:
        print_line("Nothing to sync.")
    waiting = [s for s in states if s.status is SyncStatus.WAITING]
    if waiting:
        print_error(f"{len(waiting)} job(s) wait for the network; run 'dataflow sync' later")
    return sync_exit(states)


def report_sync(service: JobService, job_ids: list[str], code: int) -> int:
    """After ``process --remote``: say what did not sync; the batch's exit code."""
    if service.sync is None:
        return code
    states = []
    for job_id in job_ids:
        if service.get(job_id).status != "success":
            continue
        state = service.sync_state(job_id, service.sync.remote.name)
        states.append(state)
        if state.status is not SyncStatus.SYNCED:
            print_error(f"{service.get(job_id).source_name}: sync {describe(state)}")
    sync_code = sync_exit(states)
    return code if code != ExitCode.OK else sync_code


def check_remote(settings: Settings) -> None:
    """Fail before any work when the sync remote is unknown or has no secret."""
    if settings.sync_remote:
        credentials(get_profile(settings.sync_remote))


__all__ = ["check_remote", "cmd_sync", "describe", "register", "report_sync", "sync_exit"]
