"""The index writer: it runs in a child process (a child that dies loses no document), and
its small commits are merged when the archive is idle."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from arsip.errors import Transient
from config.settings import Settings
from index import writer_process
from index.schema import open_index
from index.writer import MERGE_IDLE_FROM, CommitPace, apply_pending
from index.writer_process import commit_pending, stop_writer, writer_pid
from intake.state import StateLayout
from tests.conftest import arsip_json, filed_notes, run_arsip, start_arsip, stop, wait_until
from tests.docsamples import text_pdf


def test_a_killed_writer_child_is_replaced_and_its_documents_are_committed(
        home: Path, tmp_path: Path) -> None:
    for word in ("kenarisatu", "kenaridua"):
        letter = tmp_path / f"surat-{word}.txt"
        letter.write_text(f"Surat pemberitahuan\n\nKata yang dicari: {word}\n")
        run_arsip(home, "ingest", str(letter), "--wait")
    settings = Settings(home=home)
    layout = StateLayout.of(settings)
    ids = sorted(hit["id"] for word in ("kenarisatu", "kenaridua")
                 for hit in arsip_json(home, "search", word))
    assert len(ids) == 2

    def commit() -> int:
        return commit_pending(settings.index_path, layout.index_pending, settings.archive_path,
                              batch_size=10, interval=0.0, more_coming=layout.documents_in_flight)

    try:
        (layout.index_pending / ids[0]).touch()  # as after `arsip edit`: due again
        assert commit() == 1
        child = writer_pid()
        assert child is not None and child != os.getpid()
        os.kill(child, signal.SIGKILL)

        (layout.index_pending / ids[1]).touch()
        with pytest.raises(Transient, match="index writer process ended"):
            commit()
        assert (layout.index_pending / ids[1]).exists()  # still due: nothing was lost
        assert commit() == 1  # the retry starts a new child
        assert writer_pid() not in (None, child)
        assert list(layout.index_pending.iterdir()) == []
    finally:
        stop_writer()
    assert writer_process.writer_pid() is None
    assert [h["id"] for h in arsip_json(home, "search", "kenaridua")] == [ids[1]]


def segments(index_dir: Path) -> int:
    ix = open_index(index_dir, create=False)
    try:
        with ix.searcher() as searcher:
            return len(searcher.reader().leaf_readers())
    finally:
        ix.close()


def test_lone_commits_do_not_merge_and_an_idle_writer_merges(home: Path,
                                                               tmp_path: Path) -> None:
    words = [f"kenari{n}x" for n in ("satu", "dua", "tiga", "empat", "lima")]
    ids = filed_notes(home, tmp_path / "notes", words)
    settings = Settings(home=home)
    layout = StateLayout.of(settings)

    def apply(more_coming: bool) -> int:
        return apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                             batch_size=10, pace=CommitPace(0.0, lambda: more_coming))

    before = segments(settings.index_path)
    for doc_id in ids:  # five documents, each committed alone while others are on their way
        (layout.index_pending / doc_id).touch()
        assert apply(more_coming=True) == 1
    assert segments(settings.index_path) == before + 5  # no merging meanwhile
    assert apply(more_coming=True) == 0 and segments(settings.index_path) == before + 5
    just_committed = CommitPace(0.0, lambda: False)
    just_committed.committed()  # the end of a burst: a merge now would hold up `arsip ingest`
    assert apply_pending(settings.index_path, layout.index_pending, settings.archive_path,
                         batch_size=10, pace=just_committed) == 0
    assert segments(settings.index_path) == before + 5
    assert apply(more_coming=False) == 0  # idle: the small segments are merged
    assert segments(settings.index_path) < MERGE_IDLE_FROM
    for word, doc_id in zip(words, ids, strict=True):
        assert [h["id"] for h in arsip_json(home, "search", word)] == [doc_id]


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (Linux: /proc/PID/task/TID/children)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def test_a_killed_worker_leaves_no_process_behind(home: Path) -> None:
    process = start_arsip(home, "run")
    try:
        log = home.parent / "arsip.log"
        wait_until(lambda: "arsip is running" in log.read_text(errors="replace"), 60,
                   "arsip run did not come up")
        # the extraction forkserver and the index writer child, at least
        below = wait_until(lambda: descendants(process.pid) if len(descendants(process.pid)) >= 2
                           else None, 30, "no child processes")
    finally:
        process.kill()  # SIGKILL: no clean-up runs
        process.wait()

    def running(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state != "Z"  # a zombie has ended; only its parent has not looked yet

    def gone() -> bool:
        return not any(running(pid) for pid in below)

    wait_until(gone, 15, f"processes outlived the killed worker: {sorted(below)}")


def test_extraction_children_yield_the_processor_to_the_worker_and_the_index_writer(
        home: Path) -> None:
    from workers.extract.isolation import CHILD_NICENESS

    process = start_arsip(home, "run")
    try:
        log = home.parent / "arsip.log"
        wait_until(lambda: "arsip is running" in log.read_text(errors="replace"), 60,
                   "arsip run did not come up")
        text_pdf(home / "nota.pdf", [["Nota pembelian", "", "Kata kunci: kutilang"]])
        (home / "nota.pdf").rename(home / "inbox" / "nota.pdf")  # a PDF: read in a child
        def indexed() -> bool:  # (until the first commit there is no index to search)
            found = run_arsip(home, "search", "kutilang", "--json", check=False)
            return found.returncode == 0 and bool(json.loads(found.stdout))

        wait_until(indexed, 60, "never indexed")
        base = os.getpriority(os.PRIO_PROCESS, process.pid)
        nice = {pid: os.getpriority(os.PRIO_PROCESS, pid) for pid in descendants(process.pid)}
    finally:
        stop(process)
    # the forkserver and the index writer at the worker's priority, the extraction child lower
    assert base in nice.values()
    assert base + CHILD_NICENESS in nice.values()
    assert set(nice.values()) == {base, base + CHILD_NICENESS}
