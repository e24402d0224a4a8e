"""Start-up recovery: every claim without an outcome is sent again."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from arsip.fsutil import file_lock
from intake.claims import (
    abandon_unfinished_rename,
    age_seconds,
    claim_is_held,
    copy_may_be_arriving,
    drop_dead_ingest_claim,
    drop_unrecorded_folder,
    list_claim_ids,
    readable_claim,
    remove_claim_lock,
)
from intake.quarantine import staging_folder
from intake.state import StateLayout

log = logging.getLogger(__name__)

_last_sent: dict[str, float] = {}


def recover_claims(layout: StateLayout, inbox_path: object, send: Callable[[str], None]) -> int:
    """Resend every unfinished claim; drop claims whose rename never happened."""
    inbox = Path(str(inbox_path))
    remove_old_lock_files(layout)
    prune_outcomes(layout)
    sent = 0
    for claim_id in list_claim_ids(layout):
        claim = readable_claim(layout, claim_id)
        if claim is None:
            drop_unrecorded_folder(layout, claim_id)
            continue
        if abandon_unfinished_rename(layout, inbox, claim):
            continue
        if copy_may_be_arriving(layout, claim) or claim_is_held(layout, claim_id):
            continue
        send(claim_id)
        _last_sent[claim_id] = time.monotonic()
        sent += 1
    if sent:
        log.info("recovery: sent %d unfinished claim(s) again", sent)
    return sent


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except FileNotFoundError:
        return []


OLD_DOC_LOCK = re.compile(r"doc-[0-9a-f]{16}\.lock")
CLAIM_LOCK = re.compile(r"claim-(?P<id>.+)\.lock")


def remove_old_lock_files(layout: StateLayout) -> int:
    """Earlier versions left a lock file per document ever filed (`doc-<id>.lock`); documents
    now share 4096 (`doc-<3 hex digits>.lock`) and nothing takes the old ones. A claim's lock
    file whose claim is gone is left by a bulk ingest that ended before removing it."""
    removed = 0
    for entry in _entries(layout.locks):
        claim = CLAIM_LOCK.fullmatch(entry.name)
        if claim is not None:
            removed += remove_claim_lock(layout, claim["id"])
            continue
        if not OLD_DOC_LOCK.fullmatch(entry.name):
            continue
        with file_lock(Path(entry.path), blocking=False) as free:
            if not free:
                continue  # an earlier version's worker still at work on that document
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    if removed:
        log.info("removed %d lock file(s) nothing uses from %s", removed, layout.locks)
    return removed


OUTCOME_KEEP_DAYS = 30


def prune_outcomes(layout: StateLayout, *, keep_days: float = OUTCOME_KEEP_DAYS) -> int:
    """Outcomes are kept for whoever waits on them (`arsip ingest --wait`, `arsip retry`) and
    for a failed/ entry, which they tell apart from a file filed after all. One small file for
    every document ever processed took a disk block each (400 MB at 100,000 documents): those
    older than `keep_days` without a failed/ entry of their claim go."""
    cutoff = time.time() - keep_days * 86_400
    removed = 0
    for entry in _entries(layout.outcomes):
        claim_id = entry.name.removesuffix(".json")
        try:
            if entry.stat().st_mtime >= cutoff or (layout.failed / claim_id).exists() or \
                    staging_folder(layout, claim_id).exists():
                continue
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        removed += 1
    if removed:
        log.info("removed %d outcome record(s) older than %g days", removed, keep_days)
    return removed


def resend_stale_claims(layout: StateLayout, send: Callable[[str], None], *,
                        after_seconds: float) -> int:
    """Claims idle for a while (a lost message, an exhausted retry) are sent once more."""
    sent = 0
    now = time.monotonic()
    for claim_id in list_claim_ids(layout):
        if now - _last_sent.get(claim_id, 0.0) < after_seconds:
            continue
        claim = readable_claim(layout, claim_id)
        if claim is None:
            drop_unrecorded_folder(layout, claim_id)
            continue
        if age_seconds(claim) < after_seconds or \
                claim_is_held(layout, claim_id) or drop_dead_ingest_claim(layout, claim):
            continue
        send(claim_id)
        _last_sent[claim_id] = now
        sent += 1
    return sent
