"""The index writer in a process of its own.

Whoosh is pure Python: analysing the words and writing the postings of a batch is CPU work
that, in the worker's own process, shares one interpreter lock with claiming, filing and
watching. In a child process it runs on another core beside them (400 PDFs: 2.7 s of the
worker process's 6.6 s). One child, kept from batch to batch (it keeps the commit pace); the
index queue still has one consumer, which waits for the child's answer. A child that died (a
crash, a kill) costs only its batch's commit: the markers it took are due again, and the next
call starts a new child.

The child holds nothing but its end of one pipe: when the worker dies, even by SIGKILL, the
child reads the end of that pipe and exits (a child of concurrent.futures' process pool holds
both ends of its job queue, and outlived a killed worker forever, with the forkserver).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import pickle
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from arsip.child_process import PipeLogHandler, ignore_ctrl_c, log_from_child
from arsip.errors import Transient

log = logging.getLogger(__name__)

JOIN_SECONDS = 10.0  # stopping: the child finishes its batch first, or is killed


def _child_main(conn: Connection, level: int) -> None:
    """The child: commit whenever asked, until told to stop or the worker is gone."""
    from index.writer import CommitPace, apply_pending  # whoosh: the child's, not the worker's

    ignore_ctrl_c()
    root = logging.getLogger()
    root.handlers[:] = [PipeLogHandler(conn)]
    root.setLevel(level)
    pace: CommitPace | None = None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the worker is gone
        if job is None:
            return
        index_dir, pending_dir, archive, batch_size, interval, more_coming, few_coming = job
        if pace is None or pace.interval != interval:
            pace = CommitPace(interval, more_coming=more_coming, few_coming=few_coming)
        try:
            written = apply_pending(index_dir, pending_dir, archive, batch_size=batch_size,
                                    pace=pace)
        except Exception as exc:  # noqa: BLE001 - the worker decides (a retry, a message)
            conn.send(("error", _picklable(exc)))
        else:
            conn.send(("done", written))


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001 - any exception that cannot travel becomes one that can
        return RuntimeError(f"{type(exc).__name__}: {exc}")


class _WriterChild:
    def __init__(self) -> None:
        context = multiprocessing.get_context("forkserver")
        self.conn, child_end = context.Pipe()
        self.process = context.Process(
            target=_child_main, name="arsip-index-writer", daemon=True,
            args=(child_end, logging.getLogger().getEffectiveLevel()))
        self.process.start()
        child_end.close()

    def commit(self, job: tuple[Any, ...]) -> int:
        """Send one job; log what the child logs meanwhile; its answer."""
        try:
            self.conn.send(job)
            while True:
                kind, payload = self.conn.recv()
                if kind != "log":
                    break
                log_from_child(payload)
        except (EOFError, OSError) as exc:
            raise _ChildGone from exc
        if kind == "error":
            raise payload
        return int(payload)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(JOIN_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _ChildGone(Exception):
    pass


_child: _WriterChild | None = None
_child_lock = threading.Lock()  # one caller at a time: the index queue's one consumer
_starting: threading.Thread | None = None  # start_writer_soon's thread, joined when stopping


def start_writer() -> None:
    """Start the child now (it imports whoosh meanwhile), not when the first document waits."""
    global _child
    with _child_lock:
        if _child is None:
            _child = _WriterChild()


def start_writer_soon() -> threading.Thread:
    """start_writer() on a thread of its own: the child comes from the extraction forkserver,
    which is still importing for half a second after it starts, and the caller has better
    things to do meanwhile (claiming the first documents)."""

    def start() -> None:
        try:
            start_writer()
        except Exception as exc:  # noqa: BLE001 - the first commit starts it again, or says why
            log.warning("could not start the index writer process yet (%s); it is started "
                        "again when the first document waits", exc)

    global _starting
    thread = threading.Thread(target=start, name="arsip-index-writer-start", daemon=True)
    _starting = thread
    thread.start()
    return thread


def commit_pending(index_dir: Path, pending_dir: Path, archive: Path, *, batch_size: int,
                   interval: float, more_coming: Callable[[], bool],
                   few_coming: Callable[[], bool] | None = None) -> int:
    """apply_pending(), in the writer child; how many documents it wrote."""
    global _child
    with _child_lock:
        if _child is None:
            _child = _WriterChild()
        try:
            return _child.commit((index_dir, pending_dir, archive, batch_size, interval,
                                  more_coming, few_coming))
        except _ChildGone as exc:
            gone, _child = _child, None
            gone.stop()
            raise Transient("the index writer process ended unexpectedly; its documents are "
                            "committed on the next try") from exc


def writer_pid() -> int | None:
    """The writer child's process id (None when there is none)."""
    child = _child
    return child.process.pid if child is not None else None


def stop_writer() -> None:
    """Let the child go (after its current batch)."""
    global _child
    starting = _starting
    if starting is not None:
        starting.join()  # a child still being started is stopped too, not left behind
    with _child_lock:
        child, _child = _child, None
    if child is not None:
        child.stop()
