"""`arsip reindex`: a fresh index from the sidecars, swapped in whole (no OCR).

The new index is built beside the old one by one writer in a single commit: every sidecar is
read once and added (nothing to replace in an empty index, so no per-document deletes), and the
work is spread over worker processes that each write one segment (no merge afterwards). A
killed rebuild leaves the old index untouched; searches keep working until the swap.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for

from arsip.errors import IndexBusy
from arsip.sidecar import iter_sidecar_ids, read_sidecar, sidecar_dir
from index.schema import open_index
from index.segment_writer import segment_writer
from index.waiting_writers import announced_wait
from index.writer import WRITER_TIMEOUT, index_fields

log = logging.getLogger(__name__)

# Postings held in memory (whoosh's estimate, shared out over the writer processes) before
# each spills a sorted run to disk; a process's real memory is about its share again on top
# of the interpreter and caches (100,000 documents, 2 processes: 860 MB at the peak).
LIMIT_MB_TOTAL = 512
JOB_DOCS = 200  # documents per job handed to a worker process


def writer_processes() -> int:
    """One per core the process may use, at most 4 (each holds its own postings pool)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def rebuild(index_dir: Path, archive: Path, *, batch_size: int = 1000,
            progress: Callable[[int], None] | None = None, procs: int | None = None,
            pending_dir: Path | None = None) -> int:
    """Build the new index beside the old one, then swap; returns the documents indexed.

    `progress(n)` is called after every `batch_size` documents handed to the writer (and for
    the rest at the end). Documents filed or changed while the rebuild ran (a running arsip
    keeps filing) are marked in `pending_dir` for the index writer, so the swap loses none."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".index-new-", dir=index_dir.parent))
    started = time.time() - 2.0  # filesystem timestamps may be coarser than the clock
    try:
        count = _write_all(build, archive, batch_size=max(1, batch_size), progress=progress,
                           procs=procs or writer_processes())
        old = index_dir.with_name(index_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        with _writers_kept_out(index_dir):
            if index_dir.exists():
                index_dir.rename(old)
            build.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
        if pending_dir is not None:
            mark_changed_since(archive, pending_dir, started)
        return count
    finally:
        shutil.rmtree(build, ignore_errors=True)


@contextlib.contextmanager
def _writers_kept_out(index_dir: Path) -> Iterator[None]:
    """Hold the live index's write lock while swapping: a running index writer's open batch
    is committed first (into the old index, which the sidecars then bring up to date), and its
    next batch opens on the new index. Swapping under an open batch had it commit its segment
    into the new folder with the old index's table of segments."""
    if not index_dir.exists():
        yield
        return
    lock = FileStorage(str(index_dir)).lock("MAIN_WRITELOCK")
    got = lock.acquire()
    if not got:
        with announced_wait(index_dir):
            got = try_for(lock.acquire, timeout=WRITER_TIMEOUT, delay=0.1)
    if not got:
        raise IndexBusy("the index writer kept the index busy; the new index was not swapped in",
                        advice="Run `arsip reindex` again")
    try:
        yield
    finally:
        lock.release()


def mark_changed_since(archive: Path, pending_dir: Path, since: float) -> int:
    """Mark for the index writer every sidecar written since `since` (epoch seconds)."""
    marked = 0
    pending_dir.mkdir(parents=True, exist_ok=True)
    try:
        entries = os.scandir(sidecar_dir(archive))
    except FileNotFoundError:
        return 0
    with entries:
        for entry in entries:
            if entry.name.endswith(".json") and not entry.name.startswith(".") and \
                    entry.stat().st_mtime >= since:
                (pending_dir / entry.name.removesuffix(".json")).touch()
                marked += 1
    if marked:
        log.info("%d document(s) filed during the rebuild are due for the index writer", marked)
    return marked


def _write_all(build: Path, archive: Path, *, batch_size: int,
               progress: Callable[[int], None] | None, procs: int) -> int:
    ix = open_index(build)
    options: dict[str, Any] = {"limitmb": max(64, LIMIT_MB_TOTAL // procs)}
    if procs > 1:
        options.update(procs=procs, batchsize=JOB_DOCS, multisegment=True)
    writer = ix.writer(**options) if procs > 1 else segment_writer(ix, **options)
    count = step = 0
    try:
        for doc_id in iter_sidecar_ids(archive):
            record = read_sidecar(archive, doc_id)
            if record is None:  # removed meanwhile
                continue
            writer.add_document(**index_fields(record, archive))
            count += 1
            step += 1
            if step == batch_size:
                if progress is not None:
                    progress(step)
                step = 0
        if progress is not None and step:
            progress(step)
        log.info("writing the index files for %d document(s)", count)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    return count
