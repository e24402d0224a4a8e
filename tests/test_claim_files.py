"""The filesystem work of claiming, filing and waiting, done with fewer system calls: an ingest
copy hashed as it is copied, a claim folder emptied by name, archive folders looked at once,
outcomes announced to `ingest --wait`; with the same results and refusals as before."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import pytest

from arsip.fsutil import write_json_atomic
from cli.runtime import wait_for_outcomes
from intake.claims import (
    DOCUMENT,
    RECORD,
    Claim,
    copy_hashed,
    record_outcome,
    remove_claim_folder,
)
from intake.state import StateLayout
from workers.filing import ensure_dirs


def test_a_copy_is_hashed_as_it_is_copied(tmp_path: Path) -> None:
    for size in (0, 1, 3 * (1 << 20) + 7):  # empty, tiny, several chunks
        source = tmp_path / f"in-{size}.pdf"
        source.write_bytes(os.urandom(size))
        os.utime(source, ns=(1_700_000_000_123_456_789, 1_600_000_000_987_654_321))
        target = tmp_path / f"out-{size}"
        digest = copy_hashed(source, target, os.lstat(source))
        assert target.read_bytes() == source.read_bytes()
        assert digest == hashlib.sha256(source.read_bytes()).hexdigest()
        assert os.stat(target).st_mtime_ns == 1_600_000_000_987_654_321


def test_a_source_swapped_after_its_lstat_is_refused_without_waiting(tmp_path: Path) -> None:
    original = tmp_path / "scan.pdf"
    original.write_bytes(b"%PDF-1.4 ...")
    seen = os.lstat(original)
    fifo, link, other = tmp_path / "pipe", tmp_path / "link", tmp_path / "other.pdf"
    os.mkfifo(fifo)
    link.symlink_to(original)
    other.write_bytes(b"%PDF-1.4 something else")
    signal.alarm(10)  # a FIFO opened for reading without O_NONBLOCK would block forever
    try:
        for swapped in (fifo, link, other):
            with pytest.raises(OSError):
                copy_hashed(swapped, tmp_path / f"copy-of-{swapped.name}", seen)
    finally:
        signal.alarm(0)


def test_a_claim_folder_is_removed_whatever_it_holds(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / DOCUMENT).write_bytes(b"pdf")
    (plain / RECORD).write_text("{}")
    odd = tmp_path / "odd"
    (odd / DOCUMENT).mkdir(parents=True)  # not a file: unlink fails, rmtree takes it
    (odd / RECORD).write_text("{}")
    (odd / ".incoming.arsip-tmp").write_bytes(b"left over")
    for folder in (plain, odd, tmp_path / "gone"):
        remove_claim_folder(folder)
        assert not folder.exists()


def test_archive_folders_are_never_entered_through_a_symbolic_link(tmp_path: Path) -> None:
    archive, elsewhere = tmp_path / "archive", tmp_path / "elsewhere"
    archive.mkdir()
    elsewhere.mkdir()
    made = ensure_dirs(archive, PurePosixPath("2026/invoice/PT Sinar Abadi"), 0o750)
    assert made.is_dir() and ensure_dirs(archive, PurePosixPath("2026/invoice"), 0o750).is_dir()
    (archive / "2026" / "letter").symlink_to(elsewhere)
    with pytest.raises(OSError, match="not a folder arsip made"):
        ensure_dirs(archive, PurePosixPath("2026/letter/x"), 0o750)
    assert list(elsewhere.iterdir()) == []


def _claim(claim_id: str) -> Claim:
    return Claim(claim_id=claim_id, original=f"{claim_id}.pdf", original_raw="",
                 source="ingest", name=f"{claim_id}.pdf", size=1, mtime=0.0,
                 claimed_at="2026-11-30T00:00:00+00:00")


def test_ingest_wait_hears_of_outcomes_and_still_finds_other_processes_ones(
        tmp_path: Path) -> None:
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    runtime: Any = SimpleNamespace(ctx=SimpleNamespace(layout=layout), workers=["in-process"],
                                   actors=SimpleNamespace(index=SimpleNamespace(
                                       send=lambda: None)))
    ids = [f"20261130T000000-{n:010x}" for n in range(30)]
    record_outcome(layout, _claim(ids[0]), "filed")  # recorded before the wait began
    seen: list[str] = []

    def workers() -> None:
        for claim_id in ids[1:-1]:
            record_outcome(layout, _claim(claim_id), "filed")  # announced
            time.sleep(0.002)
        # Another process (a Redis worker) writes the last one: found by the looks only.
        write_json_atomic(layout.outcome(ids[-1]), {"claim_id": ids[-1], "status": "failed"})

    thread = threading.Thread(target=workers)
    started = time.monotonic()
    thread.start()
    outcomes = wait_for_outcomes(runtime, ids, progress=lambda o: seen.append(o["claim_id"]))
    thread.join()
    assert [o["claim_id"] for o in outcomes] == ids
    assert outcomes[-1]["status"] == "failed"
    assert sorted(seen) == sorted(ids)  # each reported once
    assert time.monotonic() - started < 5


def test_records_are_the_json_json_dumps_wrote(tmp_path: Path) -> None:
    record = {"b": [1, 2.5, None, True], "a": {"z": "café\n\x0c", "y": {}}, "content": "x" * 100,
              "n": 1250000.0, "ids": ("t", "u")}
    write_json_atomic(tmp_path / "r.json", record)
    written = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert written == json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True)
    write_json_atomic(tmp_path / "k.json", {1: "int keys go to json"})
    assert json.loads((tmp_path / "k.json").read_text()) == {"1": "int keys go to json"}
