"""Optional LLM enrichment of the analysis, through any OpenAI-compatible provider.

Off by default and outside ``pipeline/`` (it is the only part that talks to the
network): the job runner calls :func:`.provider.enrich_job_analysis` after the
offline ``pipeline.analysis.analyze`` when ``Settings.llm_enabled`` is on; it reads the
API key from the OS keyring (:mod:`.provider`, imported on its own: it needs the
keyring) and calls :func:`enrich_analysis`. A failing provider never fails the job.
"""

from __future__ import annotations

from .client import ChatClient, LlmError, LlmSettings
from .enrich import enrich_analysis
from .prompt import FIELD_NAMES, RESPONSE_SCHEMA

__all__ = [
    "FIELD_NAMES",
    "RESPONSE_SCHEMA",
    "ChatClient",
    "LlmError",
    "LlmSettings",
    "enrich_analysis",
]
