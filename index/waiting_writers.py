"""Writers waiting for the index's write lock say so, so that the index writer gives way only
when someone waits.

The index writer keeps a batch open for most of a burst and takes the lock again right after
each commit. Another writer (`arsip edit`, `arsip check --repair`, a reindex's swap) polls for
the lock every 0.1 s and would wait out the whole burst, so the writer leaves the lock free
for a moment after each commit in a burst, but only while a waiting writer has left a note
(`.waiting-…`, in the index folder, which every writer can write to and whoosh ignores):
leaving it free every time cost a quarter of each second of a burst.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import time
from collections.abc import Iterator
from pathlib import Path

STALE_SECONDS = 120.0  # longer than any writer waits: a note this old is a killed waiter's
NOTE_PREFIX = ".waiting-"


@contextlib.contextmanager
def announced_wait(index_dir: Path) -> Iterator[None]:
    """Leave a note for the index writer while waiting for the lock inside the block (none
    where it cannot be written: the wait goes on without it)."""
    note = index_dir / f"{NOTE_PREFIX}{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        note.touch()
    except OSError:
        yield
        return
    try:
        yield
    finally:
        note.unlink(missing_ok=True)


def writers_waiting(index_dir: Path) -> bool:
    """Whether another writer waits for the lock (a killed waiter's old note is removed)."""
    try:
        entries = [e for e in os.scandir(index_dir) if e.name.startswith(NOTE_PREFIX)]
    except FileNotFoundError:
        return False
    now = time.time()
    waiting = False
    for entry in entries:
        try:
            fresh = now - entry.stat().st_mtime < STALE_SECONDS
        except FileNotFoundError:
            continue  # the waiter got the lock meanwhile
        if fresh:
            waiting = True
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
    return waiting
