"""Outcomes other than filing: quarantine in failed/ with a reason, duplicates, and retry."""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from arsip.faults import checkpoint
from arsip.fsutil import fsync_dir, read_json, write_json_atomic, write_text_atomic
from arsip.names import clean_part
from arsip.sidecar import doc_id_from_sha256
from intake.claims import (
    DOCUMENT,
    RECORD,
    Claim,
    load_claim,
    now_iso,
    read_outcome,
    release_claim,
    save_claim,
)
from intake.state import StateLayout

log = logging.getLogger(__name__)

REASON_JSON = "reason.json"
REASON_TEXT = "reason.txt"
METADATA = (RECORD, REASON_JSON, REASON_TEXT)
STAGING_SUFFIX = ".arsip-tmp"
DUPLICATE_NOTE = "duplicate-of.txt"


def safe_leaf(name: str) -> str:
    """The original name as one harmless path part, for the copies in failed/ and duplicates/."""
    return clean_part(name, fallback="document", limit=200)


def quarantine(layout: StateLayout, claim: Claim, *, kind: str, message: str, advice: str) -> Path:
    """Move the claimed file to failed/<claim-id>/ with a reason a person can act on.

    Crash-safe in three steps: the reason and the claim record are written into a hidden
    staging folder beside failed/, the file is moved in, and the whole folder is renamed into
    place at once; only then is the claim released. A worker killed between any two of them
    leaves the file either still in its claim (it is processed again and the staging folder
    reused) or in a staged folder with its reason, which `finish_interrupted_outcome` puts in
    place. A failed/<claim-id>/ is therefore never half made: its reason is its file's.
    """
    layout.failed.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(layout, claim.claim_id)
    claim.attempts += 1
    reason: dict[str, Any] = {
        "claim_id": claim.claim_id,
        "kind": kind,
        "message": message,
        "what_to_do": advice,
        "attempts": claim.attempts,
        "at": now_iso(),
        "original": claim.original,
        "name": claim.name,
        "sha256": claim.sha256,
    }
    leaf = quarantined_name(claim.name)
    _write_reason(staging, claim, reason)
    checkpoint("quarantine.staged")
    source = layout.claim_dir(claim.claim_id) / DOCUMENT
    if os.path.lexists(source):
        os.rename(source, staging / leaf)  # renames links and FIFOs without following them
        fsync_dir(staging)
    checkpoint("quarantine.moved")
    folder = _put_in_place(layout, claim.claim_id)
    checkpoint("quarantine.placed")
    target = folder / leaf
    release_claim(layout, claim, "failed", kind=kind, reason=message, what_to_do=advice,
                  failed_path=str(target))
    log.warning("quarantined %s (%s): %s", claim.original, kind, message)
    _sweep_leftovers(layout)
    return target


def staging_folder(layout: StateLayout, claim_id: str) -> Path:
    """Hidden, so that `arsip status` and `arsip retry` never see a half-made entry."""
    return layout.failed / f".{claim_id}{STAGING_SUFFIX}"


def quarantined_name(name: str) -> str:
    """The file's name in failed/: never one of the reason files beside it."""
    leaf = safe_leaf(name)
    return f"document {leaf}" if leaf in METADATA else leaf


def _write_reason(staging: Path, claim: Claim, reason: dict[str, Any]) -> None:
    staging.mkdir(exist_ok=True)
    write_text_atomic(
        staging / REASON_TEXT,
        f"{claim.name}\n\nWhat happened: {reason['message']}\n"
        f"What to do: {reason['what_to_do']}\n"
        f"Kind: {reason['kind']}   Attempts: {claim.attempts}   When: {reason['at']}\n"
        f"Retry with: arsip retry {claim.claim_id}\n",
    )
    write_json_atomic(staging / RECORD, asdict(claim))
    write_json_atomic(staging / REASON_JSON, reason)  # last: a staged reason is complete


def held_files(folder: Path) -> list[Path]:
    """The quarantined file(s) in a failed/ folder: everything but the reason and the record."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(Path(e.path) for e in entries if e.name not in METADATA
                  and not (e.name.startswith(".tmp-") and e.name.endswith(STAGING_SUFFIX)))


def _put_in_place(layout: StateLayout, claim_id: str) -> Path:
    """Rename the staged folder to failed/<claim-id>/ in one step, first clearing a leftover."""
    staging, folder = staging_folder(layout, claim_id), layout.failed / claim_id
    if os.path.lexists(folder):
        _clear_leftover(layout, folder)
    os.rename(staging, folder)
    fsync_dir(layout.failed)
    return folder


def _clear_leftover(layout: StateLayout, folder: Path) -> None:
    """An older failed/<claim-id>/ in the way: a reason whose file never arrived (written by a
    worker that died before moving it) or one a crashed retry did not remove. Its reason is
    outdated; a file in it is never deleted, only set aside under a hidden name."""
    if held_files(folder):
        aside = layout.failed / f".{folder.name}.earlier-{now_iso().replace(':', '')}"
        os.rename(folder, aside)
        log.warning("kept an earlier quarantined copy of %s at %s", folder.name, aside)
        return
    _remove_metadata_folder(folder)


def _remove_metadata_folder(folder: Path) -> None:
    for name in METADATA:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    for temporary in folder.glob(".tmp-*"):
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _claim_holds_file(layout: StateLayout, claim_id: str) -> bool:
    return os.path.lexists(layout.claim_dir(claim_id) / DOCUMENT)


def _finished_otherwise(layout: StateLayout, claim_id: str) -> bool:
    outcome = read_outcome(layout, claim_id)
    return outcome is not None and outcome.get("status") in ("filed", "duplicate")


def is_stale(layout: StateLayout, claim_id: str) -> bool:
    """A failed/ entry that is not (or no longer) the file's outcome: the file is back in its
    claim (a crash before it was moved, or during a retry), or it was filed after all."""
    return _claim_holds_file(layout, claim_id) or _finished_otherwise(layout, claim_id)


def _sweep_leftovers(layout: StateLayout) -> None:
    """Remove staged reasons without a file whose claim ended otherwise (a worker died after
    staging, and the retry filed the document after all)."""
    try:
        names = [e.name for e in os.scandir(layout.failed)
                 if e.name.startswith(".") and e.name.endswith(STAGING_SUFFIX)]
    except FileNotFoundError:
        return
    for name in names:
        folder = layout.failed / name
        claim_id = name[1:-len(STAGING_SUFFIX)]
        if not layout.claim_dir(claim_id).exists() and not held_files(folder):
            _remove_metadata_folder(folder)


def finish_interrupted_outcome(layout: StateLayout, claim: Claim) -> bool:
    """The claimed file is gone from its claim: if a worker died while quarantining it, finish
    that with the reason it recorded (never overwrite a real reason with 'file disappeared')."""
    if _finish_duplicate(layout, claim):
        return True
    if (staging_folder(layout, claim.claim_id) / REASON_JSON).exists():
        _put_in_place(layout, claim.claim_id)  # the file is in the staged folder (or gone)
    folder = layout.failed / claim.claim_id
    try:
        reason = read_json(folder / REASON_JSON)
    except (FileNotFoundError, ValueError):
        return False
    files = held_files(folder)
    release_claim(layout, claim, "failed", kind=reason.get("kind"), reason=reason.get("message"),
                  what_to_do=reason.get("what_to_do"),
                  failed_path=str(files[0] if files else folder))
    return True


def _finish_duplicate(layout: StateLayout, claim: Claim) -> bool:
    """A worker died after setting a duplicate aside, before releasing its claim."""
    folder = layout.duplicates / claim.claim_id
    try:
        note = (folder / DUPLICATE_NOTE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return False
    kept = [p for p in held_files(folder) if p.name != DUPLICATE_NOTE]
    release_claim(layout, claim, "duplicate",
                  id=doc_id_from_sha256(claim.sha256) if claim.sha256 else None,
                  path=note[1] if len(note) > 1 else None, kept=str(kept[0]) if kept else None)
    return True


def set_aside_duplicate(layout: StateLayout, claim: Claim, *, keep: bool, doc_id: str,
                        archive_path: Path) -> Path | None:
    """The same content is filed already: keep the copy in duplicates/ with a note, or delete."""
    source = layout.claim_dir(claim.claim_id) / DOCUMENT
    kept: Path | None = None
    if keep:
        folder = layout.duplicates / claim.claim_id
        folder.mkdir(parents=True, exist_ok=True)
        leaf = safe_leaf(claim.name)
        kept = folder / (f"copy {leaf}" if leaf == DUPLICATE_NOTE else leaf)
        write_text_atomic(
            folder / DUPLICATE_NOTE,
            f"{claim.name} has the same content as document {doc_id}, filed at\n"
            f"{archive_path}\nThis copy can be deleted.\n",
        )
        if source.exists():
            os.rename(source, kept)
            fsync_dir(folder)
    else:
        with contextlib.suppress(FileNotFoundError):
            source.unlink()
    checkpoint("duplicate.set-aside")
    release_claim(layout, claim, "duplicate", id=doc_id, path=str(archive_path),
                  kept=str(kept) if kept else None)
    log.info("duplicate %s of %s", claim.original, doc_id)
    return kept


def list_failed(layout: StateLayout) -> list[dict[str, Any]]:
    """Every quarantined file with its reason, oldest first; staged and stale entries skipped."""
    out = []
    try:
        entries = sorted(os.scandir(layout.failed), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            reason = read_json(Path(entry.path) / REASON_JSON)
        except (FileNotFoundError, NotADirectoryError, ValueError):
            continue
        if not is_stale(layout, entry.name):
            out.append(reason)
    return out


def restore_for_retry(layout: StateLayout, claim_id: str) -> Claim | None:
    """Move a quarantined file back into a claim, so that it is processed again.

    The claim record is written before the file moves: a crash in between leaves a claim
    without its file, which recovery releases again as failed with the recorded reason; a
    crash after the move leaves a stale reason that `list_failed` skips and a new quarantine
    or a filing replaces.
    """
    folder = layout.failed / claim_id
    try:
        record = read_json(folder / RECORD)
    except FileNotFoundError:
        return None
    claim = Claim(**{k: v for k, v in record.items() if k in Claim.__dataclass_fields__})
    files = held_files(folder)
    target_dir = layout.claim_dir(claim_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    save_claim(layout, claim)
    if files:
        os.rename(files[0], target_dir / DOCUMENT)
        fsync_dir(target_dir)
    if len(files) <= 1:
        _remove_metadata_folder(folder)
    fsync_dir(layout.claims)
    restored = load_claim(layout, claim_id)
    return restored
