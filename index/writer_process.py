"""The index writer in a process of its own.

Whoosh is pure Python: analysing the words and writing the postings of a batch is CPU work
that, in the worker's own process, shares one interpreter lock with claiming, filing and
watching. In a child process it runs on another core beside them (400 PDFs: 2.7 s of the
worker process's 6.6 s). One child, kept from batch to batch (it keeps the commit pace); the
index queue still has one consumer, which waits for the child's answer. A child that died (a
crash, a kill) costs only its batch's commit: the markers it took are due again, and the next
call starts a new child.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from arsip.errors import Transient
from index.writer import CommitPace, apply_pending

log = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_listener: logging.handlers.QueueListener | None = None
_child_pid: int | None = None
_pool_lock = threading.Lock()
_pace: CommitPace | None = None  # in the child: the pace of its commits


def _commit_in_child(index_dir: Path, pending_dir: Path, archive: Path, batch_size: int,
                     interval: float, more_coming: Callable[[], bool]) -> tuple[int, int]:
    """In the child: apply_pending() at the child's own pace; (documents written, its pid)."""
    global _pace
    if _pace is None or _pace.interval != interval:
        _pace = CommitPace(interval, more_coming=more_coming)
    written = apply_pending(index_dir, pending_dir, archive, batch_size=batch_size, pace=_pace)
    return written, os.getpid()


class _LogHere(logging.Handler):
    """The child's log records, logged again in this process by the logger that wrote them."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)


def _send_logs_to(queue: Any, level: int) -> None:
    """In the child: every record from `level` up goes to the worker's log."""
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(queue)]
    root.setLevel(level)


def _writer_pool() -> ProcessPoolExecutor:
    global _pool, _listener
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            queue = context.Queue()
            _listener = logging.handlers.QueueListener(queue, _LogHere())
            _listener.start()
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                        initializer=_send_logs_to,
                                        initargs=(queue, logging.getLogger().getEffectiveLevel()))
        return _pool


def commit_pending(index_dir: Path, pending_dir: Path, archive: Path, *, batch_size: int,
                   interval: float, more_coming: Callable[[], bool]) -> int:
    """apply_pending(), in the writer child; how many documents it wrote."""
    global _child_pid
    pool = _writer_pool()
    try:
        written, _child_pid = pool.submit(_commit_in_child, index_dir, pending_dir, archive,
                                          batch_size, interval, more_coming).result()
        return written
    except BrokenProcessPool as exc:
        stop_writer()
        raise Transient("the index writer process ended unexpectedly; its documents are "
                        "committed on the next try") from exc


def _ready() -> int:
    return os.getpid()


def start_writer() -> None:
    """Start the child now (it imports whoosh meanwhile), not when the first document waits."""
    _writer_pool().submit(_ready)


def writer_pid() -> int | None:
    """The writer child's process id, once it has committed (None when there is none)."""
    return _child_pid


def stop_writer() -> None:
    """Let the child go (after its current batch)."""
    global _pool, _listener, _child_pid
    with _pool_lock:
        pool, _pool = _pool, None
        listener, _listener = _listener, None
        _child_pid = None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    if listener is not None:
        listener.stop()
