"""A document's journey, as a short list of plain stages: extract → classify → file → index.

Every stage is idempotent, keyed by the document id (from the content's sha256), so a retry
after a crash at any line finishes the work without doing any of it twice.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from arsip.faults import checkpoint
from arsip.fsutil import file_lock, sha256_file
from arsip.sidecar import doc_id_from_sha256, read_sidecar, write_sidecar
from intake.claims import Claim, document_path, now_iso
from workers.classify_request import ClassifyRequest, rules_blob
from workers.context import Context
from workers.extract import Extraction
from workers.extract.dispatch import extract_then
from workers.filing import (
    free_path,
    link_into_archive,
    render_relative_path,
    safe_extension,
    template_values,
)
from workers.learning import apply_auto

if TYPE_CHECKING:
    from workers.classify import Classification

log = logging.getLogger(__name__)


@dataclass
class Filed:
    """What became of a document: filed (new), or a duplicate of one filed before."""

    doc_id: str
    path: PurePosixPath
    duplicate: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    doc_type: str | None = None  # known when it was classified just now


def archived_copy_matches(ctx: Context, record: dict[str, Any]) -> bool:
    target = ctx.archive / record["path"]
    return target.is_file() and sha256_file(target) == record["sha256"]


def mark_for_index(ctx: Context, doc_id: str) -> None:
    """A marker the index writer consumes in batches; removed only after its commit."""
    marker = ctx.layout.index_pending / doc_id
    os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o666))


def build_record(ctx: Context, claim: Claim, doc_id: str, extraction: Extraction,
                 decision: Classification) -> dict[str, Any]:
    return {
        "id": doc_id,
        "sha256": claim.sha256,
        "claim_id": claim.claim_id,
        "original_name": claim.name,
        "original_path": claim.original,
        "source": claim.source,
        "size": claim.size,
        "mime": extraction.mime,
        "added": now_iso(),
        "created": decision.created,
        "created_source": decision.created_source,
        "type": decision.type,
        "correspondent": decision.correspondent,
        "title": decision.title,
        "tags": decision.tags,
        "number": decision.number,
        **decision.key_fields(),  # amount (value, currency), due_date, npwp
        "language": decision.language,
        "extraction": extraction.summary(),
        "classification": decision.reasons,
        "content": extraction.text,
    }


def target_path(ctx: Context, record: dict[str, Any]) -> PurePosixPath:
    ext = safe_extension(record["original_name"], record["mime"])
    values = template_values(
        {**record, "original_stem": Path(record["original_name"]).stem},
        ext=ext, added=datetime.now(timezone.utc).date(),
    )
    return render_relative_path(ctx.settings.filename_template, values)


def file_record(ctx: Context, claim: Claim, record: dict[str, Any]) -> PurePosixPath:
    """Sidecar first (it names the path), then the no-overwrite link into the archive."""
    settings = ctx.settings
    source = document_path(ctx.layout, claim.claim_id)
    wanted = target_path(ctx, record)
    while True:
        relative = free_path(ctx.archive, wanted)
        record["path"] = str(relative)
        write_sidecar(ctx.archive, record, mode=settings.file_mode)
        checkpoint("file.sidecar-written")
        if link_into_archive(source, ctx.archive, relative, file_mode=settings.file_mode,
                             dir_mode=settings.dir_mode, expected_sha256=record["sha256"]):
            return relative


def process_document(ctx: Context, claim: Claim) -> Filed:
    """Extract, classify and file one claimed document (or recognise it as filed already)."""
    assert claim.sha256 is not None
    doc_id = doc_id_from_sha256(claim.sha256)
    source = document_path(ctx.layout, claim.claim_id)
    with file_lock(ctx.layout.doc_lock(doc_id)):
        existing = read_sidecar(ctx.archive, doc_id)
        if existing is not None:
            if existing.get("claim_id") == claim.claim_id and source.exists() and \
                    not (ctx.archive / existing["path"]).exists():
                # A crash between the sidecar and the link: finish the link, same path.
                if not link_into_archive(source, ctx.archive, PurePosixPath(existing["path"]),
                                         file_mode=ctx.settings.file_mode,
                                         dir_mode=ctx.settings.dir_mode,
                                         expected_sha256=existing["sha256"]):
                    existing["path"] = str(file_record(ctx, claim, existing))
                mark_for_index(ctx, doc_id)
                return Filed(doc_id, PurePosixPath(existing["path"]))
            if archived_copy_matches(ctx, existing):
                mark_for_index(ctx, doc_id)
                same = existing.get("claim_id") == claim.claim_id
                return Filed(doc_id, PurePosixPath(existing["path"]), duplicate=not same)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        request = ClassifyRequest(
            rules=rules_blob(ctx.rules), file_name=claim.name, file_mtime=claim.mtime,
            folder_tags=tuple(claim.folder_tags), date_order=ctx.settings.date_order,
            today=date.today(),
        )
        extraction, (decision, classify_seconds) = extract_then(source, ctx.settings, request)
        timings["extract"] = time.perf_counter() - started - classify_seconds
        checkpoint("extract.done")
        started = time.perf_counter()
        if ctx.auto is not None:
            apply_auto(decision, ctx.auto.predict(extraction.text))
        timings["classify"] = classify_seconds + time.perf_counter() - started
        checkpoint("classify.done")
        started = time.perf_counter()
        record = build_record(ctx, claim, doc_id, extraction, decision)
        relative = file_record(ctx, claim, record)
        timings["file"] = time.perf_counter() - started
        mark_for_index(ctx, doc_id)
        checkpoint("file.marked")
        return Filed(doc_id, relative, timings=timings, doc_type=record["type"])


def finish_without_document(ctx: Context, claim: Claim) -> Filed | None:
    """The claimed file is gone: it was filed before a crash; find its sidecar."""
    if claim.sha256 is None:
        return None
    doc_id = doc_id_from_sha256(claim.sha256)
    existing = read_sidecar(ctx.archive, doc_id)
    if existing is not None and archived_copy_matches(ctx, existing):
        mark_for_index(ctx, doc_id)
        return Filed(doc_id, PurePosixPath(existing["path"]))
    return None


def source_exists(ctx: Context, claim: Claim) -> bool:
    return os.path.lexists(document_path(ctx.layout, claim.claim_id))
