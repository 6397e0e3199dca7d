"""The optional LLM enrichment, against a local OpenAI-compatible stand-in on 127.0.0.1.

The stand-in implements the documented contract of ``POST /v1/chat/completions``:
a JSON body with ``model``, ``messages`` and optional ``response_format``; answers
``{"choices": [{"message": {"role": "assistant", "content": "<json>"}}]}``, or an
error status with ``{"error": {"message": …}}`` (401, 404, 429 with ``Retry-After``,
500). Each test scripts its answers and reads back the requests it received. Every
test also runs with connections to anything but loopback refused.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema
import pytest

from dataflow_desktop.llm import ChatClient, LlmError, LlmSettings, enrich_analysis
from dataflow_desktop.pipeline.analysis import analyze
from dataflow_desktop.pipeline.schemas import load_schema

API_KEY = "sk-test-0123456789"
GOOD_IBAN = "DE89370400440532013000"


@dataclass
class Reply:
    """One scripted answer: status, body, headers, and a delay before answering."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def answer(content: Any) -> Reply:
    """A successful chat completion whose message content is ``content`` (JSON-encoded)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(
        body={
            "id": "c1",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
        }
    )


def error(status: int, message: str, **headers: str) -> Reply:
    return Reply(
        status=status, body={"error": {"message": message, "type": "error"}}, headers=headers
    )


class ChatServer:
    """The stand-in: scripted replies (the last one repeats), recorded requests."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"null")
                server.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                        "at": time.monotonic(),
                    }
                )
                if self.path != "/v1/chat/completions":
                    reply = error(404, "no such route")
                else:
                    reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
                time.sleep(reply.delay)
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection that is not to this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if (
            self.family in (socket.AF_INET, socket.AF_INET6)
            and not ipaddress.ip_address(address[0]).is_loopback
        ):
            raise OSError(f"test forbids connecting to {address[0]}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def server() -> Iterator[ChatServer]:
    chat = ChatServer()
    yield chat
    chat.close()


def settings(server: ChatServer, **changes: Any) -> LlmSettings:
    base = {
        "enabled": True,
        "base_url": server.url,
        "model": "test-model",
        "timeout_s": 2.0,
        "max_retries": 2,
        "backoff_s": 0.01,
    }
    return LlmSettings(**{**base, **changes})


def _page() -> dict[str, Any]:
    spans = [
        {
            "text": t,
            "bbox": [56, 60 + 15 * i, 300, 72 + 15 * i],
            "font": "Helvetica",
            "size": 10.0,
            "bold": False,
            "italic": False,
            "color": "#000000",
        }
        for i, t in enumerate(
            ["FACTURE N° FA-2026-0042", "Total TTC : 2 460,00 €", "Échéance : 14/02/2026"]
        )
    ]
    blocks = [
        {
            "id": f"p1-b{i}",
            "kind": "text",
            "bbox": s["bbox"],
            "column": 0,
            "role": "paragraph",
            "lines": [{"bbox": s["bbox"], "dir": [1.0, 0.0], "spans": [s]}],
        }
        for i, s in enumerate(spans)
    ]
    return {
        "number": 1,
        "width": 595.0,
        "height": 842.0,
        "rotation": 0,
        "text_source": "native",
        "text": "\n\n".join(s["text"] for s in spans),
        "blocks": blocks,
        "tables": [],
        "images": [],
        "links": [],
    }


@pytest.fixture
def offline() -> dict[str, Any]:
    return analyze({"pages": 1, "form_fields": []}, [_page()])


PAGES = [(1, _page()["text"])]
LLM_ANSWER = {
    "doc_type": "invoice",
    "language": "fr",
    "summary": "Facture FA-2026-0042 de 2 460 € TTC, payable le 14 février 2026.",
    "fields": [
        {"name": "invoice_number", "value": "FA-2026-0042"},  # offline found it too
        {"name": "total", "value": "2460.00"},  # same value: confirmed
        {"name": "iban", "value": GOOD_IBAN},  # new: added
        {"name": "iban", "value": "DE89370400440532013001"},  # bad check digits: dropped
        {"name": "issue_date", "value": "2026-01-15"},  # new: added
        {"name": "recipient", "value": "Coopérative Données"},
        {"name": "currency", "value": "EUR"},
    ],
}


def test_success_merges_and_marks_sources(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [answer(LLM_ANSWER)]
    result = enrich_analysis(offline, PAGES, settings=settings(server), api_key=API_KEY)
    [request] = server.requests
    assert request["headers"]["Authorization"] == f"Bearer {API_KEY}"
    body = request["body"]
    assert body["model"] == "test-model"
    assert body["response_format"]["type"] == "json_schema"
    assert "FACTURE N° FA-2026-0042" in body["messages"][-1]["content"]
    fields = result["fields"]
    ibans = {i["value"]: i["source"] for i in fields["ibans"]}
    assert ibans == {GOOD_IBAN: "llm"}
    [ref] = fields["references"]
    assert ref["source"] == "offline"
    assert ref["llm_confirmed"] is True
    assert fields["totals"]["total"]["llm_confirmed"] is True
    dates = {(d["value"], d["source"]) for d in fields["dates"]}
    assert ("2026-01-15", "llm") in dates
    assert ("2026-02-14", "offline") in dates
    assert fields["parties"]["recipient"] == {
        "name": "Coopérative Données",
        "page": None,
        "bbox": None,
        "source": "llm",
    }
    assert result["summary_source"] == "llm"
    assert result["summary"].startswith("Facture FA-2026-0042")
    assert result["llm"]["fields_dropped"] == 1
    assert result["warnings"] == []
    assert offline["fields"]["ibans"] == []  # the input is not modified
    assert API_KEY not in json.dumps(result)
    jsonschema.Draft202012Validator(load_schema("analysis.schema.json")).validate(result)


def test_server_without_structured_output(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [error(400, "Unknown parameter: response_format"), answer(LLM_ANSWER)]
    result = enrich_analysis(offline, PAGES, settings=settings(server), api_key=API_KEY)
    assert len(server.requests) == 2
    assert "response_format" not in server.requests[1]["body"]
    assert "JSON" in server.requests[1]["body"]["messages"][0]["content"]
    assert result["warnings"] == []


def test_code_fenced_json_is_accepted(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [answer("```json\n" + json.dumps(LLM_ANSWER) + "\n```")]
    result = enrich_analysis(offline, PAGES, settings=settings(server), api_key=API_KEY)
    assert result["summary_source"] == "llm"


@pytest.mark.parametrize(
    ("reply", "kind", "attempts"),
    [
        (answer("this is not JSON {"), "malformed", 1),
        (answer(["a", "list"]), "malformed", 1),
        (Reply(body={"unexpected": True}), "malformed", 1),
        (error(401, "invalid api key"), "auth", 1),
        (error(404, "model not found"), "not_found", 1),
        (error(500, "boom"), "server", 3),
    ],
)
def test_failures_keep_the_offline_analysis(
    server: ChatServer, offline: dict[str, Any], reply: Reply, kind: str, attempts: int
) -> None:
    server.replies = [reply]
    result = enrich_analysis(offline, PAGES, settings=settings(server), api_key=API_KEY)
    assert len(server.requests) == attempts  # only transient failures are retried
    [warning] = result["warnings"]
    assert warning["code"] == "llm_failed"
    assert warning["kind"] == kind
    assert API_KEY not in warning["message"]
    assert {k: v for k, v in result.items() if k != "warnings"} == {
        k: v for k, v in offline.items() if k != "warnings"
    }


def test_rate_limit_honours_retry_after(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [error(429, "slow down", **{"Retry-After": "1"}), answer(LLM_ANSWER)]
    result = enrich_analysis(offline, PAGES, settings=settings(server), api_key=API_KEY)
    first, second = server.requests
    assert second["at"] - first["at"] >= 0.9  # waited as asked, not the 10 ms backoff
    assert result["warnings"] == []
    assert result["summary_source"] == "llm"


def test_rate_limit_with_too_long_retry_after_fails_at_once(
    server: ChatServer, offline: dict[str, Any]
) -> None:
    server.replies = [error(429, "come back tomorrow", **{"Retry-After": "86400"})]
    result = enrich_analysis(offline, PAGES, settings=settings(server), api_key=API_KEY)
    assert len(server.requests) == 1
    assert result["warnings"][0]["kind"] == "rate_limited"


def test_timeout(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [Reply(body={}, delay=1.0)]
    result = enrich_analysis(
        offline, PAGES, settings=settings(server, timeout_s=0.2, max_retries=1), api_key=API_KEY
    )
    assert len(server.requests) == 2
    assert result["warnings"][0]["kind"] == "timeout"


def test_unreachable_provider(offline: dict[str, Any]) -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = LlmSettings(
        enabled=True,
        base_url=f"http://127.0.0.1:{port}/v1",
        model="m",
        max_retries=1,
        backoff_s=0.01,
    )
    result = enrich_analysis(offline, PAGES, settings=config, api_key=None)
    assert result["warnings"][0]["kind"] == "network"


def test_nothing_is_sent_when_disabled(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [answer(LLM_ANSWER)]
    result = enrich_analysis(
        offline, PAGES, settings=settings(server, enabled=False), api_key=API_KEY
    )
    assert server.requests == []
    assert result == offline
    assert result is not offline


def test_default_settings_are_off(offline: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no connection may be opened when the provider is off")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert LlmSettings().enabled is False
    assert enrich_analysis(offline, PAGES, settings=LlmSettings(), api_key=API_KEY) == offline


def test_non_loopback_is_refused_by_the_guard() -> None:
    with socket.socket() as sock, pytest.raises(OSError, match="forbids"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never reached, the guard refuses first


def test_long_documents_are_chunked(server: ChatServer, offline: dict[str, Any]) -> None:
    server.replies = [answer(LLM_ANSWER)]
    pages = [(n, f"Page {n}. " + "Lorem ipsum dolor sit amet. " * 6) for n in range(1, 8)]
    result = enrich_analysis(
        offline, pages, settings=settings(server, context_chars=400, max_chunks=2), api_key=API_KEY
    )
    assert len(server.requests) == 2
    assert "part 1 of 2" in server.requests[0]["body"]["messages"][-1]["content"]
    assert all(len(r["body"]["messages"][-1]["content"]) < 500 for r in server.requests)
    assert result["llm"]["chunks"] == 2


def test_missing_configuration_is_a_warning(offline: dict[str, Any]) -> None:
    result = enrich_analysis(offline, PAGES, settings=LlmSettings(enabled=True), api_key=None)
    assert result["warnings"][0]["kind"] == "config"


def test_secrets_stay_out_of_reprs_and_errors(server: ChatServer) -> None:
    server.replies = [error(401, "bad key")]
    with ChatClient(settings(server), API_KEY) as client:
        assert API_KEY not in repr(client)
        with pytest.raises(LlmError) as caught:
            client.complete_json([{"role": "user", "content": "hi"}], {"type": "object"}, "x")
    assert caught.value.kind == "auth"
    assert API_KEY not in str(caught.value)
