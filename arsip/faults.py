"""Deterministic fault injection for the crash and disk-full tests; inert unless asked for.

Two environment variables, read once when the module is imported:

- ``ARSIP_FAULT_KILL_AT=<checkpoint>``: the process kills itself with SIGKILL when it reaches
  ``checkpoint(<checkpoint>)``, a named boundary between two steps (see ``CHECKPOINTS``); in a
  child process (the index writer), arsip's own process too.
- ``ARSIP_FAULT_DISK_FULL=<count>[:<path part>]``: the first ``count`` atomic writes (``all``:
  every one) whose path has the folder or file name ``<path part>`` (any path when omitted)
  fail with ``OSError(ENOSPC)``, as on a full disk.

Unset, ``checkpoint`` is one comparison with None and ``disk_write`` one truth test.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
from pathlib import Path

KILL_ENV = "ARSIP_FAULT_KILL_AT"
DISK_FULL_ENV = "ARSIP_FAULT_DISK_FULL"

# Every boundary a checkpoint marks, in the order a document meets them.
CHECKPOINTS = (
    "claim.recorded",         # claim record written, the file not yet renamed into the claim
    "claim.renamed",          # the file is in the claim, its sha256 not yet recorded
    "claim.hashed",           # the claim is complete, not yet sent to a worker
    "extract.done",           # text extracted (and ruled on, in the extraction child)
    "classify.done",          # the auto classifier applied too; nothing written yet
    "file.sidecar-written",   # the sidecar names the path; the original is not there yet
    "file.linked",            # the original is linked into the archive, not yet verified
    "file.marked",            # filed and marked for the index; the claim not yet released
    "release.outcome-recorded",  # outcome written; the claim folder not yet removed
    "release.done",           # claim released; the index writer not yet nudged
    "index.taken",            # the writer took the pending markers; nothing written
    "index.before-commit",    # documents added to the open writer (segment files), no commit
    "index.committed",        # committed; the pending markers not yet removed
    "duplicate.set-aside",    # the same content filed before: the copy set aside, not released
    "quarantine.staged",      # reason written beside failed/, the file still in its claim
    "quarantine.moved",       # the file moved into the staged reason folder, not yet in place
    "quarantine.placed",      # failed/<claim-id>/ complete; the claim not yet released
)


def _parse_disk_full(spec: str) -> tuple[int | None, str | None] | None:
    """`3`, `3:.arsip`, `all`, `all:.arsip` → (count or None for every write, path part)."""
    if not spec:
        return None
    count_text, _, part = spec.partition(":")
    count = None if count_text.strip() == "all" else int(count_text)
    return count, part or None


_KILL_AT: str | None = os.environ.get(KILL_ENV) or None
# The process that first imported this module is arsip's own; its children (extraction, the
# index writer) inherit the variable, and a kill in one of them takes arsip down with it, as a
# power cut would.
ROOT_ENV = "ARSIP_FAULT_ROOT_PID"
if _KILL_AT is not None:
    os.environ.setdefault(ROOT_ENV, str(os.getpid()))
_DISK_FULL = _parse_disk_full(os.environ.get(DISK_FULL_ENV, ""))
_failed_writes = 0
_lock = threading.Lock()


def checkpoint(name: str) -> None:
    """A step boundary: die here, at once and without clean-up, when the test asks for it."""
    if _KILL_AT is not None and name == _KILL_AT:
        root = int(os.environ.get(ROOT_ENV) or os.getpid())
        if root != os.getpid():
            os.kill(root, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)


def disk_write(path: Path) -> None:
    """Called before an atomic write to `path`: raise ENOSPC while the fake disk is full."""
    if _DISK_FULL is None:
        return
    global _failed_writes
    count, part = _DISK_FULL
    if part is not None and part not in path.parts:
        return
    with _lock:
        if count is not None and _failed_writes >= count:
            return
        _failed_writes += 1
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
