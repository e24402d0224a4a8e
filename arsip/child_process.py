"""What every child process of a worker (extraction, the index writer) does first."""

from __future__ import annotations

import signal


def ignore_stop_signals() -> None:
    """Ctrl-C reaches every process of the terminal's group, and a service manager may send
    SIGTERM to all of a service's processes: a child would die mid-document or mid-commit with
    a traceback. The worker stops its children itself, after the work in flight; a child whose
    worker is gone sees its pipe end and exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
