"""UTC timestamps in the one format every job file and row uses."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_iso(moment: datetime | None = None) -> str:
    """ISO 8601 UTC with milliseconds and a ``Z`` suffix (``2026-11-28T10:00:00.123Z``)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    """Inverse of :func:`utc_iso`."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
