"""result.json: schema 1 validity, canonical bytes, streaming both ways, rounding."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from _synthetic import make_header, make_page

from dataflow_desktop.errors import Cancelled
from dataflow_desktop.events import CancelFlag, StepProgress
from dataflow_desktop.pipeline.analysis import analyze
from dataflow_desktop.pipeline.result import (
    canonicalize_page,
    iter_result_pages,
    read_result_header,
    write_result_json,
)
from dataflow_desktop.pipeline.schemas import load_schema


@pytest.fixture
def pages() -> list[dict[str, Any]]:
    return [make_page(n) for n in (1, 2, 3)]


@pytest.fixture
def header(pages: list[dict[str, Any]]) -> dict[str, Any]:
    # A real analysis object, so the embedded analysis schema is exercised too.
    bare = make_header(3)
    return make_header(3, analysis=analyze(bare["document"], pages))


@pytest.fixture
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema("result.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_written_document_validates(
    tmp_path: Path, header: dict[str, Any], pages: list[Any], validator: Any
) -> None:
    path = tmp_path / "result.json"
    assert write_result_json(path, header, pages) == 3
    document = json.loads(path.read_bytes())
    validator.validate(document)
    assert list(document) == [
        "schema",
        "source",
        "options",
        "document",
        "pages",
        "warnings",
        "analysis",
    ]
    assert [p["number"] for p in document["pages"]] == [1, 2, 3]


def test_defaults_for_warnings_and_analysis(
    tmp_path: Path, header: dict[str, Any], validator: Any
) -> None:
    del header["warnings"], header["analysis"]
    path = tmp_path / "result.json"
    write_result_json(path, header, [make_page(1)])
    document = json.loads(path.read_bytes())
    validator.validate(document)
    assert document["warnings"] == []
    assert document["analysis"] is None


@pytest.mark.parametrize(
    ("where", "bad"),
    [
        (("pages", 0, "text_source"), "scanned"),
        (("pages", 0, "blocks", 0, "role"), "title"),
        (("pages", 0, "blocks", 0, "kind"), "figure"),
        (("pages", 0, "rotation"), 45),
        (("pages", 0, "images", 0, "file"), "../../etc/passwd"),
        (("source", "sha256"), "abc"),
        (("options", "password"), "secret"),
        (("analysis",), "not an object"),
    ],
)
def test_schema_rejects_contract_violations(
    tmp_path: Path,
    *,
    header: dict[str, Any],
    pages: list[Any],
    validator: Any,
    where: tuple[Any, ...],
    bad: Any,
) -> None:
    path = tmp_path / "result.json"
    write_result_json(path, header, pages)
    document = json.loads(path.read_bytes())
    target = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = bad
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_schema_rejects_missing_and_extra_page_keys(validator: Any, header: dict[str, Any]) -> None:
    page = canonicalize_page(make_page(1))
    document = {**header, "pages": [page]}
    validator.validate(document)
    del page["raster"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
    page["raster"] = make_page(1)["raster"]
    page["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def _shuffled(value: Any) -> Any:
    """Same data, keys inserted in reverse order, lists of numbers as tuples."""
    if isinstance(value, dict):
        return {k: _shuffled(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        items = [_shuffled(v) for v in value]
        return tuple(items) if items and all(isinstance(v, float) for v in items) else items
    return value


def test_equal_input_gives_identical_bytes(
    tmp_path: Path, header: dict[str, Any], pages: list[Any]
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    pages[0]["links"][0]["bbox"][0] = 0.0
    other = _shuffled(copy.deepcopy(pages))
    other[0]["links"][0]["bbox"] = (-0.0, 168.0, 216.0, 184.0)  # -0.0 == 0.0: same bytes
    other[0]["blocks"][0]["bbox"][2] += 1e-9  # equal once rounded
    write_result_json(first, header, pages)
    write_result_json(second, _shuffled(copy.deepcopy(header)), other)
    assert first.read_bytes() == second.read_bytes()


def test_layout_is_one_page_per_line(
    tmp_path: Path, header: dict[str, Any], pages: list[Any]
) -> None:
    path = tmp_path / "result.json"
    write_result_json(path, header, pages)
    lines = path.read_bytes().split(b"\n")
    assert lines[0].endswith(b',"pages":[')
    assert lines[-1] == b""
    assert [json.loads(line.rstrip(b","))["number"] for line in lines[1:4]] == [1, 2, 3]
    assert lines[4].startswith(b'],"warnings":')
    assert b'", "' not in lines[0]
    assert b'": ' not in lines[0]
    assert "Zoë".encode() in lines[0]  # ensure_ascii=False


def test_floats_rounded_to_two_decimals(tmp_path: Path, header: dict[str, Any]) -> None:
    page = make_page(1)
    page["width"] = 595.2777777
    page["height"] = -0.001
    page["blocks"][1]["lines"][0]["spans"][0]["size"] = 17.995
    path = tmp_path / "result.json"
    write_result_json(path, header, [page])
    text = path.read_text("utf-8")
    assert '"width":595.28,"height":0.0,' in text
    assert "-0.0" not in text
    assert '"size":18.0' in text or '"size":17.99' in text  # binary 17.995 rounds either way


def test_round_trip_streaming(tmp_path: Path, header: dict[str, Any], pages: list[Any]) -> None:
    pages[1]["text"] = 'line\u2028separator\r\nand "quotes" \\ ok'
    path = tmp_path / "result.json"
    write_result_json(path, header, lambda: iter(pages))
    reader = iter_result_pages(path)
    assert isinstance(reader, Iterator)
    assert list(reader) == [canonicalize_page(p) for p in pages]
    back = read_result_header(path)
    full = json.loads(path.read_bytes())
    del full["pages"]
    assert back == full
    assert list(back) == ["schema", "source", "options", "document", "warnings", "analysis"]


def test_round_trip_with_zero_pages(tmp_path: Path, header: dict[str, Any], validator: Any) -> None:
    path = tmp_path / "result.json"
    assert write_result_json(path, header, []) == 0
    validator.validate(json.loads(path.read_bytes()))
    assert list(iter_result_pages(path)) == []
    assert read_result_header(path)["warnings"] == header["warnings"]


class _TrackedPage(dict[str, Any]):
    alive: ClassVar[int] = 0
    peak: ClassVar[int] = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        type(self).alive += 1
        type(self).peak = max(type(self).peak, type(self).alive)

    def __del__(self) -> None:
        type(self).alive -= 1


def test_writer_never_holds_all_pages(tmp_path: Path, header: dict[str, Any]) -> None:
    _TrackedPage.alive = _TrackedPage.peak = 0
    generated = (_TrackedPage(make_page(n)) for n in range(1, 101))
    assert write_result_json(tmp_path / "result.json", header, generated) == 100
    assert _TrackedPage.peak <= 2


def test_failures_keep_the_previous_file(tmp_path: Path, header: dict[str, Any]) -> None:
    path = tmp_path / "result.json"
    path.write_text("old", "utf-8")
    bad = make_page(2)
    bad["width"] = float("nan")
    with pytest.raises(ValueError, match="Out of range float"):
        write_result_json(path, header, [make_page(1), bad])
    with pytest.raises(ValueError, match="out of order"):
        write_result_json(path, header, [make_page(2), make_page(1)])
    with pytest.raises(ValueError, match="unknown keys"):
        write_result_json(path, {**header, "extra": 1}, [])
    with pytest.raises(ValueError, match="lacks"):
        write_result_json(path, {"schema": 1}, [])
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        write_result_json(path, header, [make_page(1)], cancel=flag)
    assert path.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temp files left


def test_progress_reports_each_page(
    tmp_path: Path, header: dict[str, Any], pages: list[Any]
) -> None:
    events: list[StepProgress] = []
    write_result_json(tmp_path / "r.json", header, pages, progress=events.append)
    assert [(e.step, e.done, e.total) for e in events] == [("report", n, 3) for n in (1, 2, 3)]


def test_readers_reject_other_layouts(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"schema": 1, "pages": []}, indent=2), "utf-8")
    with pytest.raises(ValueError, match=r"not a result\.json"):
        list(iter_result_pages(path))
    with pytest.raises(ValueError, match=r"not a result\.json"):
        read_result_header(path)


def test_truncated_file_is_detected(
    tmp_path: Path, header: dict[str, Any], pages: list[Any]
) -> None:
    path = tmp_path / "result.json"
    write_result_json(path, header, pages)
    path.write_bytes(b"\n".join(path.read_bytes().split(b"\n")[:3]) + b"\n")
    with pytest.raises(ValueError, match="truncated"):
        list(iter_result_pages(path))
    with pytest.raises(ValueError, match="truncated"):
        read_result_header(path)


def test_load_schema_takes_plain_names_only() -> None:
    assert load_schema("result.schema.json")["$defs"]["page"]["type"] == "object"
    for name in ("../pyproject.toml", "a/b.json", "x.txt"):
        with pytest.raises(ValueError, match="not a schema file name"):
            load_schema(name)
