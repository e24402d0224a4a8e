"""The single index writer: it consumes pending markers and commits them in batches.

Workers never touch the index; they leave a marker in `state/index-pending/` and nudge the
index queue. The writer takes every marker waiting (up to a batch), writes them in one commit,
then removes the markers: a lone document is committed at once, a burst in a few commits, and a
writer killed mid-commit leaves the markers for the next run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh.writing import LockError

from arsip.errors import IndexBusy
from arsip.faults import checkpoint
from arsip.fsutil import has_entries
from arsip.keyfields import key_fields
from arsip.sidecar import iter_sidecar_ids, read_sidecar
from index.analysis import distinct_forms
from index.schema import codes_in, index_is_fresh, open_index
from index.segment_writer import segment_writer
from index.waiting_writers import writers_waiting

log = logging.getLogger(__name__)

WRITER_TIMEOUT = 30.0
MAX_SEGMENTS = 20  # a writer that is never idle merges anyway at this many segments
MERGE_IDLE_FROM = 4  # an idle writer merges from this many segments
# ... and only once no commit has been made for this long: right after a burst the calls still
# queued find nothing to do, and a merge begun then held up the end of `arsip ingest` by as
# long as it took (1.4 s once, at 400 documents; the command waits for the writer to finish).
# A daemon merges at its next call (the index keeper's nudge, a new document).
MERGE_QUIET_SECONDS = 2.0


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time())
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def index_fields(record: dict[str, Any], archive: Path) -> dict[str, Any]:
    content = record.get("content") or ""
    fields: dict[str, Any] = {
        "id": record["id"],
        "path": str(archive / record["path"]),
        "title": record.get("title") or "",
        "content": content,
        "words": distinct_forms(f"{record.get('title') or ''}\n{content}"),
        "codes": codes_in(f"{content}\n{record.get('title') or ''}\n{record.get('number') or ''}"),
        "type": record.get("type") or "other",
        "correspondent": record.get("correspondent") or "",
        "correspondent_exact": (record.get("correspondent") or "").lower(),
        "tag": ",".join(record.get("tags") or []),
        "number": (record.get("number") or "").lower(),
    }
    keys = key_fields(record)
    amount = keys["amount"]
    if isinstance(amount, dict) and isinstance(amount.get("value"), (int, float)):
        fields["amount"] = float(amount["value"])
        fields["currency"] = str(amount.get("currency") or "")
    if keys["npwp"]:
        fields["npwp"] = f"{keys['npwp']} {''.join(ch for ch in keys['npwp'] if ch.isdigit())}"
    due = _date(keys["due_date"])
    if due is not None:
        fields["due"] = due
        fields["due_day"] = due.toordinal()
    if record.get("created"):
        fields["year"] = str(record["created"])[:4]
    for name in ("created", "added"):
        value = _date(record.get(name))
        if value is not None:
            fields[name] = value
            fields[f"{name}_day"] = value.toordinal()
    return fields


QUIET_SECONDS = 0.3  # no new document for this long: the burst is over, commit
# A paced batch holds at most this many documents while more are on their way. Committing
# costs ~1.3 ms a document, and a burst's last commit runs after its last document is filed,
# alone: with batches of up to 500 (a second's worth) the end of a 400-PDF ingest waited
# 0.32-0.50 s for it, with 100 0.27-0.29 s (5 runs each, from the last document filed to the
# command's exit); the CPU is the same.
BURST_BATCH = 100
POLL_SECONDS = 0.05  # how often an open batch looks for more documents
# After a commit in the middle of a burst, while another writer (`arsip edit`, `arsip check
# --repair`) waits for the lock, it stays free this long before the next batch takes it: that
# writer polls for it every 0.1 s and would otherwise wait for the whole burst, then fail.
LOCK_WINDOW_SECONDS = 0.25


# The end of a burst: with only a few documents still on their way, a batch of this many is
# committed at once, beside their extraction, instead of with them after the last one (the
# burst's last commit runs alone; a commit costs ~1.3 ms a document); not sooner than half the
# commit interval after the last commit (a steady stream with few on their way at a time).
EARLY_COMMIT_FROM = 20


class CommitPace:
    """Batching that speeds up bulk work without delaying a lone document: after a quiet spell
    the writer commits at once; while documents keep coming, at most every `interval` seconds
    (or as soon as a whole batch is in). `more_coming` says whether documents are still on
    their way (claimed, not yet let go): when none are, there is nothing to wait for;
    `few_coming`, whether only a few are (the end of a burst: a big batch goes at once)."""

    def __init__(self, interval: float, more_coming: Callable[[], bool] | None = None,
                 few_coming: Callable[[], bool] | None = None) -> None:
        self.interval = interval
        self.more_coming = more_coming or (lambda: True)
        self.few_coming = few_coming or (lambda: False)
        self.last_commit = float("-inf")

    def commit_due(self, held: int, batch_size: int, last_arrival: float,
                   now: float | None = None) -> bool:
        """Commit the `held` documents of the open batch now, or wait for more?"""
        now = time.monotonic() if now is None else now
        return (held >= batch_size or now >= self.last_commit + self.interval
                or now - last_arrival >= QUIET_SECONDS or not self.more_coming()
                or (held >= EARLY_COMMIT_FROM and now >= self.last_commit + self.interval / 2
                    and self.few_coming()))

    def committed(self) -> None:
        self.last_commit = time.monotonic()


def pending_ids(pending_dir: Path, limit: int, skip: frozenset[str] = frozenset()) -> list[str]:
    try:
        names = [e.name for e in os.scandir(pending_dir)
                 if not e.name.startswith(".") and e.name not in skip]
    except FileNotFoundError:
        return []
    return sorted(names)[:limit]


def take_pending(pending_dir: Path, limit: int, skip: frozenset[str] = frozenset()) -> list[str]:
    """Rename up to `limit` markers to `.ID.taken`: a marker set again meanwhile stays due.
    `skip`: documents the open batch holds already, whose markers wait for the next one."""
    taken = []
    for doc_id in pending_ids(pending_dir, limit, skip):
        try:
            os.rename(pending_dir / doc_id, pending_dir / f".{doc_id}.taken")
        except FileNotFoundError:
            continue
        taken.append(doc_id)
    return taken


def taken_ids(pending_dir: Path) -> list[str]:
    """Markers taken by a batch that was not committed (a killed writer's)."""
    try:
        return [e.name[1:-len(".taken")] for e in os.scandir(pending_dir)
                if e.name.endswith(".taken")]
    except FileNotFoundError:
        return []


def restore_taken(pending_dir: Path) -> None:
    """Markers a killed writer had taken but not committed are due again (called under the
    index's write lock: no live batch holds any)."""
    for doc_id in taken_ids(pending_dir):
        with contextlib.suppress(FileNotFoundError):
            os.replace(pending_dir / f".{doc_id}.taken", pending_dir / doc_id)


def apply_pending(index_dir: Path, pending_dir: Path, archive: Path, *, batch_size: int,
                  pace: CommitPace | None = None) -> int:
    """Commit every pending document; returns how many were written.

    Documents are added to the open batch as their markers appear, so that analysing them
    (half of the writer's work) runs beside the extraction of the next ones instead of after
    the last one; the pace decides when the batch is committed."""
    written = 0
    if not index_is_fresh(index_dir):
        for doc_id in iter_sidecar_ids(archive):  # a new or rebuilt index: everything is due
            (pending_dir / doc_id).touch()
    ix = open_index(index_dir)
    batch: _Batch | None = None
    try:
        while True:
            if batch is None:
                if not has_entries(pending_dir):
                    break  # no marker waiting, none taken by a killed writer
                # Markers are taken (and a killed writer's restored) only under the write
                # lock: another process's writer (`arsip edit`) never takes back what this
                # batch holds, nor this one what another holds.
                batch = _Batch(ix)
                restore_taken(pending_dir)
            # A document already in the open batch (marked again: a duplicate file, an edit)
            # waits for the next batch: whoosh's update_document replaces committed entries
            # only, and would index it twice.
            held = frozenset(batch.ids)
            # Short batches only while documents are on their way: a rebuild, or what is left
            # when none are, goes in batches of batch_size (fewer commits, fewer scans).
            limit = min(batch_size, BURST_BATCH) if pace is not None and pace.more_coming() \
                else batch_size
            ids = take_pending(pending_dir, max(0, limit - len(held)), skip=held)
            if ids:
                checkpoint("index.taken")
                batch.add(ids, archive)
            if not batch.ids:  # another writer took them meanwhile
                batch.writer.cancel()
                batch = None
                break
            if pace is None or pace.commit_due(len(batch.ids), limit, batch.last_arrival):
                done, batch = batch, None
                written += done.commit(pending_dir, pace)
                if pace is not None and pace.more_coming() and writers_waiting(index_dir):
                    time.sleep(LOCK_WINDOW_SECONDS)  # the waiting writer's turn
            elif not ids:
                time.sleep(POLL_SECONDS)  # the burst goes on: wait for its next documents
        if pace is not None and written == 0 and not pace.more_coming() and \
                time.monotonic() - pace.last_commit >= MERGE_QUIET_SECONDS:
            _merge_when_idle(ix)  # a call that found nothing to do: the archive is idle
    except BaseException:
        if batch is not None:
            batch.writer.cancel()  # its markers stay `.taken`: due again at the next batch
        raise
    finally:
        ix.close()
    return written


class _Batch:
    """An open segment writer and the documents added to it, not yet committed."""

    def __init__(self, ix: Any) -> None:
        try:
            self.writer = segment_writer(ix, timeout=WRITER_TIMEOUT)
        except LockError as exc:
            raise IndexBusy("the index is locked by another writer") from exc
        self.ids: list[str] = []
        self.last_arrival = time.monotonic()

    def add(self, ids: list[str], archive: Path) -> None:
        for doc_id in ids:
            record = read_sidecar(archive, doc_id)
            if record is None:
                self.writer.delete_by_term("id", doc_id)
            else:
                self.writer.update_document(**index_fields(record, archive))
            self.ids.append(doc_id)
        self.last_arrival = time.monotonic()

    def commit(self, pending_dir: Path, pace: CommitPace | None) -> int:
        try:
            checkpoint("index.before-commit")
            # Merging segments is most of a small commit's cost (a document committed alone
            # took 60-150 ms with it, 30-60 ms without) and, at times, a second or more: the
            # paced writer merges when the archive is idle (_merge_when_idle), or past a cap.
            self.writer.commit(merge=pace is None or len(self.writer.segments) >= MAX_SEGMENTS)
        except BaseException:
            self.writer.cancel()  # its markers stay `.taken`: due again at the next call
            raise
        if pace is not None:
            pace.committed()
        checkpoint("index.committed")
        for doc_id in self.ids:
            (pending_dir / f".{doc_id}.taken").unlink(missing_ok=True)
        log.info("indexed %d document(s)", len(self.ids))
        return len(self.ids)


def _merge_when_idle(ix: Any) -> None:
    """Nothing is waiting or on its way: merge the small segments the commits left."""
    try:
        writer = segment_writer(ix, timeout=0.0)
    except LockError:
        return  # another writer (a reindex, `arsip edit`) has it: next time
    try:
        if len(writer.segments) < MERGE_IDLE_FROM:
            writer.cancel()
            return
        segments = len(writer.segments)
        writer.commit(merge=True)
    except BaseException:
        writer.cancel()
        raise
    log.debug("merged the index's %d small segments while idle", segments)


def indexed_count(index_dir: Path) -> int | None:
    try:
        ix = open_index(index_dir, create=False)
    except (FileNotFoundError, OSError, Exception):  # noqa: BLE001 - an unreadable index
        return None
    try:
        return int(ix.doc_count())
    finally:
        ix.close()
