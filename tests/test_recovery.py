"""Crashes lose nothing: unfinished claims are finished at the next start, exactly once."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from config.settings import load_settings
from intake.claims import (
    claim_inbox_file,
    claim_is_held,
    hold_claim,
    open_claim,
    release_claim,
    save_claim,
)
from intake.recovery import recover_claims
from intake.state import StateLayout
from tests.conftest import arsip_json, run_arsip, start_arsip, stop, wait_until
from tests.docsamples import Sample, write_sample


def filed_hashes(home: Path) -> list[str]:
    return sorted(hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in (home / "archive").rglob("*")
                  if p.is_file() and ".arsip" not in p.parts)


@pytest.mark.slow
def test_a_claim_left_by_a_dead_watcher_is_filed_at_the_next_start(home: Path) -> None:
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    settings.inbox_path.mkdir(parents=True)
    sample = Sample("surat.txt", "txt", "duku", "Surat Tertinggal", "2026-02-02")
    path = write_sample(sample, settings.inbox_path)
    claim = claim_inbox_file(layout, settings.inbox_path, path)  # …and then the process died
    assert claim is not None and not path.exists()
    process = start_arsip(home, "run")
    try:
        wait_until(lambda: arsip_json(home, "status")["indexed"] == 1, 60, "claim not finished")
    finally:
        assert stop(process) == 0
    assert (home / "archive" / sample.expected_path).is_file()
    assert json.loads((layout.outcomes / f"{claim.claim_id}.json").read_text())["status"] == \
        "filed"


@pytest.mark.slow
def test_sigkill_mid_batch_then_restart_files_everything_exactly_once(home: Path,
                                                                      tmp_path: Path) -> None:
    made = tmp_path / "made"
    made.mkdir()
    samples = [Sample(f"scan_{i:04d}.png", "png", f"kata{i}", f"Dokumen Nomor {i}",
                      f"2026-0{1 + i % 9}-1{i % 10}") for i in range(8)]
    sources = [write_sample(s, made) for s in samples]
    expected = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in sources)
    process = start_arsip(home, "run")
    inbox = home / "inbox"
    wait_until(inbox.is_dir, 30, "arsip run did not start")
    for source in sources:
        source.rename(inbox / source.name)
    wait_until(lambda: arsip_json(home, "status")["filed"] >= 1, 60, "nothing filed")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert arsip_json(home, "status")["filed"] < len(samples), "too late to test a crash"
    time.sleep(0.2)
    process = start_arsip(home, "run")
    try:
        wait_until(lambda: arsip_json(home, "status")["indexed"] == len(samples), 120,
                   "not everything was finished after the restart")
        status = arsip_json(home, "status")
    finally:
        assert stop(process) == 0
    assert filed_hashes(home) == expected  # each original exactly once, unchanged
    assert (status["queued"], status["processing"], status["failed"], status["duplicates"]) == \
        (0, 0, 0, 0)
    for sample in samples:
        hits = arsip_json(home, "search", sample.word)
        assert len(hits) == 1, (sample.word, hits)


@pytest.mark.slow
def test_sigterm_stops_run_cleanly_even_during_start_up(home: Path, tmp_path: Path) -> None:
    for delay in (1.0, 1.5, 3.0):  # before 1 s Python is still importing: nothing in flight
        process = start_arsip(home, "run")
        time.sleep(delay)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert time.monotonic() - started < 15, "stopping took too long"


def test_an_ingest_that_died_before_its_copy_leaves_no_failure(home: Path,
                                                              tmp_path: Path) -> None:
    """`arsip ingest` killed between recording its claim and copying the file: its source was
    never touched, so the claim is dropped (once it is old enough not to be a copy still
    arriving), never quarantined as "the claimed file disappeared"."""
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    settings.inbox_path.mkdir(parents=True)
    source = write_sample(Sample("surat.txt", "txt", "manggis", "Surat", "2026-02-02"), tmp_path)
    fresh = open_claim(layout, os.lstat(source), str(source), source.name, source="ingest")
    stale = open_claim(layout, os.lstat(source), str(source), source.name, source="ingest")
    stale.claimed_at = (datetime.now(timezone.utc) - timedelta(minutes=5)).isoformat()
    save_claim(layout, stale)
    sent: list[str] = []
    assert recover_claims(layout, settings.inbox_path, sent.append) == 0
    assert sent == []  # neither is sent to a worker
    assert not layout.claim_dir(stale.claim_id).exists()  # the dead copy's claim is gone
    assert layout.claim_dir(fresh.claim_id).exists()  # a copy may still be arriving here
    assert source.is_file()
    process = start_arsip(home, "run")
    try:
        time.sleep(3)
        assert arsip_json(home, "status")["failed"] == 0
    finally:
        assert stop(process) == 0
    assert not (home / "failed").exists() or not any((home / "failed").iterdir())


def test_a_claim_held_by_another_process_is_held_and_a_released_one_is_not(home: Path) -> None:
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    settings.inbox_path.mkdir(parents=True)
    path = write_sample(Sample("nota.txt", "txt", "kenari", "Nota Pinjam", "2026-02-02"),
                        settings.inbox_path)
    claim = claim_inbox_file(layout, settings.inbox_path, path)
    assert claim is not None
    assert not claim_is_held(layout, claim.claim_id)
    # Another process (util-linux's flock, as a second worker would) holds the claim.
    lock = layout.locks / f"claim-{claim.claim_id}.lock"
    holder = subprocess.Popen(["flock", "--close", str(lock), "sleep", "30"])
    try:
        wait_until(lambda: claim_is_held(layout, claim.claim_id), 10, "the claim never held")
        with hold_claim(layout, claim.claim_id) as held:
            assert held is False
    finally:
        holder.kill()
        holder.wait()
    with hold_claim(layout, claim.claim_id) as held:
        assert held is True
    release_claim(layout, claim, "filed")
    assert not lock.exists()  # released: its lock file goes with it


def test_lock_files_of_earlier_versions_are_removed_at_start(home: Path) -> None:
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    old = [layout.locks / f"doc-{n:016x}.lock" for n in range(3)]
    current = layout.locks / "doc-abc.lock"
    for path in [*old, current]:
        path.touch()
    held = layout.locks / f"doc-{9:016x}.lock"  # an earlier version's worker still holds it
    holder = subprocess.Popen(["flock", "--close", str(held), "sleep", "30"])
    try:
        wait_until(lambda: subprocess.run(["flock", "-n", str(held), "true"]).returncode != 0,
                   10, "the lock was never held")
        recover_claims(layout, settings.inbox_path, lambda claim_id: None)
    finally:
        holder.kill()
        holder.wait()
    assert sorted(p.name for p in layout.locks.iterdir()) == sorted(["doc-abc.lock", held.name])


def test_old_outcomes_go_unless_a_failed_entry_needs_them(home: Path) -> None:
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    old = time.time() - 40 * 86_400
    names = {"old": "20250101T000000-00000000aa", "recent": "20261101T000000-00000000bb",
             "old_failed": "20250101T000000-00000000cc"}
    for name in names.values():
        (layout.outcomes / f"{name}.json").write_text('{"status": "filed"}')
    for key in ("old", "old_failed"):
        os.utime(layout.outcomes / f"{names[key]}.json", (old, old))
    (layout.failed / names["old_failed"]).mkdir(parents=True)
    recover_claims(layout, settings.inbox_path, lambda claim_id: None)
    assert sorted(p.stem for p in layout.outcomes.iterdir()) == sorted(
        [names["recent"], names["old_failed"]])


def test_a_claim_record_that_cannot_be_parsed_is_reported_not_a_traceback(
        home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A record cut short by a crash, or edited by hand, stopped recovery and `arsip status`
    with a traceback. Now it is reported (where the file is, what to do) and skipped; the
    folder and its file stay exactly where they are, and the other claims go on."""
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    settings.inbox_path.mkdir(parents=True)
    source = write_sample(Sample("surat.txt", "txt", "rambutan", "Surat", "2026-02-02"), tmp_path)
    records = {"20260101T000000-torn000001": '{"claim_id": "20260101T0',
               "20260101T000000-null000002": "null",
               "20260101T000000-list000003": "[]"}
    for claim_id, record in records.items():
        folder = layout.claim_dir(claim_id)
        folder.mkdir()
        (folder / "claim.json").write_text(record)
        (folder / "document").write_bytes(source.read_bytes())
    healthy = claim_inbox_file(layout, settings.inbox_path,
                               write_sample(Sample("nota.txt", "txt", "duku", "Nota",
                                                   "2026-02-03"), settings.inbox_path))
    assert healthy is not None

    status = run_arsip(home, "status", "--json", check=False)
    assert status.returncode == 0 and "Traceback" not in status.stderr
    sent: list[str] = []
    assert recover_claims(layout, settings.inbox_path, sent.append) == 1
    assert sent == [healthy.claim_id]
    for claim_id, record in records.items():
        folder = layout.claim_dir(claim_id)
        assert (folder / "claim.json").read_text() == record  # untouched
        assert (folder / "document").read_bytes() == source.read_bytes()
        assert any(claim_id in r.message and "move it back into the inbox" in r.message
                   for r in caplog.records)
