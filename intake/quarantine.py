"""Outcomes other than filing: quarantine in failed/ with a reason, duplicates, and retry."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from arsip.fsutil import fsync_dir, read_json, write_json_atomic, write_text_atomic
from arsip.names import clean_part
from intake.claims import (
    DOCUMENT,
    RECORD,
    Claim,
    load_claim,
    now_iso,
    release_claim,
    save_claim,
)
from intake.state import StateLayout

log = logging.getLogger(__name__)

REASON_JSON = "reason.json"
REASON_TEXT = "reason.txt"


def safe_leaf(name: str) -> str:
    """The original name as one harmless path part, for the copies in failed/ and duplicates/."""
    return clean_part(name, fallback="document", limit=200)


def quarantine(layout: StateLayout, claim: Claim, *, kind: str, message: str, advice: str) -> Path:
    """Move the claimed file to failed/<claim-id>/ with a reason a person can act on."""
    folder = layout.failed / claim.claim_id
    folder.mkdir(parents=True, exist_ok=True)
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
    write_json_atomic(folder / REASON_JSON, reason)
    write_text_atomic(
        folder / REASON_TEXT,
        f"{claim.name}\n\nWhat happened: {message}\nWhat to do: {advice}\n"
        f"Kind: {kind}   Attempts: {claim.attempts}   When: {reason['at']}\n"
        f"Retry with: arsip retry {claim.claim_id}\n",
    )
    write_json_atomic(folder / RECORD, asdict(claim))
    source = layout.claim_dir(claim.claim_id) / DOCUMENT
    target = folder / safe_leaf(claim.name)
    if os.path.lexists(source):
        os.rename(source, target)  # renames links and FIFOs without following or opening them
        fsync_dir(folder)
    release_claim(layout, claim, "failed", kind=kind, reason=message, what_to_do=advice,
                  failed_path=str(target))
    log.warning("quarantined %s (%s): %s", claim.original, kind, message)
    return target


def finish_interrupted_outcome(layout: StateLayout, claim: Claim) -> bool:
    """A worker died after moving the file to failed/ but before releasing the claim: finish
    with the reason it recorded (never overwrite a real reason with 'file disappeared')."""
    try:
        reason = read_json(layout.failed / claim.claim_id / REASON_JSON)
    except (FileNotFoundError, ValueError):
        return False
    release_claim(layout, claim, "failed", kind=reason.get("kind"), reason=reason.get("message"),
                  what_to_do=reason.get("what_to_do"))
    return True


def set_aside_duplicate(layout: StateLayout, claim: Claim, *, keep: bool, doc_id: str,
                        archive_path: Path) -> Path | None:
    """The same content is filed already: keep the copy in duplicates/ with a note, or delete."""
    source = layout.claim_dir(claim.claim_id) / DOCUMENT
    kept: Path | None = None
    if keep:
        folder = layout.duplicates / claim.claim_id
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / safe_leaf(claim.name)
        write_text_atomic(
            folder / "duplicate-of.txt",
            f"{claim.name} has the same content as document {doc_id}, filed at\n"
            f"{archive_path}\nThis copy can be deleted.\n",
        )
        if source.exists():
            os.rename(source, kept)
            fsync_dir(folder)
    else:
        with contextlib.suppress(FileNotFoundError):
            source.unlink()
    release_claim(layout, claim, "duplicate", id=doc_id, path=str(archive_path),
                  kept=str(kept) if kept else None)
    log.info("duplicate %s of %s", claim.original, doc_id)
    return kept


def list_failed(layout: StateLayout) -> list[dict[str, Any]]:
    """Every quarantined file with its reason, oldest first."""
    out = []
    try:
        entries = sorted(os.scandir(layout.failed), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    for entry in entries:
        try:
            out.append(read_json(Path(entry.path) / REASON_JSON))
        except (FileNotFoundError, NotADirectoryError, ValueError):
            continue
    return out


def restore_for_retry(layout: StateLayout, claim_id: str) -> Claim | None:
    """Move a quarantined file back into a claim, so that it is processed again."""
    folder = layout.failed / claim_id
    try:
        record = read_json(folder / RECORD)
    except FileNotFoundError:
        return None
    claim = Claim(**{k: v for k, v in record.items() if k in Claim.__dataclass_fields__})
    files = [p for p in folder.iterdir() if p.name not in (RECORD, REASON_JSON, REASON_TEXT)]
    target_dir = layout.claim_dir(claim_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    if files:
        os.rename(files[0], target_dir / DOCUMENT)
    save_claim(layout, claim)
    shutil.rmtree(folder, ignore_errors=True)
    fsync_dir(layout.claims)
    restored = load_claim(layout, claim_id)
    return restored
