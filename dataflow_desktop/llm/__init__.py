"""Optional LLM enrichment of the analysis, through any OpenAI-compatible provider.

Off by default and outside ``pipeline/`` (it is the only part that talks to the
network): the job runner calls :func:`enrich_analysis` after the offline
``pipeline.analysis.analyze`` when the profile enables a provider, passing the API key
it read from the OS keyring. A failing provider never fails the job.
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
