"""The CLI's progress display and ``--json`` objects (no subprocess)."""

from __future__ import annotations

import io
from typing import Any

from dataflow_desktop.cli import build_parser
from dataflow_desktop.cli._view import ProgressView, job_json


def _doc(status: str, step: str, percent: float, message: str = "") -> dict[str, Any]:
    steps = [{"name": step, "status": "running"}] if status == "running" else []
    return {"status": status, "step": step, "percent": percent, "message": message, "steps": steps}


def test_plain_output_prints_one_line_per_step_change() -> None:
    out = io.StringIO()
    view = ProgressView(out, tty=False)
    names = {"j": "a.pdf"}
    view.update(names, {"j": _doc("queued", "init", 0)})
    view.update(names, {"j": _doc("running", "extraction", 10)})
    view.update(names, {"j": _doc("running", "extraction", 30)})  # same step: silent
    view.update(names, {"j": _doc("failed", "failed", 30, "The PDF is damaged.")})
    assert out.getvalue().splitlines() == [
        "a.pdf: extraction running (10%)",
        "a.pdf: failed (30%) - The PDF is damaged.",
    ]


def test_terminal_output_redraws_live_lines_in_place() -> None:
    out = io.StringIO()
    view = ProgressView(out, tty=True)
    names = {"a": "a.pdf", "b": "b.pdf"}
    view.update(names, {"a": _doc("running", "raster", 50, "Rendering"), "b": None})
    assert "a.pdf" in out.getvalue()
    assert "50.0%" in out.getvalue()
    view.update(names, {"a": _doc("success", "success", 100), "b": _doc("running", "init", 1)})
    text = out.getvalue()
    assert "\x1b[1F\x1b[J" in text  # went back over the one live line
    assert "done      a.pdf" in text


def test_json_object_of_a_skipped_file() -> None:
    error = {"code": "not_a_pdf", "message": "Not a PDF.", "step": None}
    data = job_json(None, "x.txt", {}, status="skipped", error=error)
    assert data == {
        "job_id": None,
        "source": "x.txt",
        "status": "skipped",
        "error": {"code": "not_a_pdf", "message": "Not a PDF."},
        "outputs": {},
    }


def test_parser_knows_every_command() -> None:
    parser = build_parser()
    args = parser.parse_args(["process", "a.pdf", "b", "--dpi", "72", "--json", "--force"])
    assert (args.paths, args.dpi, args.json, args.force) == (["a.pdf", "b"], 72, True, True)
    for argv in (["jobs", "--status", "failed"], ["show", "J"], ["export", "J", "--to", "d"],
                 ["cancel", "J"], ["retry", "J", "--password", "p"], ["rm", "J"],
                 ["search", "word"]):  # fmt: skip
        assert parser.parse_args(argv).command == argv[0]
