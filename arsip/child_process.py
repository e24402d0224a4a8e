"""What every child process of a worker (extraction, the index writer) does first."""

from __future__ import annotations

import signal


def ignore_ctrl_c() -> None:
    """Ctrl-C reaches every process of the terminal's group: a child would die mid-document or
    mid-commit with a traceback. The worker stops its children itself, after the work in
    flight; a child whose worker is gone sees its pipe end and exits. (SIGTERM keeps its
    default: Python's multiprocessing ends leftover children with it when the worker exits.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
