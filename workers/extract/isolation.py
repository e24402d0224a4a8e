"""Extraction in a child process, so that a crash in a C library (PDFium, libtiff, libjpeg, …)
costs one document, not the worker and the other documents in flight.

Children come from a forkserver: a clean process started once, with the extraction modules
imported, never a fork of the threaded worker (a fork copies its locks in whatever state other
threads left them). A child starts in a few milliseconds; one short-lived child per document,
so its memory goes back to the system as soon as the document is done. The child reports each
step (page, render, OCR) over a pipe; a step that goes silent for longer than tesseract's own
time limit plus a margin is a stall, and the child is killed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any

from arsip import errors
from arsip.errors import ArsipError, CorruptDocument, InternalError, OcrTimeout
from config.settings import Settings
from workers.extract import progress
from workers.extract.document import parser_name, read_document
from workers.extract.model import Extraction

log = logging.getLogger(__name__)

PRELOAD = ["__main__", "workers.extract.isolation"]
# Test hook: "MARK[:abort|:hang]" makes the child die (SIGSEGV by default) on a file whose name
# is MARK or whose first 64 KiB contain MARK, as a crash inside a C library would.
CRASH_ENV = "ARSIP_TEST_CRASH_ON"
STALL_MARGIN_SECONDS = 60.0  # how much longer than ocr_timeout_seconds one step may go silent
REAP_SECONDS = 5.0

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


def warm_up() -> None:
    """Start the forkserver now (about a second, once) instead of on the first document."""
    from multiprocessing import forkserver

    _forkserver()
    forkserver.ensure_running()


def extract_isolated(path: Path, mime: str, settings: Settings) -> Extraction:
    """read_document(path, mime, settings) in a child process; its crash → CorruptDocument."""
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=child_main, name=f"arsip-extract {path.name}", daemon=True,
        args=(sender, path, mime, settings, _lowest_log_level(), os.environ.get(CRASH_ENV, "")),
    )
    started = time.perf_counter()
    try:
        child.start()
    except BaseException:
        receiver.close()
        raise
    finally:
        sender.close()
    try:
        return _await(child, receiver, what=parser_name(mime),
                      stall=settings.ocr_timeout_seconds + STALL_MARGIN_SECONDS)
    finally:
        receiver.close()
        _reap(child)
        log.debug("extraction child for %s: %.3f s", path.name, time.perf_counter() - started)


def _lowest_log_level() -> int:
    """The most detailed level any logger here wants: the child sends records from there up."""
    levels = [logging.getLogger().getEffectiveLevel()]
    levels += [logger.level for logger in logging.root.manager.loggerDict.values()
               if isinstance(logger, logging.Logger) and logger.level]
    return min(levels)


def _await(child: Any, receiver: Connection, *, what: str, stall: float) -> Extraction:
    step = "the start"
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
            name, level, text = payload
            logging.getLogger(name).log(level, "%s", text)
        elif kind == "stats":
            log.debug("extraction child: peak memory %.0f MB", payload["max_rss_mb"])
        elif kind == "done":
            return payload
        elif kind == "error":
            raise _rebuild(payload)
    child.join(REAP_SECONDS)
    code = child.exitcode
    if code is not None and code < 0:
        number = -code
        name = signal.Signals(number).name if number in signal.valid_signals() else "?"
        cause = " (the system may have run out of memory)" if number == signal.SIGKILL else ""
        raise CorruptDocument(f"the {what} crashed (signal {number}, {name}) at {step}{cause}",
                              advice=CRASH_ADVICE)
    raise InternalError(f"the extraction process ended unexpectedly (exit code {code}) at {step}")


def _reap(child: Any) -> None:
    if child.is_alive():
        child.kill()
    child.join(REAP_SECONDS)
    try:
        child.close()
    except ValueError:  # still running after SIGKILL and the wait: leave it to the OS
        log.warning("extraction child %s did not exit", child.pid)


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


class _PipeLogHandler(logging.Handler):
    """Sends the child's log records to the worker, which logs them under the same names."""

    def __init__(self, conn: Connection) -> None:
        super().__init__()
        self.conn = conn

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info))
            self.conn.send(("log", (record.name, record.levelno, text)))
        except Exception:  # noqa: BLE001 - logging must never break extraction
            self.handleError(record)


def child_main(conn: Connection, path: Path, mime: str, settings: Settings, log_level: int,
               crash_on: str) -> None:
    """Entry point of the child: read the document, send back the result or the error."""
    root = logging.getLogger()
    root.handlers = [_PipeLogHandler(conn)]
    root.setLevel(log_level)
    logging.getLogger("pdfminer").setLevel(max(log_level, logging.WARNING))  # chatty at INFO
    logging.getLogger("PIL").setLevel(max(log_level, logging.INFO))  # every PNG chunk at DEBUG
    progress.set_sink(lambda step: conn.send(("beat", step)))
    try:
        _crash_on_purpose(path, crash_on)
        result = read_document(path, mime, settings)
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
        conn.send(("stats", peak_memory()))
        conn.send(("done", result))
    finally:
        progress.set_sink(None)
        conn.close()


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
