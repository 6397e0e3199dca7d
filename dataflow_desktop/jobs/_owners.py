"""Who owns a running job: this process, another live process, or a crashed one.

A process that runs a job writes its pid and host into the row and renews a heartbeat.
Recovery only touches jobs whose owner is gone, so two ``dataflow`` commands (or the
GUI and a CLI) can share one data folder without stealing each other's jobs.
"""

from __future__ import annotations

import os
import socket
import sys
import time

from ._schema import JobRecord

HEARTBEAT_SECONDS = 2.0
STALE_SECONDS = 20.0  # a heartbeat older than this means the owner is gone (or hung)


def this_host() -> str:
    """The host name stored with each owned job."""
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        # os.kill(pid, 0) would *terminate* the process on Windows: ask the kernel instead.
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return True


def owned_elsewhere(job: JobRecord, *, host: str, now: float | None = None) -> bool:
    """Whether another live process runs ``job`` (so this one must leave it alone)."""
    if job.owner_pid is None or job.heartbeat_at is None:
        return False
    if job.owner_host == host and (job.owner_pid == os.getpid() or not pid_alive(job.owner_pid)):
        return False
    now = time.time() if now is None else now
    return now - job.heartbeat_at < STALE_SECONDS


__all__ = ["HEARTBEAT_SECONDS", "STALE_SECONDS", "owned_elsewhere", "pid_alive", "this_host"]
