"""The optional LLM enrichment, against a local OpenAI-compatible stand-in on 127.0.0.1.

The stand-in implements the documented contract of ``POST /v1/chat/completions``:
a JSON body with ``model``, ``messages`` and optional ``response_format``; answers
``{"choices": [{"message": {"role": "assistant", "content": "<json>"}}]}``, or an
error status with ``{"error": {"message": …}}`` (401, 404, 429 with ``Retry-After``,
500). Each test scripts its answers and reads back the requests it received. Every
test also runs with connections to anything but loopback refused.

The job tests run whole jobs (JobService, a real process pool) on the sample invoice
with the provider set in ``Settings`` and its key in a real Secret Service
(gnome-keyring on a private D-Bus); the CLI test does the same through
``dataflow llm set-key`` and ``dataflow process`` in subprocesses.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from fixtures.chat_server import ChatServer, Reply, answer, error
from fixtures.leaks import files_with

from dataflow_desktop.config import Settings
from dataflow_desktop.jobs import JobService, ProcessExecutor
from dataflow_desktop.llm import ChatClient, LlmError, LlmSettings, enrich_analysis
from dataflow_desktop.llm.provider import API_KEY_PROFILE, delete_api_key, store_api_key
from dataflow_desktop.pipeline.analysis import analyze
from dataflow_desktop.pipeline.schemas import load_schema
from dataflow_desktop.storage.keys import job_prefix

if TYPE_CHECKING:
    from fixtures.servers import SecretServiceSession

pytest_plugins = ["fixtures.servers"]

API_KEY = "sk-test-0123456789"
GOOD_IBAN = "DE89370400440532013000"


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


# -- whole jobs ---------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "dataflow_desktop/resources/samples/facture-exemple.pdf"
JOB_ANSWER = {
    "doc_type": "invoice",
    "language": "fr",
    "summary": "Facture FA-2026-0042 d'Atelier Numérique SARL, 2 460 € TTC.",
    "fields": [
        {"name": "invoice_number", "value": "FA-2026-0042"},  # offline found it too
        {"name": "iban", "value": GOOD_IBAN},  # not in the PDF: the model's alone
    ],
}


@pytest.fixture
def keyring(secret_service: SecretServiceSession) -> Iterator[SecretServiceSession]:
    """The session's Secret Service, with no LLM key before or after the test."""
    delete_api_key()
    yield secret_service
    delete_api_key()


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessExecutor]:
    executor = ProcessExecutor(1)
    yield executor
    executor.shutdown()


def run_job(tmp_path: Path, pool: ProcessExecutor, **llm: Any) -> tuple[dict[str, Any], str]:
    """Process the sample invoice; return its result.json and final status."""
    config = Settings(home=tmp_path / "home", workers=1, concurrent_jobs=1, **llm)
    with JobService(config, executor=pool) as service:
        [submission] = service.submit([SAMPLE])
        assert submission.job_id is not None
        assert service.wait([submission.job_id], timeout=120)
        job = service.get(submission.job_id)
        path = service.storage.local_path(f"{job_prefix('dev', job.id)}result.json")
    assert path is not None
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema("result.schema.json"))
    return data, job.status


def test_a_job_with_the_provider_on_merges_its_fields_marked_llm(
    server: ChatServer,
    pool: ProcessExecutor,
    keyring: SecretServiceSession,
    tmp_path: Path,
) -> None:
    store_api_key(API_KEY)
    assert keyring.lookup("DataFlowDesktop", f"{API_KEY_PROFILE}:llm") == API_KEY
    server.replies = [answer(JOB_ANSWER)]
    data, status = run_job(
        tmp_path, pool, llm_enabled=True, llm_base_url=server.url, llm_model="test-model"
    )
    assert status == "success"
    [request] = server.requests
    assert request["headers"]["Authorization"] == f"Bearer {API_KEY}"  # from the keyring
    sent = request["body"]["messages"][-1]["content"]
    assert "--- page 1 ---" in sent
    assert "FACTURE N° FA-2026-0042" in sent
    analysis = data["analysis"]
    ibans = {i["value"]: i["source"] for i in analysis["fields"]["ibans"]}
    assert ibans == {"FR7630006000011234567890189": "offline", GOOD_IBAN: "llm"}
    [ref] = [r for r in analysis["fields"]["references"] if r["value"] == "FA-2026-0042"]
    assert (ref["source"], ref["llm_confirmed"]) == ("offline", True)
    assert analysis["summary_source"] == "llm"
    assert analysis["summary"] == JOB_ANSWER["summary"]
    assert analysis["llm"]["model"] == "test-model"
    assert analysis["warnings"] == []
    assert not [w for w in data["warnings"] if w["code"] == "llm_failed"]
    assert API_KEY not in json.dumps(data)


@pytest.mark.parametrize(
    "reply", [error(500, "boom"), answer("not JSON {")], ids=["http-500", "malformed"]
)
def test_a_failing_provider_leaves_the_offline_analysis_and_a_warning(
    server: ChatServer,
    pool: ProcessExecutor,
    keyring: SecretServiceSession,
    tmp_path: Path,
    reply: Reply,
) -> None:
    del keyring  # no key stored: the request goes without one
    server.replies = [reply]
    data, status = run_job(
        tmp_path, pool, llm_enabled=True, llm_base_url=server.url, llm_model="test-model"
    )
    assert status == "success"
    assert server.requests
    assert all("Authorization" not in r["headers"] for r in server.requests)
    [warning] = [w for w in data["warnings"] if w["code"] == "llm_failed"]
    assert warning["page"] is None
    assert "AI provider" in warning["message"]
    analysis = data["analysis"]
    assert [w["code"] for w in analysis["warnings"]] == ["llm_failed"]
    assert analysis["doc_type"] == "invoice"  # the offline analysis is all there
    assert analysis["fields"]["references"]
    assert "summary_source" not in analysis
    assert all(i["source"] == "offline" for i in analysis["fields"]["ibans"])


def test_a_job_with_the_provider_off_sends_nothing(
    server: ChatServer, pool: ProcessExecutor, tmp_path: Path
) -> None:
    server.replies = [answer(JOB_ANSWER)]
    data, status = run_job(
        tmp_path, pool, llm_enabled=False, llm_base_url=server.url, llm_model="test-model"
    )
    assert status == "success"
    assert server.requests == []
    assert "llm" not in data["analysis"]
    assert data["analysis"]["fields"]["references"]


def test_cli_sets_the_key_and_process_uses_the_provider_from_env_settings(
    server: ChatServer, keyring: SecretServiceSession, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATAFLOW_", "PYTHON_KEYRING"))}
    env.update(DATAFLOW_HOME=str(tmp_path / "home"), DATAFLOW_CONFIG_DIR=str(tmp_path / "cfg"),
               DATAFLOW_WORKERS="1", PYTHONPATH=str(REPO))  # fmt: skip

    def cli(*args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "dataflow_desktop.cli", *args], cwd=tmp_path,
            env={**env, **extra}, input=stdin, capture_output=True, text=True, timeout=180,
            check=False,
        )  # fmt: skip

    assert cli("llm", "set-key", stdin="\n").returncode == 2  # empty: nothing stored
    stored = cli("llm", "set-key", stdin=API_KEY + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "keyring.backends.SecretService.Keyring" in stored.stdout
    assert keyring.lookup("DataFlowDesktop", f"{API_KEY_PROFILE}:llm") == API_KEY
    server.replies = [answer(JOB_ANSWER)]
    done = cli("process", str(SAMPLE), "--json", DATAFLOW_LLM_ENABLED="1",
               DATAFLOW_LLM_BASE_URL=server.url, DATAFLOW_LLM_MODEL="test-model")  # fmt: skip
    assert done.returncode == 0, done.stderr
    [request] = server.requests
    assert request["headers"]["Authorization"] == f"Bearer {API_KEY}"
    assert request["body"]["model"] == "test-model"
    assert API_KEY not in done.stdout + done.stderr + stored.stdout + stored.stderr
    # Config, SQLite, logs, progress.json, results and bundle members: nowhere.
    assert files_with(API_KEY.encode(), [tmp_path / "home", tmp_path / "cfg"]) == []
    cleared = cli("llm", "clear-key")
    assert cleared.returncode == 0, cleared.stderr
    assert keyring.lookup("DataFlowDesktop", f"{API_KEY_PROFILE}:llm") is None


def test_plain_http_to_a_provider_off_this_machine_is_a_loud_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("WARNING")
    ChatClient(LlmSettings(enabled=True, base_url="http://llm.example.com/v1", model="m"), "k")
    assert "INSECURE" in caplog.text
    assert "plain http to llm.example.com" in caplog.text
    caplog.clear()
    ChatClient(LlmSettings(enabled=True, base_url="http://127.0.0.1:11434/v1", model="m"), "k")
    ChatClient(LlmSettings(enabled=True, base_url="https://api.example.com/v1", model="m"), "k")
    assert caplog.text == ""
