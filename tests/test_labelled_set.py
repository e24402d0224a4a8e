"""A small labelled set of back-office documents through the real `arsip` command.

Every document must be filed and found again by its reference number; most must get the right
type and date. The full-size measurement is bench/accuracy.py; this keeps it from rotting.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from bench.accuracy import Arsip, evaluate, ingest
from bench.backoffice_set import TYPES, generate

ARSIP = Path(sys.executable).parent / "arsip"
COUNT = 12
MIN_RATE = 0.8


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_labelled_set_is_filed_found_and_mostly_right(tmp_path: Path) -> None:
    set_dir = tmp_path / "set"
    labels = generate(set_dir, count=COUNT, seed=23, scan_share=0.34,
                      labels_path=tmp_path / "labels.json")
    assert len(labels) == COUNT
    assert {label["type"] for label in labels} >= set(TYPES[:COUNT])
    assert sum(1 for label in labels if label["kind"].startswith(("scan", "photo"))) >= 3
    assert not (set_dir / "labels.json").exists()

    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    arsip = Arsip(ARSIP, tmp_path / "data", tmp_path, env)
    outcomes, _seconds, code = ingest(arsip, set_dir)
    assert code == 0, outcomes
    assert [o["status"] for o in outcomes] == ["filed"] * COUNT, outcomes

    results = evaluate(arsip, labels, set_dir, outcomes, jobs=2, forms=("quoted",))
    not_found = [(r.label["file"], r.label["number"], r.why.get("found")) for r in results
                 if not r.ok["found"]]
    assert not not_found, f"not found by their numbers: {not_found}"

    def show(what: str) -> str:
        return json.dumps([{"file": r.label["file"], "expected": r.label[what],
                            "got": r.got.get("created" if what == "date" else what),
                            "why": r.why.get(what)} for r in results if not r.ok[what]],
                          ensure_ascii=False, indent=1)

    right_type = sum(r.ok["type"] for r in results)
    right_date = sum(r.ok["date"] for r in results)
    assert right_type >= MIN_RATE * COUNT, f"{right_type}/{COUNT} types right:\n{show('type')}"
    assert right_date >= MIN_RATE * COUNT, f"{right_date}/{COUNT} dates right:\n{show('date')}"


def test_generator_is_deterministic_and_labels_match_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", count=10, seed=5, scan_share=0.0)
    second = generate(tmp_path / "b", count=10, seed=5, scan_share=0.0)
    assert first == second
    for label in first:
        assert (tmp_path / "a" / label["file"]).read_bytes() == \
            (tmp_path / "b" / label["file"]).read_bytes()
        assert label["date"] < "2026-11-20"
    assert len({label["number"] for label in first}) == len(first)
