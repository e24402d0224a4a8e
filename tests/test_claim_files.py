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

from arsip.fsutil import file_lock, write_json_atomic
from cli.runtime import wait_for_outcomes
from intake.claims import (
    DOCUMENT,
    RECORD,
    Claim,
    claim_copy,
    copy_hashed,
    load_claim,
    record_outcome,
    remove_claim_folder,
    remove_claim_lock,
)
from intake.recovery import recover_claims, remove_old_lock_files, resend_stale_claims
from intake.state import StateLayout
from tests.conftest import arsip_json
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


def test_an_ingest_copy_is_recorded_once_with_its_hash(tmp_path: Path) -> None:
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    source = tmp_path / "faktur.pdf"
    source.write_bytes(b"%PDF-1.4 faktur")
    claim = claim_copy(layout, source)
    folder = layout.claim_dir(claim.claim_id)
    assert sorted(p.name for p in folder.iterdir()) == sorted([DOCUMENT, RECORD])
    assert load_claim(layout, claim.claim_id) == claim
    assert claim.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    gone = tmp_path / "gone.pdf"
    with pytest.raises(FileNotFoundError):
        claim_copy(layout, gone)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused = claim_copy(layout, fifo)  # refused: recorded, never opened
    assert refused.refused == "named pipe (FIFO)" and refused.sha256 is None
    assert sorted(os.listdir(layout.claims)) == sorted([claim.claim_id, refused.claim_id])


def test_a_claim_folder_left_without_a_record_is_removed_once_old(tmp_path: Path) -> None:
    """`arsip ingest` killed while copying: a folder with part of a copy and no record. Its
    source was never touched; recovery removes the folder once nobody can still be copying."""
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    old, fresh = layout.claim_dir("20261130T000000-00000000aa"), \
        layout.claim_dir("20261130T000000-00000000bb")
    for folder in (old, fresh):
        folder.mkdir()
        (folder / ".incoming.arsip-tmp").write_bytes(b"%PDF-1.4 half")
    long_ago = time.time() - 3600
    os.utime(old, (long_ago, long_ago))
    sent: list[str] = []
    assert recover_claims(layout, tmp_path / "inbox", sent.append) == 0
    assert sent == [] and not old.exists() and fresh.exists()


def test_lock_files_of_released_claims_are_removed_and_others_kept(tmp_path: Path) -> None:
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    released, open_one = "20261130T000000-00000000cc", "20261130T000000-00000000dd"
    layout.claim_dir(open_one).mkdir()
    for claim_id in (released, open_one):
        layout.claim_lock(claim_id).touch()
    (layout.locks / "doc-abc.lock").touch()
    remove_old_lock_files(layout)
    assert sorted(os.listdir(layout.locks)) == ["claim-" + open_one + ".lock", "doc-abc.lock"]


def test_a_bulk_ingest_leaves_no_claim_lock_files(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bulk"
    folder.mkdir()
    for n in range(4):
        (folder / f"nota-{n}.txt").write_text(f"Nota {n}\nTanggal 12 Maret 2026\n"
                                              f"Jumlah Rp {n}00.000\n")
    outcomes = arsip_json(home, "ingest", str(folder), "--wait", "--json")
    assert sorted(o["status"] for o in outcomes) == ["filed"] * 4
    assert not [p for p in (home / "state" / "locks").iterdir() if p.name.startswith("claim-")]
    assert list((home / "state" / "claims").iterdir()) == []


def test_a_folder_with_a_file_and_no_record_is_kept(tmp_path: Path) -> None:
    """An earlier version's `arsip retry`, killed between moving the quarantined file back
    and recording the claim, left the file's only copy in a folder without a record: never
    removed (reported), by the start-up recovery nor by a running daemon's."""
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    folder = layout.claim_dir("20261130T000000-00000000ee")
    folder.mkdir()
    (folder / DOCUMENT).write_bytes(b"%PDF-1.4 the only copy")
    empty = layout.claim_dir("20261130T000000-00000000ff")
    empty.mkdir()
    long_ago = time.time() - 3600
    for old in (folder, empty):
        os.utime(old, (long_ago, long_ago))
    recover_claims(layout, tmp_path / "inbox", lambda claim_id: None)
    resend_stale_claims(layout, lambda claim_id: None, after_seconds=0)
    assert (folder / DOCUMENT).read_bytes() == b"%PDF-1.4 the only copy"
    assert not empty.exists()


def test_a_running_daemon_removes_an_unrecorded_folder_too(tmp_path: Path) -> None:
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    folder = layout.claim_dir("20261130T000000-0000000100")
    folder.mkdir()
    (folder / ".incoming.arsip-tmp").write_bytes(b"half a copy")
    long_ago = time.time() - 3600
    os.utime(folder, (long_ago, long_ago))
    assert resend_stale_claims(layout, lambda claim_id: None, after_seconds=0) == 0
    assert not folder.exists() and not layout.documents_in_flight()


def test_a_lock_removed_while_waited_for_is_taken_on_the_file_there_now(
        tmp_path: Path) -> None:
    path = tmp_path / "locks" / "claim-x.lock"
    got_it = threading.Event()
    second_free: list[bool] = []

    def waiter() -> None:
        with file_lock(path) as held:
            assert held
            got_it.set()
            with file_lock(path, blocking=False) as free:  # a third comer, meanwhile
                second_free.append(free)

    with file_lock(path) as held:
        assert held
        thread = threading.Thread(target=waiter)
        thread.start()
        time.sleep(0.2)  # the waiter has the file open and waits on its lock
        os.unlink(path)  # the holder lets its claim go
    thread.join(10)
    assert got_it.is_set() and second_free == [False]


def test_the_lock_of_a_claim_someone_holds_is_not_removed(tmp_path: Path) -> None:
    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    layout.ensure()
    lock = layout.claim_lock("20261130T000000-0000000200")
    with file_lock(lock) as held:
        assert held
        assert not remove_claim_lock(layout, "20261130T000000-0000000200")
        assert lock.exists()
    assert remove_claim_lock(layout, "20261130T000000-0000000200") and not lock.exists()
