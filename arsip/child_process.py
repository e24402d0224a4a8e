"""What the child processes of a worker (extraction, the index writer) share: how they take
Ctrl-C, and how their log records reach the worker's log over their pipe."""

from __future__ import annotations

import logging
import signal
import traceback
from typing import Any


def ignore_ctrl_c() -> None:
    """Ctrl-C reaches every process of the terminal's group: a child would die mid-document or
    mid-commit with a traceback. The worker stops its children itself, after the work in
    flight; a child whose worker is gone sees its pipe end and exits. (SIGTERM keeps its
    default: Python's multiprocessing ends leftover children with it when the worker exits.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class PipeLogHandler(logging.Handler):
    """In a child: sends each log record to the worker as ("log", (name, level, text)), which
    the worker logs under the same name (log_from_child)."""

    def __init__(self, conn: Any) -> None:
        super().__init__()
        self.conn = conn  # anything with send(): a Connection, or one shared under a lock

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info))
            self.conn.send(("log", (record.name, record.levelno, text)))
        except Exception:  # noqa: BLE001 - logging must never break the child's work
            self.handleError(record)


def log_from_child(payload: tuple[str, int, str]) -> None:
    """In the worker: log a record a child sent, under the child's logger name."""
    name, level, text = payload
    logging.getLogger(name).log(level, "%s", text)
