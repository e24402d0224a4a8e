"""The claim protocol: a file belongs to arsip once it is renamed into the state area.

A claim is a folder `state/claims/<claim-id>/` holding `claim.json` (written first) and
`document` (the file, renamed in atomically). It lasts until the document is filed, marked a
duplicate or quarantined; then `release_claim` records the outcome and removes the folder.
Think maildir's tmp/new/cur: the filesystem is the source of truth, the broker only a messenger.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import secrets
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from arsip.faults import checkpoint
from arsip.fsutil import (
    file_lock,
    fsync_dir,
    read_json,
    sha256_file,
    write_json_atomic,
)
from intake.state import StateLayout

log = logging.getLogger(__name__)

DOCUMENT = "document"
RECORD = "claim.json"
INCOMING = ".incoming.arsip-tmp"  # an ingest copy on its way in
COPY_CHUNK = 1 << 20


class RefusedEntry(Exception):
    """An inbox entry that must not be opened: a symlink or a special file."""


@dataclass
class Claim:
    """What arsip knows about a claimed file before it is processed."""

    claim_id: str
    original: str  # path relative to the inbox (or the source path for `arsip ingest`)
    source: str  # "inbox" or "ingest"
    name: str  # the original file name
    size: int
    mtime: float
    claimed_at: str
    sha256: str | None = None
    attempts: int = 0
    refused: str | None = None  # why the entry was refused (symlink, fifo, …)
    original_raw: str | None = None  # hex of the path bytes when they are not valid UTF-8
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def folder_tags(self) -> list[str]:
        """Sub-folders of the inbox become tags: inbox/pajak/2026/x.pdf → pajak, 2026."""
        if self.source != "inbox":
            return []
        return [part for part in Path(self.original).parts[:-1] if part not in ("", ".", "..")]


def printable_path(path: str) -> tuple[str, str | None]:
    """A path as valid UTF-8 text for records and logs, plus its raw bytes (hex) if it had to
    change: file names with invalid UTF-8 still get an outcome."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw.hex()


def new_claim_id() -> str:
    """Sortable and unique across machines: UTC time plus randomness."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(5)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def document_path(layout: StateLayout, claim_id: str) -> Path:
    return layout.claim_dir(claim_id) / DOCUMENT


def save_claim(layout: StateLayout, claim: Claim) -> None:
    write_json_atomic(layout.claim_dir(claim.claim_id) / RECORD, asdict(claim))


def load_claim(layout: StateLayout, claim_id: str) -> Claim | None:
    try:
        data = read_json(layout.claim_dir(claim_id) / RECORD)
    except FileNotFoundError:
        return None
    known = {f for f in Claim.__dataclass_fields__}
    return Claim(**{k: v for k, v in data.items() if k in known})


def readable_claim(layout: StateLayout, claim_id: str) -> Claim | None:
    """load_claim() for those who only look (recovery, `arsip status`): a record that cannot
    be parsed (cut short by a crash, edited by hand) is reported and skipped, not raised; its
    file stays where it is. A read error is still raised: it says nothing about the record."""
    try:
        return load_claim(layout, claim_id)
    except (ValueError, TypeError, AttributeError) as exc:
        folder = layout.claim_dir(claim_id)
        log.warning("claim %s: its record %s cannot be read (%s); skipped. Its file, if any, "
                    "is %s: move it back into the inbox to have it filed, then remove the "
                    "folder", claim_id, folder / RECORD, exc, folder / DOCUMENT)
        return None


def list_claim_ids(layout: StateLayout) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(layout.claims) if e.is_dir()
                      and not e.name.startswith("."))
    except FileNotFoundError:
        return []


def describe_refusal(mode: int) -> str | None:
    """Why an entry must not be opened, or None for a regular file."""
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    if not stat.S_ISREG(mode):
        return "special file"
    return None


def new_claim(st: os.stat_result, original: str, name: str, *, source: str) -> Claim:
    """What a claim of this entry records (nothing written yet)."""
    printable, raw = printable_path(original)
    return Claim(
        claim_id=new_claim_id(),
        original=printable,
        original_raw=raw,
        source=source,
        name=printable_path(name)[0],
        size=st.st_size,
        mtime=st.st_mtime,
        claimed_at=now_iso(),
        refused=describe_refusal(st.st_mode),
    )


def open_claim(layout: StateLayout, st: os.stat_result, original: str, name: str, *,
               source: str) -> Claim:
    """A new claim folder with its record written first: from then on recovery can always tell
    what the claim was, whether or not the file ever arrived in it."""
    claim = new_claim(st, original, name, source=source)
    folder = layout.claim_dir(claim.claim_id)
    folder.mkdir(parents=True)
    # Durable before the file is moved in, in this order: the folder, then its record. Without
    # these, a power cut (not a kill: the kernel still writes what it was given) could keep
    # the file's move and lose the record, or lose the folder with the file in it; a folder
    # with a file and no record is never processed, and a lost folder loses the file. The
    # inbox's claims sync at once; `arsip ingest`'s once, at the end (its sources stay put).
    fsync_dir(layout.claims)
    save_claim(layout, claim)
    fsync_dir(folder)
    checkpoint("claim.recorded")
    return claim


def claim_inbox_file(layout: StateLayout, inbox: Path, path: Path) -> Claim | None:
    """Claim one inbox entry by an atomic rename; None if someone else took it first.

    Symlinks and special files are claimed *without being opened or followed* (a rename moves
    the link or FIFO itself) and marked refused, so the caller quarantines them with a reason.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    claim = open_claim(layout, st, str(path.relative_to(inbox)), path.name, source="inbox")
    folder = layout.claim_dir(claim.claim_id)
    target = folder / DOCUMENT
    try:
        os.rename(path, target)
    except FileNotFoundError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    except OSError as exc:
        if exc.errno != errno.EXDEV or claim.refused:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _copy_then_unlink(path, target)
    fsync_dir(folder)
    checkpoint("claim.renamed")
    if not claim.refused:
        claim.sha256 = sha256_file(target)
        save_claim(layout, claim)
    checkpoint("claim.hashed")
    log.info("claimed %s as %s", claim.original, claim.claim_id)
    return claim


def _copy_then_unlink(src: Path, dst: Path) -> None:
    """The inbox is on another filesystem (a network share): copy, verify, then remove."""
    shutil.copyfile(src, dst)
    with open(dst, "rb") as fh:
        os.fsync(fh.fileno())
    if sha256_file(dst) != sha256_file(src):
        dst.unlink()
        raise OSError(errno.EIO, f"copy of {src} did not verify; left it in the inbox")
    src.unlink()


def claim_copy(layout: StateLayout, source: Path) -> Claim:
    """Claim a copy of an existing file for `arsip ingest`; the source is left untouched.

    The copy goes in first and the record, with the copy's hash, once after it (an inbox
    claim writes its record before the file moves in, and again with the hash): a folder
    without a record is a copy that never finished, whose source is still where it was.
    Recovery removes it when it holds no file yet (drop_unrecorded_folder); one killed in
    the moment between the copy's rename and the record keeps its file and is reported.
    Writing the record twice cost a file made and another deleted for every document, and on
    ext4 without a journal each new file is found by a search past every file deleted there
    in the last minutes."""
    st = os.lstat(source)
    if describe_refusal(st.st_mode):
        return open_claim(layout, st, str(source), source.name, source="ingest")
    claim = new_claim(st, str(source), source.name, source="ingest")
    folder = layout.claim_dir(claim.claim_id)
    folder.mkdir(parents=True)
    fsync_dir(layout.claims)
    try:
        tmp = folder / INCOMING
        claim.sha256 = copy_hashed(source, tmp, st)
        os.rename(tmp, folder / DOCUMENT)
        save_claim(layout, claim)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # nothing was claimed: the source stays
        raise
    fsync_dir(folder)
    return claim


def copy_hashed(source: Path, target: Path, st: os.stat_result) -> str:
    """Copy `source` (not through a symbolic link) to a new file `target`, durably, with its
    times; returns the sha256 of the bytes written, hashed as they are copied (not read back:
    a copy and a hash took 35 system calls, now 12)."""
    digest = hashlib.sha256()
    # Not through a link, and without waiting on a named pipe put there since the lstat.
    src = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        now = os.fstat(src)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise OSError(errno.ESTALE, f"{source} was replaced while it was being claimed; "
                                        "ingest it again")
        dst = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            while block := os.read(src, COPY_CHUNK):
                digest.update(block)
                view = memoryview(block)
                while view:
                    view = view[os.write(dst, view):]
            os.fsync(dst)
            os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
        finally:
            os.close(dst)
    finally:
        os.close(src)
    return digest.hexdigest()


@contextlib.contextmanager
def hold_claim(layout: StateLayout, claim_id: str) -> Iterator[bool]:
    """Exclusive hold of a claim while it is processed; False if another worker holds it
    (across machines: see StateLayout.claim_lock)."""
    with file_lock(layout.claim_lock(claim_id), blocking=False) as held:
        yield held


def claim_is_held(layout: StateLayout, claim_id: str) -> bool:
    with hold_claim(layout, claim_id) as free:
        return not free


# Told each claim id whose outcome this process has just recorded (`arsip ingest --wait`
# with its workers in-process), so that it need not look for every file again and again.
_outcome_watchers: list[Callable[[str], None]] = []
_watchers_lock = threading.Lock()


@contextlib.contextmanager
def outcomes_watched(watcher: Callable[[str], None]) -> Iterator[None]:
    """Inside, `watcher(claim_id)` is called after each outcome this process records."""
    with _watchers_lock:
        _outcome_watchers.append(watcher)
    try:
        yield
    finally:
        with _watchers_lock:
            _outcome_watchers.remove(watcher)


def record_outcome(layout: StateLayout, claim: Claim, status: str, **details: Any) -> None:
    write_json_atomic(
        layout.outcome(claim.claim_id),
        {"claim_id": claim.claim_id, "status": status, "original": claim.original,
         "name": claim.name, "at": now_iso(), **details},
    )
    for watcher in tuple(_outcome_watchers):
        watcher(claim.claim_id)


def read_outcome(layout: StateLayout, claim_id: str) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = read_json(layout.outcome(claim_id))
    except FileNotFoundError:
        return None
    return data


def remove_claim_folder(folder: Path) -> None:
    """The folder, its file and its record: three system calls where a claim holds just those
    (shutil.rmtree takes fifteen); anything else in it is left to rmtree."""
    for name in (DOCUMENT, RECORD):
        with contextlib.suppress(OSError):  # whatever is left, rmtree tries below
            os.unlink(folder / name)
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        pass
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


class _KeepClaimLocks:
    depth = 0  # how many bulk ingests of this process keep their claims' lock files


_keep_claim_locks = _KeepClaimLocks()


@contextlib.contextmanager
def claim_locks_removed_at_end(layout: StateLayout, claims: list[Claim]) -> Iterator[None]:
    """Inside (a bulk `arsip ingest` with its workers in this process), a released claim's
    lock file stays until the block ends, then the claims' lock files go together: deleted
    one by one as documents were released, each was one more file for the next new file's
    search on ext4 without a journal to pass. A lock file of a released claim locks nothing:
    a late message for it finds the claim released."""
    _keep_claim_locks.depth += 1
    try:
        yield
    finally:
        _keep_claim_locks.depth -= 1
        for claim in claims:  # those claimed inside
            remove_claim_lock(layout, claim.claim_id)


def remove_claim_lock(layout: StateLayout, claim_id: str) -> bool:
    """The lock file of a claim that is gone, unless someone holds it (True when removed)."""
    if os.path.lexists(layout.claim_dir(claim_id)):
        return False
    lock = layout.claim_lock(claim_id)
    if not os.path.lexists(lock):
        return False
    with file_lock(lock, blocking=False) as free:
        if not free or os.path.lexists(layout.claim_dir(claim_id)):  # back: `arsip retry`
            return False
        with contextlib.suppress(OSError):
            os.unlink(lock)
            return True
    return False


def release_claim(layout: StateLayout, claim: Claim, status: str, **details: Any) -> None:
    """The document has its outcome: record it, then let the claim go."""
    record_outcome(layout, claim, status, **details)
    checkpoint("release.outcome-recorded")
    remove_claim_folder(layout.claim_dir(claim.claim_id))
    if not _keep_claim_locks.depth:
        with contextlib.suppress(FileNotFoundError):
            layout.claim_lock(claim.claim_id).unlink()
    fsync_dir(layout.claims)


INGEST_COPY_SECONDS = 60.0  # an ingest claim without its copy for this long: the copy died


def _ingest_copy_missing(layout: StateLayout, claim: Claim) -> bool:
    """An `arsip ingest` claim whose copy is not in place (no hash, no document)."""
    return claim.source == "ingest" and not claim.sha256 and \
        not os.path.lexists(document_path(layout, claim.claim_id))


def copy_may_be_arriving(layout: StateLayout, claim: Claim) -> bool:
    """An `arsip ingest` claim recorded moments ago whose copy is not in place yet."""
    return _ingest_copy_missing(layout, claim) and age_seconds(claim) < INGEST_COPY_SECONDS


def abandon_unfinished_rename(layout: StateLayout, inbox: Path, claim: Claim) -> bool:
    """Start-up: a claim whose rename never happened (the file is still in the inbox), or an
    ingest claim whose copy never arrived (its source is untouched), is dropped.

    Returns True when the claim folder was removed.
    """
    if document_path(layout, claim.claim_id).exists() or os.path.lexists(
        layout.claim_dir(claim.claim_id) / DOCUMENT
    ):
        return False
    relative = bytes.fromhex(claim.original_raw) if claim.original_raw else claim.original
    where = os.path.join(os.fsencode(inbox), os.fsencode(relative))
    if claim.source == "inbox" and os.path.lexists(where) and not claim.sha256:
        shutil.rmtree(layout.claim_dir(claim.claim_id), ignore_errors=True)
        return True
    return drop_dead_ingest_claim(layout, claim)


UNRECORDED_SECONDS = 600.0  # a claim folder without a record for this long: its copy died


def drop_unrecorded_folder(layout: StateLayout, claim_id: str) -> bool:
    """A claim folder without a record and without a file, untouched for UNRECORDED_SECONDS:
    `arsip ingest` died while copying into it (its source is untouched), or a claim died
    before its record (before the inbox file moved in). Removed; True when it was. A folder
    with a file and no record is kept and reported: that file may be the only copy (a retry
    of an earlier version killed between moving the file back and recording it)."""
    folder = layout.claim_dir(claim_id)
    try:
        if os.path.lexists(folder / RECORD) or \
                time.time() - os.lstat(folder).st_mtime < UNRECORDED_SECONDS:
            return False
        if os.path.lexists(folder / DOCUMENT):
            log.warning("claim folder %s has a file but no record; left as it is: move %s "
                        "back into the inbox to have it filed, then remove the folder",
                        folder, folder / DOCUMENT)
            return False
    except FileNotFoundError:
        return False
    log.info("removed claim folder %s: it has no record and no file (a copy or claim that "
             "died on its way in; the file it came from was never moved)", folder)
    shutil.rmtree(folder, ignore_errors=True)
    return True


def drop_dead_ingest_claim(layout: StateLayout, claim: Claim) -> bool:
    """`arsip ingest` died before its copy was in place (its source was never touched): drop
    the claim once it is too old to be a copy still arriving. True when dropped."""
    if not _ingest_copy_missing(layout, claim) or age_seconds(claim) < INGEST_COPY_SECONDS:
        return False
    log.info("dropped claim %s: `arsip ingest` of %s died before copying it", claim.claim_id,
             claim.original)
    shutil.rmtree(layout.claim_dir(claim.claim_id), ignore_errors=True)
    return True


def age_seconds(claim: Claim) -> float:
    try:
        then = datetime.fromisoformat(claim.claimed_at).timestamp()
    except ValueError:
        return 0.0
    return time.time() - then
