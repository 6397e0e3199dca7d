"""Accuracy of the offline analysis on the generated labelled set (docs/ANALYSIS.md).

Generates ``tests/resources/make_labelled_set.py``'s documents (8 kinds x French and
English), runs inspect → extract_pages → analyze on each, and prints type and
language accuracy and per-field precision / recall as Markdown, plus the time per
document.

Usage::

    .venv/bin/python benchmarks/analysis_accuracy.py [--per-kind 5] [--seed 1] [--errors]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "resources" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    """Run the evaluation and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--errors", action="store_true", help="list every miss and false positive")
    parser.add_argument(
        "--scanned", action="store_true", help="rasterise each document and go through OCR"
    )
    parser.add_argument("--engine", default="auto", help="OCR engine with --scanned")
    args = parser.parse_args()
    maker, evaluation = _load("make_labelled_set"), _load("labelled_eval")
    with tempfile.TemporaryDirectory() as tmp:
        docs = maker.generate(Path(tmp), per_kind=args.per_kind, seed=args.seed)
        start = time.perf_counter()
        pairs = []
        for doc in docs:
            pdf = Path(tmp) / doc.name
            if args.scanned:
                scanned = evaluation.scan(pdf, Path(tmp) / f"scan-{doc.name}")
                analysis = evaluation.predict_with_ocr(scanned, ocr_engine=args.engine)
            else:
                analysis = evaluation.predict(pdf)
            pairs.append(({**doc.truth, "name": doc.name}, analysis))
        elapsed = time.perf_counter() - start
    report = evaluation.score(pairs)
    steps = "inspect + extract + OCR + analyze" if args.scanned else "inspect + extract + analyze"
    print(
        f"{report['documents']} documents (seed {args.seed}), "
        f"{elapsed / len(docs) * 1000:.0f} ms per document ({steps})\n"
    )
    print(
        f"| measure | value |\n|---|---|\n| type accuracy | {report['type_accuracy']} |\n"
        f"| language accuracy | {report['language_accuracy']} |\n"
    )
    print("| field | expected | found | precision | recall |\n|---|---|---|---|---|")
    for name, f in report["fields"].items():
        expected, found = f["tp"] + f["fn"], f["tp"] + f["fp"]
        print(f"| {name} | {expected} | {found} | {f['precision']} | {f['recall']} |")
    if report["confusion"]:
        print("\nType confusions:", report["confusion"])
    if args.errors:
        print("\n".join(report["errors"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
