"""Core slots: at most N tesseract processes at once across the extraction children of one
worker, so that documents can outnumber cores without their OCR fighting for them.

A slot is an flock on one of N files: the kernel lets go of it when its holder dies, so a
child killed in the middle of a page (a crash, a stall) never takes a core with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.02
STILL_WAITING_SECONDS = 5.0  # how often a long wait says so (a heartbeat, not a stall)


@dataclass(frozen=True)
class CoreSlots:
    """`count` slots as lock files in `folder` (picklable: each process opens them itself)."""

    folder: Path
    count: int

    @contextlib.contextmanager
    def hold(self, still_waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
        """Wait for a free slot and keep it for the duration of the block."""
        first = random.randrange(self.count)
        last_said = time.monotonic()
        while True:
            for k in range(self.count):
                fd = os.open(self.folder / f"core-{(first + k) % self.count}",
                             os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                try:
                    yield
                finally:
                    os.close(fd)  # closing the file lets go of the lock
                return
            if time.monotonic() - last_said >= STILL_WAITING_SECONDS:
                still_waiting()
                last_said = time.monotonic()
            time.sleep(POLL_SECONDS)
