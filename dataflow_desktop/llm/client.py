"""A small client for OpenAI-compatible ``POST {base_url}/chat/completions``.

Works with any server speaking that contract (OpenAI, Mistral, Groq, OpenRouter,
vLLM, llama.cpp's server, Ollama's ``/v1``…). It asks for structured output with
``response_format: {"type": "json_schema", …}`` and falls back to plain instructions
when a server rejects that parameter. Transient failures (timeouts, connection
errors, 429, 5xx) are retried with exponential backoff, honouring ``Retry-After``;
other failures raise :class:`LlmError` with a kind a caller can show. The API key is
sent only in the ``Authorization`` header and never appears in errors, logs or reprs.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import tenacity

from ..storage.remote import warn_if_insecure

__all__ = ["ChatClient", "LlmError", "LlmSettings"]

log = logging.getLogger(__name__)

ErrorKind = Literal[
    "auth", "not_found", "rate_limited", "server", "timeout", "network", "bad_request", "malformed"
]
_RETRYABLE: frozenset[str] = frozenset({"rate_limited", "server", "timeout", "network"})


@dataclass(frozen=True, slots=True)
class LlmSettings:
    """The LLM provider of a profile. Off unless ``enabled``; the key is not part of it.

    Attributes:
        enabled: nothing is ever sent unless True.
        base_url: e.g. ``https://api.openai.com/v1`` (``/chat/completions`` is appended).
        model: the model name the server knows.
        timeout_s: per-request timeout (connect, read and write).
        max_retries: retries after the first attempt, for transient failures.
        backoff_s: first backoff delay; doubles per retry (capped at 30 s).
        max_retry_after_s: a 429 asking to wait longer than this fails at once.
        context_chars: text budget per request (~4 characters per token).
        max_chunks: requests per document at most; text beyond is not sent.
        use_json_schema: ask for ``response_format`` json_schema (else instructions only).
    """

    enabled: bool = False
    base_url: str = ""
    model: str = ""
    timeout_s: float = 60.0
    max_retries: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    context_chars: int = 24_000
    max_chunks: int = 4
    use_json_schema: bool = True


class LlmError(Exception):
    """The provider failed; ``kind`` says how, ``message`` says it to a person.

    Attributes:
        kind: ``auth``, ``not_found``, ``rate_limited``, ``server``, ``timeout``,
            ``network``, ``bad_request`` or ``malformed``.
        status: the HTTP status, if there was a response.
        retry_after: seconds the server asked to wait (429), if it said.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Whether trying again later may succeed."""
        return self.kind in _RETRYABLE


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_for(response: httpx.Response) -> LlmError:
    status = response.status_code
    if status in (401, 403):
        return LlmError(
            "auth", "The AI provider refused the API key (check it in the settings).", status=status
        )
    if status == 404:
        return LlmError(
            "not_found",
            "The AI provider does not know this address or model "
            "(check the base URL and the model name).",
            status=status,
        )
    if status == 429:
        return LlmError(
            "rate_limited",
            "The AI provider is rate limiting requests; try again later.",
            status=status,
            retry_after=_retry_after(response.headers.get("Retry-After")),
        )
    if status >= 500:
        return LlmError(
            "server", f"The AI provider had an internal error (HTTP {status}).", status=status
        )
    return LlmError(
        "bad_request", f"The AI provider rejected the request (HTTP {status}).", status=status
    )


def _strip_fences(content: str) -> str:
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()


class ChatClient:
    """Sends chat-completion requests that must answer one JSON object."""

    def __init__(
        self,
        settings: LlmSettings,
        api_key: str | None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not settings.base_url or not settings.model:
            raise ValueError("the LLM provider needs a base URL and a model")
        self._settings = settings
        # The document's text and the API key go there: say so loudly if it is plain http.
        warn_if_insecure(settings.base_url, verify_tls=True, what=f"LLM model '{settings.model}'")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(settings.timeout_s),
            transport=transport,
            follow_redirects=False,
        )
        self._json_schema = settings.use_json_schema

    def __repr__(self) -> str:
        return f"ChatClient(base_url={self._settings.base_url!r}, model={self._settings.model!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def complete_json(
        self, messages: list[dict[str, str]], schema: Mapping[str, Any], name: str
    ) -> dict[str, Any]:
        """Ask for a JSON object following ``schema``; retry transient failures.

        Raises:
            LlmError: after the retries, or at once for non-transient failures.
        """
        settings = self._settings

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, LlmError) and error.retry_after is not None:
                return error.retry_after
            return float(min(30.0, settings.backoff_s * 2 ** (state.attempt_number - 1)))

        def should_retry(error: BaseException) -> bool:
            if not isinstance(error, LlmError) or not error.retryable:
                return False
            return error.retry_after is None or error.retry_after <= settings.max_retry_after_s

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(settings.max_retries + 1),
            wait=wait,
            retry=tenacity.retry_if_exception(should_retry),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                return self._once(messages, schema, name)
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    def _once(
        self, messages: list[dict[str, str]], schema: Mapping[str, Any], name: str
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._settings.model,
            "messages": messages,
            "temperature": 0,
        }
        if self._json_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": dict(schema), "strict": True},
            }
        response = self._post(body)
        if response.status_code == 400 and self._json_schema and "response_format" in response.text:
            # This server does not do structured output: the prompt's instructions suffice.
            log.info("provider rejected response_format; falling back to instructions")
            self._json_schema = False
            body.pop("response_format")
            response = self._post(body)
        if response.status_code >= 400:
            raise _error_for(response)
        return self._parse(response)

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        try:
            return self._http.post("chat/completions", json=body)
        except httpx.TimeoutException as exc:
            raise LlmError("timeout", "The AI provider did not answer in time.") from exc
        except httpx.TransportError as exc:
            raise LlmError(
                "network", f"The AI provider could not be reached ({type(exc).__name__})."
            ) from exc

    @staticmethod
    def _parse(response: httpx.Response) -> dict[str, Any]:
        malformed = "The AI provider's answer was not the expected JSON."
        try:
            payload = response.json()
            content = payload["choices"][0]["message"]["content"]
            result = json.loads(_strip_fences(content))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LlmError("malformed", malformed, status=response.status_code) from exc
        if not isinstance(result, dict):
            raise LlmError("malformed", malformed, status=response.status_code)
        return result
