"""The LLM provider as the app configures it: settings from ``Settings``, key from the keyring.

``Settings.llm_enabled``, ``llm_base_url`` and ``llm_model`` (settings dialog, config
file or ``DATAFLOW_LLM_*`` variables) say whether and where to send; the API key lives
only in the OS keyring, under the profile :data:`API_KEY_PROFILE` and the kind
``llm`` (user name ``default:llm`` of the service ``DataFlowDesktop``). The job
runner calls :func:`enrich_job_analysis` after the offline analysis.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ..config import Settings
from ..sync.credentials import (
    CredentialsError,
    InsecureKeyringError,
    SecretKind,
    delete_secret,
    get_secret,
    set_secret,
)
from .client import LlmSettings
from .enrich import enrich_analysis

__all__ = [
    "API_KEY_PROFILE",
    "delete_api_key",
    "enrich_job_analysis",
    "provider_settings",
    "read_api_key",
    "store_api_key",
]

log = logging.getLogger(__name__)

API_KEY_PROFILE = "default"  # one provider per installation, like its settings


def provider_settings(settings: Settings) -> LlmSettings:
    """The provider part of ``settings`` (timeouts and retries keep their defaults)."""
    return LlmSettings(
        enabled=settings.llm_enabled, base_url=settings.llm_base_url, model=settings.llm_model
    )


def read_api_key() -> str | None:
    """The provider's API key from the OS keyring, or ``None`` when none is stored.

    Raises:
        InsecureKeyringError: no keyring that protects secrets is active.
        CredentialsError: the keyring failed (e.g. it is locked).
    """
    return get_secret(API_KEY_PROFILE, SecretKind.LLM)


def store_api_key(key: str) -> None:
    """Keep ``key`` in the OS keyring (refused when the keyring would not protect it).

    Raises:
        InsecureKeyringError: no keyring that protects secrets is active.
        CredentialsError: the keyring refused (locked, unavailable).
        ValueError: ``key`` is empty.
    """
    set_secret(API_KEY_PROFILE, SecretKind.LLM, key)


def delete_api_key() -> None:
    """Remove the provider's API key from the OS keyring (absent is fine).

    Raises:
        CredentialsError: the keyring failed (e.g. it is locked).
    """
    delete_secret(API_KEY_PROFILE, SecretKind.LLM)


def enrich_job_analysis(
    analysis: Mapping[str, Any],
    pages: Iterable[tuple[int, str]],
    settings: Settings,
    *,
    transport: httpx.BaseTransport | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Merge the provider's answer into a job's offline ``analysis``, never failing.

    Args:
        analysis: the offline analysis (not modified).
        pages: ``(page number, text)`` in page order, read lazily: only what fits the
            provider's budget is consumed.
        settings: the installation's settings; nothing is read from the keyring and
            nothing is sent unless ``llm_enabled``.
        transport: an httpx transport, for tests.

    Returns:
        The analysis to keep (a copy, enriched when the provider answered) and the
        warnings for result.json's top-level ``warnings`` (``{"code": "llm_failed",
        "message", "page": None}``), also present in the analysis' own ``warnings``.
    """
    if not settings.llm_enabled:
        return copy.deepcopy(dict(analysis)), []
    try:
        key = read_api_key()
    except InsecureKeyringError:
        # No keyring at all: a local server (Ollama, llama.cpp) needs no key, and one
        # that does answers 401, which becomes the warning.
        log.info("no secure keyring: asking the LLM provider without an API key")
        key = None
    except CredentialsError as exc:
        result = copy.deepcopy(dict(analysis))
        message = f"The AI provider was not asked: {exc.user_message}"
        result.setdefault("warnings", []).append(
            {"code": "llm_failed", "message": message, "page": None, "kind": "keyring"}
        )
        return result, [{"code": "llm_failed", "message": message, "page": None}]
    before = len(analysis.get("warnings") or [])
    result = enrich_analysis(
        analysis, pages, settings=provider_settings(settings), api_key=key, transport=transport
    )
    added = result.get("warnings", [])[before:]
    return result, [{"code": w["code"], "message": w["message"], "page": None} for w in added]
