"""The index writer's pace: a lone document is committed at once; a burst is gathered into one
open batch, its documents added as they arrive, and committed when it pauses."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from config.settings import Settings
from index.writer import EARLY_COMMIT_FROM, QUIET_SECONDS, CommitPace, apply_pending
from intake.state import StateLayout
from tests.conftest import arsip_json, filed_notes, run_arsip, wait_until
from tests.test_index_writer_process import segments

NOW = 1000.0


def test_a_document_after_a_quiet_spell_is_committed_at_once() -> None:
    pace = CommitPace(interval=5.0)  # never committed: the last commit is long ago
    assert pace.commit_due(1, batch_size=500, last_arrival=NOW, now=NOW)


def test_a_burst_is_gathered_until_it_pauses() -> None:
    pace = CommitPace(interval=5.0)
    pace.last_commit = NOW  # a commit just happened: documents are coming in a burst
    assert not pace.commit_due(3, batch_size=500, last_arrival=NOW + 0.1, now=NOW + 0.15)
    assert pace.commit_due(3, batch_size=500, last_arrival=NOW + 0.1,
                           now=NOW + 0.11 + QUIET_SECONDS)


def test_a_burst_that_goes_on_is_committed_every_interval() -> None:
    pace = CommitPace(interval=5.0)
    pace.last_commit = NOW
    assert not pace.commit_due(3, batch_size=500, last_arrival=NOW + 4.9, now=NOW + 4.95)
    assert pace.commit_due(3, batch_size=500, last_arrival=NOW + 4.95, now=NOW + 5.0)


def test_a_full_batch_is_committed_without_waiting() -> None:
    pace = CommitPace(interval=5.0)
    pace.last_commit = NOW
    assert pace.commit_due(3, batch_size=3, last_arrival=NOW, now=NOW)


def test_nothing_in_flight_means_no_waiting_for_more() -> None:
    pace = CommitPace(interval=5.0, more_coming=lambda: False)
    pace.last_commit = NOW
    assert pace.commit_due(1, batch_size=500, last_arrival=NOW, now=NOW)


def test_the_end_of_a_burst_commits_a_big_batch_beside_the_last_documents(
        tmp_path: Path) -> None:
    """With only a few documents still on their way, what is held goes at once (the last
    documents are extracted meanwhile) instead of with them, alone, after the last one; a
    small batch still waits, so a steady trickle is not committed document by document."""
    pace = CommitPace(interval=5.0, few_coming=lambda: True)
    pace.last_commit = NOW
    later = NOW + 2.5  # half the interval since the last commit
    assert pace.commit_due(EARLY_COMMIT_FROM, batch_size=500, last_arrival=later, now=later)
    assert not pace.commit_due(EARLY_COMMIT_FROM - 1, batch_size=500, last_arrival=later,
                               now=later)
    assert not pace.commit_due(EARLY_COMMIT_FROM, batch_size=500, last_arrival=NOW + 1,
                               now=NOW + 1)  # a steady stream: not every 20 documents
    busy = CommitPace(interval=5.0, few_coming=lambda: False)
    busy.last_commit = NOW
    assert not busy.commit_due(EARLY_COMMIT_FROM, batch_size=500, last_arrival=later, now=later)

    layout = StateLayout(root=tmp_path / "state", home=tmp_path)
    assert layout.few_documents_in_flight(3)  # no claims folder yet
    layout.ensure()
    for n in range(4):
        layout.claim_dir(f"claim-{n}").mkdir()
    assert not layout.few_documents_in_flight(3) and layout.few_documents_in_flight(4)


def test_documents_of_a_burst_go_into_one_commit_as_they_arrive(home: Path,
                                                                tmp_path: Path) -> None:
    words = [f"jalak{n}x" for n in ("satu", "dua", "tiga", "empat", "lima")]
    ids = filed_notes(home, tmp_path / "notes", words)
    settings = Settings(home=home)
    layout = StateLayout.of(settings)
    before = segments(settings.index_path)

    pace = CommitPace(interval=5.0)
    pace.committed()  # just after a commit: the burst below is gathered
    (layout.index_pending / ids[0]).touch()

    def keep_coming() -> None:
        for doc_id in ids[1:]:
            time.sleep(0.05)  # well inside QUIET_SECONDS: still the same burst
            (layout.index_pending / doc_id).touch()

    feeder = threading.Thread(target=keep_coming)
    started = time.monotonic()
    feeder.start()
    written = apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                            batch_size=500, pace=pace)
    waited = time.monotonic() - started
    feeder.join()
    assert written == 5
    assert segments(settings.index_path) == before + 1  # one commit for the whole burst
    assert QUIET_SECONDS <= waited < 4.0, waited  # it waited for the pause, not the interval
    assert list(layout.index_pending.iterdir()) == []

    lone = CommitPace(interval=5.0)  # after a quiet spell a lone document is not held back
    (layout.index_pending / ids[2]).touch()
    started = time.monotonic()
    assert apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                         batch_size=500, pace=lone) == 1
    assert time.monotonic() - started < QUIET_SECONDS
    for word, doc_id in zip(words, ids, strict=True):
        assert [h["id"] for h in arsip_json(home, "search", word)] == [doc_id]


def test_another_writer_gets_the_index_during_a_long_burst(home: Path, tmp_path: Path) -> None:
    """`arsip edit` writes the index itself: a burst must not hold the lock from start to end
    (whoosh's writers look for it every 0.1 s; between two batches it is free for a moment)."""
    from index.schema import open_index
    from index.segment_writer import segment_writer

    ids = filed_notes(home, tmp_path / "notes", ["elangx", "rajawalix", "merpatix"])
    settings = Settings(home=home)
    layout = StateLayout.of(settings)
    stop = threading.Event()
    pace = CommitPace(interval=0.3, more_coming=lambda: not stop.is_set())

    def keep_coming() -> None:  # documents due again and again, for as long as the test runs
        while not stop.is_set():
            for doc_id in ids:
                (layout.index_pending / doc_id).touch()
            time.sleep(0.005)

    def writer_child() -> None:  # as the index writer child: called again while more come
        while not stop.is_set():
            apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                          batch_size=500, pace=pace)

    threads = [threading.Thread(target=keep_coming), threading.Thread(target=writer_child)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)  # the burst is under way
        ix = open_index(settings.index_path)
        try:
            started = time.monotonic()
            other = segment_writer(ix, timeout=5.0)  # LockError if it never got a turn
            waited = time.monotonic() - started
            other.cancel()
        finally:
            ix.close()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    # a turn after the next commit at the latest: the interval, the commit, the window
    assert waited < 1.5, waited


def test_a_writer_waiting_for_the_lock_says_so_until_it_has_it(tmp_path: Path) -> None:
    """The index writer gives way after a commit only while someone waits: the note is there
    exactly while a writer waits, and a killed waiter's old note does not count."""
    import os

    from index.schema import open_index
    from index.segment_writer import segment_writer
    from index.waiting_writers import NOTE_PREFIX, STALE_SECONDS, writers_waiting

    index_dir = tmp_path / "index"
    ix = open_index(index_dir)
    try:
        holder = segment_writer(ix)
        assert not writers_waiting(index_dir)
        got: list[object] = []
        waiter = threading.Thread(target=lambda: got.append(segment_writer(ix, timeout=5.0)))
        waiter.start()
        wait_until(lambda: writers_waiting(index_dir), 3.0, "the waiting writer left no note")
        holder.cancel()
        waiter.join()
        assert got and not writers_waiting(index_dir)
        assert not [p for p in index_dir.iterdir() if p.name.startswith(NOTE_PREFIX)]
        got[0].cancel()  # type: ignore[attr-defined]
    finally:
        ix.close()
    old = index_dir / f"{NOTE_PREFIX}elsewhere-1-dead"
    old.touch()
    os.utime(old, (time.time() - STALE_SECONDS - 1,) * 2)
    assert not writers_waiting(index_dir)
    assert not old.exists()


def test_a_document_marked_again_during_a_burst_is_indexed_once(home: Path,
                                                               tmp_path: Path) -> None:
    """A duplicate file or an edit marks a document again while the open batch holds it: it
    waits for the next batch (whoosh replaces committed entries only)."""
    from index.schema import open_index

    first, second = filed_notes(home, tmp_path / "notes", ["kenariy", "nuriy"])
    settings = Settings(home=home)
    layout = StateLayout.of(settings)

    pace = CommitPace(interval=5.0)
    pace.committed()  # a burst: gathered until it pauses
    (layout.index_pending / first).touch()

    def mark_again() -> None:
        for doc_id in (first, second, first, first):
            time.sleep(0.05)  # inside the burst, while `first` is in the open batch
            (layout.index_pending / doc_id).touch()

    feeder = threading.Thread(target=mark_again)
    feeder.start()
    apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                  batch_size=500, pace=pace)
    feeder.join()
    apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                  batch_size=500, pace=CommitPace(interval=0.0))
    ix = open_index(settings.index_path)
    try:
        with ix.searcher() as searcher:
            assert len(list(searcher.document_numbers(id=first))) == 1
            assert len(list(searcher.document_numbers(id=second))) == 1
    finally:
        ix.close()
    assert [h["id"] for h in arsip_json(home, "search", "kenariy")] == [first]


class _HeldOpen(CommitPace):
    """A pace that keeps the batch open until told to commit."""

    def __init__(self) -> None:
        super().__init__(interval=60.0)
        self.release = threading.Event()

    def commit_due(self, held: int, batch_size: int, last_arrival: float,
                   now: float | None = None) -> bool:
        return self.release.is_set()


def test_a_second_writer_never_takes_back_what_an_open_batch_holds(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`arsip edit` (embedded) runs a writer of its own: it touches no marker before it has the
    lock. It used to take back the running batch's markers first, and when it then gave up
    waiting for the lock, the batch's commit removed them: the edit was never indexed."""
    import index.writer
    from arsip.errors import IndexBusy
    from arsip.sidecar import read_sidecar, write_sidecar

    [doc_id] = filed_notes(home, tmp_path / "notes", ["cucakrowo"])
    settings = Settings(home=home)
    layout = StateLayout.of(settings)
    marker = layout.index_pending / doc_id

    def apply(pace: CommitPace | None) -> None:
        apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                      batch_size=500, pace=pace)

    held = _HeldOpen()
    marker.touch()
    first = threading.Thread(target=apply, args=(held,))
    first.start()
    try:
        wait_until(lambda: not marker.exists(), 10, "the first writer never took the document")
        record = read_sidecar(settings.archive_path, doc_id)
        assert record is not None
        write_sidecar(settings.archive_path, {**record, "title": "Nota kepodang"},  # an edit
                      mode=0o640)
        marker.touch()  # due again
        monkeypatch.setattr(index.writer, "WRITER_TIMEOUT", 0.3)
        with pytest.raises(IndexBusy):
            apply(None)  # gives up waiting for the lock the open batch holds
    finally:
        held.release.set()
        first.join()
    apply(None)
    assert list(layout.index_pending.iterdir()) == []
    assert [h["id"] for h in arsip_json(home, "search", "kepodang")] == [doc_id]


def test_a_reindex_swaps_in_its_index_only_when_no_batch_is_open(home: Path,
                                                                 tmp_path: Path) -> None:
    """`arsip reindex` beside a running writer: the swap waits for the open batch's commit,
    and the index is whole afterwards (it used to be swapped under the batch, which then
    committed its segment into the new folder with the old index's table of segments)."""
    from index.rebuild import rebuild

    ids = filed_notes(home, tmp_path / "notes", ["gelatikx", "perkututx"])
    settings = Settings(home=home)
    layout = StateLayout.of(settings)
    held = _HeldOpen()
    (layout.index_pending / ids[0]).touch()
    first = threading.Thread(target=apply_pending, args=(
        settings.index_path, layout.index_pending, settings.archive_path),
        kwargs={"batch_size": 500, "pace": held})
    first.start()
    try:
        wait_until(lambda: not (layout.index_pending / ids[0]).exists(), 10,
                   "the writer never took the document")
        before = settings.index_path.stat().st_ino
        swap = threading.Thread(target=rebuild, args=(settings.index_path,
                                                      settings.archive_path),
                                kwargs={"pending_dir": layout.index_pending, "procs": 1})
        swap.start()
        time.sleep(1.0)  # built by now; the swap waits for the open batch
        assert settings.index_path.stat().st_ino == before
    finally:
        held.release.set()
        first.join()
    swap.join()
    assert settings.index_path.stat().st_ino != before  # swapped in after the commit
    apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                  batch_size=500, pace=CommitPace(interval=0.0))
    assert run_arsip(home, "check", "--json", check=False).returncode == 0
    for word, doc_id in zip(["gelatikx", "perkututx"], ids, strict=True):
        assert [h["id"] for h in arsip_json(home, "search", word)] == [doc_id]


def test_a_long_burst_is_committed_in_batches_of_at_most_100(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The last commit of a burst runs after its last document, alone: it is kept short
    while documents are on their way."""
    settings = Settings(home=tmp_path / "home")
    layout = StateLayout.of(settings)
    layout.ensure()
    for n in range(250):  # due documents (without sidecars: their entries are deleted)
        (layout.index_pending / f"{n:016x}").touch()
    caplog.set_level("INFO", logger="index.writer")
    written = apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                            batch_size=500, pace=CommitPace(interval=60.0))
    commits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("indexed")]
    assert written == 250
    assert commits == ["indexed 100 document(s)", "indexed 100 document(s)",
                       "indexed 50 document(s)"]
    assert list(layout.index_pending.iterdir()) == []
    caplog.clear()  # none on their way (a rebuild, the end of a burst): one commit
    for n in range(250):
        (layout.index_pending / f"{n:016x}").touch()
    assert apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                         batch_size=500,
                         pace=CommitPace(interval=60.0, more_coming=lambda: False)) == 250
    assert [r.getMessage() for r in caplog.records] == ["indexed 250 document(s)"]


def test_a_batch_opened_when_none_were_coming_is_not_outgrown(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A batch opened while nothing was on its way holds more than 100; when documents start
    coming meanwhile it is committed as it is, and never takes more (found by review: the
    number to take went negative, and took all but the last few of the new ones)."""
    settings = Settings(home=tmp_path / "home")
    layout = StateLayout.of(settings)
    layout.ensure()
    for n in range(250):
        (layout.index_pending / f"a{n:015x}").touch()
    calls = 0

    def more_coming() -> bool:
        nonlocal calls
        calls += 1
        if calls == 2:  # documents start coming while the first batch is open
            for n in range(300):
                (layout.index_pending / f"b{n:015x}").touch()
        return calls >= 2

    pace = CommitPace(interval=60.0, more_coming=more_coming)
    pace.committed()  # just after a commit: the interval is not what ends the batch
    caplog.set_level("INFO", logger="index.writer")
    assert apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                         batch_size=500, pace=pace) == 550
    sizes = [int(r.getMessage().split()[1]) for r in caplog.records
             if r.getMessage().startswith("indexed")]
    assert sizes[0] == 250 and all(size <= 100 for size in sizes[1:]) and sum(sizes) == 550
