"""Extraction in a child process, so that a crash in a C library (PDFium, libtiff, libjpeg, …)
costs one document, not the worker and the other documents in flight.

Children come from a forkserver: a clean process started once, with the extraction modules
imported, never a fork of the threaded worker (a fork copies its locks in whatever state other
threads left them). A child reads one document at a time and is kept for the next one (starting
a child costs 40-60 ms, more than reading a born-digital PDF), up to as many children as
documents in flight. A child that crashed or stalled is gone with its one document; a child
that grew big (a long scan) or has read many documents is retired, so its memory goes back to
the system. The child reports each step (page, render, OCR) over a pipe; a step that goes
silent for longer than tesseract's own time limit plus a margin is a stall, and the child is
killed.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any, TypeVar

from arsip import errors
from arsip.child_process import PipeLogHandler, ignore_ctrl_c, log_from_child
from arsip.errors import ArsipError, CorruptDocument, InternalError, OcrTimeout
from config.settings import Settings
from workers.extract import progress
from workers.extract.model import Extraction
from workers.tools.cores import CoreSlots

log = logging.getLogger(__name__)
T = TypeVar("T")

# The children's modules, imported once by the forkserver (the worker itself never imports the
# parsers: that keeps its start-up short). What only scans and photos need (numpy for cleaning
# up the page, pytesseract for its orientation, pdfminer for PDFs PDFium refuses, pillow-heif)
# is imported by the child that meets the first one: the forkserver is on the way to the first
# document of every run, and those took 110 ms of its 230 ms start.
PRELOAD = ["__main__", "workers.extract.isolation", "workers.extract.document",
           "workers.tools.tesseract", "tesserocr"]
# Test hook: "MARK[:abort|:hang]" makes the child die (SIGSEGV by default) on a file whose name
# is MARK or whose first 64 KiB contain MARK, as a crash inside a C library would.
CRASH_ENV = "ARSIP_TEST_CRASH_ON"
STALL_MARGIN_SECONDS = 60.0  # how much longer than ocr_timeout_seconds one step may go silent
REAP_SECONDS = 5.0
RETIRE_AFTER_DOCUMENTS = 200  # a child reads at most this many documents
# A child that grew past this (peak resident memory) is not reused. One OCR engine reading a
# dense page is about 130 MB; a child reads up to one page per core at once.
RETIRE_ABOVE_MB = 400.0
# Children read and OCR at a lower priority than the worker and the index writer, so that
# claiming, filing and indexing keep pace with them instead of piling up behind them.
CHILD_NICENESS = 10

CRASH_ADVICE = (
    "A library that arsip reads files with crashed on this one: the file is damaged or unusual. "
    "Open it and save (or print to PDF) a new copy, drop that into the inbox, and report the "
    "original with its reason file if it opens fine elsewhere"
)

_context: ForkServerContext | None = None
_context_lock = threading.Lock()


def _forkserver() -> ForkServerContext:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def warm_up(preload: tuple[str, ...] = ()) -> None:
    """Start the forkserver now (about a second, once) instead of on the first document, with
    the modules the children will need (`preload`, e.g. what `then` callables use) imported."""
    from multiprocessing import forkserver

    context = _forkserver()
    if preload:
        context.set_forkserver_preload([*PRELOAD, *preload])
    forkserver.ensure_running()


@dataclass
class _Child:
    """One extraction process and the worker's end of its pipe."""

    process: Any
    conn: Connection
    documents: int = 0
    peak_mb: float = 0.0

    def reusable(self) -> bool:
        return (self.process.is_alive() and self.documents < RETIRE_AFTER_DOCUMENTS
                and self.peak_mb < RETIRE_ABOVE_MB)


class _Children:
    """Idle children, kept for the next document."""

    def __init__(self) -> None:
        self._idle: list[_Child] = []
        self._lock = threading.Lock()
        self._cores: CoreSlots | None = None  # tesseract slots shared by all the children

    def take(self, settings: Settings) -> _Child:
        with self._lock:
            while self._idle:
                child = self._idle.pop()
                if child.process.is_alive():
                    return child
                _retire(child)
            context = _forkserver()
            if self._cores is None:
                folder = Path(tempfile.mkdtemp(prefix="arsip-cores-"))
                self._cores = CoreSlots(folder, settings.ocr_process_count)
        mine, theirs = context.Pipe(duplex=True)
        process = context.Process(target=child_loop, args=(theirs, self._cores), daemon=True,
                                  name="arsip-extract")
        try:
            process.start()
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        return _Child(process, mine)

    def give_back(self, child: _Child) -> None:
        if child.reusable():
            with self._lock:
                self._idle.append(child)
        else:
            _retire(child)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            cores, self._cores = self._cores, None
        for child in idle:  # all told first, then each awaited: they end side by side
            _tell_to_stop(child)
        for child in idle:
            _retire(child, told=True)
        if cores is not None:
            shutil.rmtree(cores.folder, ignore_errors=True)


_children = _Children()
atexit.register(_children.close)


def shut_down() -> None:
    """End the idle extraction children (they also end by themselves when the worker exits)."""
    _children.close()


def extract_isolated(path: Path, mime: str, settings: Settings,
                     then: Callable[[Extraction], T]) -> tuple[Extraction, T]:
    """read_document(path, mime, settings) in a child process, and `then` (a picklable
    callable) on its result there too; a crash → CorruptDocument."""
    child = _children.take(settings)
    started = time.perf_counter()
    answer: tuple[Extraction, T] | BaseException | None = None
    try:
        child.conn.send((path, mime, settings, then, _lowest_log_level(),
                         os.environ.get(CRASH_ENV, "")))
        answer = _await(child, what=parser_name(mime),
                        stall=settings.ocr_timeout_seconds + STALL_MARGIN_SECONDS)
        if isinstance(answer, BaseException):
            raise answer
        return answer
    finally:
        child.documents += 1
        if answer is None:  # crashed, stalled or interrupted mid-document
            _retire(child, politely=False)
        elif isinstance(answer, BaseException):  # a bad document may leave a library odd
            _retire(child)
        else:
            _children.give_back(child)
        log.debug("extraction child for %s: %.3f s", path.name, time.perf_counter() - started)


def parser_name(mime: str) -> str:
    """What a person calls the code that reads this kind of file."""
    return "PDF parser" if mime == "application/pdf" else "image decoder"


def _lowest_log_level() -> int:
    """The most detailed level any logger here wants: the child sends records from there up."""
    levels = [logging.getLogger().getEffectiveLevel()]
    levels += [logger.level for logger in logging.root.manager.loggerDict.values()
               if isinstance(logger, logging.Logger) and logger.level]
    return min(levels)


def _await(child: _Child, *, what: str, stall: float) -> tuple[Extraction, Any] | BaseException:
    """The child's answer: the extraction, or the document's error. Raises when the child
    crashed or stalled."""
    step = "the start"
    receiver = child.conn
    while True:
        if not receiver.poll(stall):
            raise OcrTimeout(f"the {what} made no progress for {stall:.0f} s at {step}; "
                             "it was stopped")
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            break  # the child is gone without a word
        if kind == "beat":
            step = payload
        elif kind == "log":
            log_from_child(payload)
        elif kind == "done":  # with the child's peak memory: one message, not two
            extraction, after, memory = payload
            child.peak_mb = memory["max_rss_mb"]
            log.debug("extraction child: peak memory %.0f MB", memory["max_rss_mb"])
            return extraction, after
        elif kind == "error":
            return _rebuild(payload)
    child.process.join(REAP_SECONDS)
    code = child.process.exitcode
    if code is not None and code < 0:
        number = -code
        name = signal.Signals(number).name if number in signal.valid_signals() else "?"
        cause = " (the system may have run out of memory)" if number == signal.SIGKILL else ""
        raise CorruptDocument(f"the {what} crashed (signal {number}, {name}) at {step}{cause}",
                              advice=CRASH_ADVICE)
    raise InternalError(f"the extraction process ended unexpectedly (exit code {code}) at {step}")


def _tell_to_stop(child: _Child) -> None:
    if child.process.is_alive():
        with contextlib.suppress(OSError):
            child.conn.send(None)


def _retire(child: _Child, *, politely: bool = True, told: bool = False) -> None:
    """End a child: asked to stop (unless `told` already) when it is idle and well, by
    SIGKILL otherwise."""
    process = child.process
    if politely and process.is_alive():
        if not told:
            _tell_to_stop(child)
        process.join(0.5)
    if process.is_alive():
        process.kill()
    child.conn.close()
    process.join(REAP_SECONDS)
    try:
        process.close()
    except ValueError:  # still running after SIGKILL and the wait: leave it to the OS
        log.warning("extraction child %s did not exit", process.pid)


def _rebuild(payload: tuple[Any, ...]) -> BaseException:
    """The child's exception, raised again in the worker with its meaning intact."""
    family = payload[0]
    if family == "arsip":
        _, class_name, message, advice = payload
        cls = getattr(errors, class_name, None)
        if isinstance(cls, type) and issubclass(cls, ArsipError):
            return cls(message, advice=advice)
        return InternalError(f"{class_name}: {message}")
    if family == "os":
        _, number, text = payload
        return OSError(number, text)
    _, type_name, text, trace = payload
    log.error("extraction failed in the child process:\n%s", trace)
    return InternalError(f"{type_name}: {text}")


# --- the child's side ---------------------------------------------------------------------


class _LockedConnection:
    """The child's end of the pipe, safe to send on from several threads."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    def send(self, message: Any) -> None:
        with self._lock:
            self._conn.send(message)

    def recv(self) -> Any:
        return self._conn.recv()

    def close(self) -> None:
        self._conn.close()


def child_loop(pipe: Connection, cores: CoreSlots) -> None:
    """Entry point of the child: read documents until told to stop or the worker is gone."""
    ignore_ctrl_c()
    os.nice(CHILD_NICENESS)
    conn = _LockedConnection(pipe)  # pages are OCR'd on several threads
    root = logging.getLogger()
    root.handlers = [PipeLogHandler(conn)]
    progress.set_sink(lambda step: conn.send(("beat", step)))
    from workers.tools.tesseract import share_cores  # preloaded in the forkserver

    share_cores(cores, still_waiting=lambda: progress.beat("waiting for a free core"))
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            if job is None:
                return
            read_one(conn, *job)
    finally:
        progress.set_sink(None)
        conn.close()


def read_one(conn: _LockedConnection, path: Path, mime: str, settings: Settings,
             then: Callable[[Extraction], Any], log_level: int, crash_on: str) -> None:
    """Read one document, run `then` on it, and send back both results or the error."""
    logging.getLogger().setLevel(log_level)
    logging.getLogger("pdfminer").setLevel(max(log_level, logging.WARNING))  # chatty at INFO
    logging.getLogger("PIL").setLevel(max(log_level, logging.INFO))  # every PNG chunk at DEBUG
    try:
        _crash_on_purpose(path, crash_on)
        from workers.extract.document import read_document  # preloaded in the forkserver

        result = read_document(path, mime, settings)
        progress.beat("classification")
        after = then(result)
    except ArsipError as exc:
        conn.send(("error", ("arsip", type(exc).__name__, exc.message, exc.advice)))
    except OSError as exc:
        if exc.errno is not None:
            conn.send(("error", ("os", exc.errno, exc.strerror or str(exc))))
        else:
            conn.send(("error", ("other", type(exc).__name__, str(exc), traceback.format_exc())))
    except Exception as exc:  # noqa: BLE001 - reported to the worker, which decides
        conn.send(("error", ("other", type(exc).__name__, str(exc), traceback.format_exc())))
    else:
        conn.send(("done", (result, after, peak_memory())))


def peak_memory() -> dict[str, float]:
    """This process's peak resident memory (tesseract's is its own: Linux would report it
    mixed with the pre-exec copy of this process)."""
    return {"max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _crash_on_purpose(path: Path, crash_on: str) -> None:
    """The test hook: die the way a C library does, on the marked file only."""
    if not crash_on:
        return
    mark, _, how = crash_on.partition(":")
    if mark != path.name:
        with open(path, "rb") as fh:
            if mark.encode() not in fh.read(65536):
                return
    if how == "hang":
        time.sleep(3600)
    elif how == "abort":
        os.abort()
    else:
        os.kill(os.getpid(), signal.SIGSEGV)
