"""The one place that decides what an error means for a claimed document.

The document's fault → quarantine with its reason (never retried automatically).
The world's fault (Transient) → raised, so the broker retries with backoff; the claim stays.
Anything unexpected → quarantined as an internal error, so one bad file never stalls the rest.
"""

from __future__ import annotations

import errno
import logging
import time

from arsip.errors import BadDocument, InternalError, Transient
from arsip.faults import checkpoint
from arsip.fsutil import folders_synced_at_end, sha256_file
from arsip.sidecar import read_sidecar
from intake.claims import (
    Claim,
    document_path,
    hold_claim,
    load_claim,
    release_claim,
    save_claim,
)
from intake.quarantine import finish_interrupted_outcome, quarantine, set_aside_duplicate
from workers import metrics
from workers.context import Context
from workers.pipeline import finish_without_document, process_document, source_exists

log = logging.getLogger(__name__)


def _document_type(ctx: Context, doc_id: str) -> str | None:
    try:
        return (read_sidecar(ctx.archive, doc_id) or {}).get("type")
    except (OSError, ValueError):
        return None


def report_outcome(outcome: str, claim: Claim, started: float, *, doc_id: str | None = None,
                   doc_type: str | None = None, path: str | None = None,
                   kind: str | None = None, stages: dict[str, float] | None = None) -> None:
    """One log line per outcome, its fields also structured (`--log-format json`); metrics."""
    seconds = time.perf_counter() - started
    stages = stages or {}
    fields = {"event": "outcome", "outcome": outcome, "claim_id": claim.claim_id,
              "file": claim.original, "id": doc_id, "type": doc_type, "path": path,
              "kind": kind, "seconds": round(seconds, 3),
              "stages": {name: round(value, 3) for name, value in stages.items()}}
    detail = f"kind={kind}" if kind else f"id={doc_id} type={doc_type} path={path}"
    timings = "".join(f" {name}={value:.2f}s" for name, value in stages.items())
    log.info("%s %s %s in %.2fs%s", outcome, claim.original, detail, seconds, timings,
             extra=fields)
    metrics.record_outcome(outcome, seconds=seconds, kind=kind, stages=stages)


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def _disk_full(name: str, exc: OSError) -> Transient:
    metrics.record_retry()
    log.warning("disk full while filing %s (%s): free space on that disk; arsip retries by "
                "itself, the file stays claimed", name, exc)
    return Transient(f"disk full while filing {name}: {exc}")


def handle_claim(ctx: Context, claim_id: str) -> str | None:
    """Process one claim to its outcome; returns the outcome, None if nothing was to be done.
    A full disk at any step (also while recording the outcome) is Transient: retried."""
    try:
        return _handle_claim(ctx, claim_id)
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise _disk_full(claim_id, exc) from exc
        raise


def _handle_claim(ctx: Context, claim_id: str) -> str | None:
    layout = ctx.layout
    with hold_claim(layout, claim_id) as held:
        if not held:
            log.info("claim %s is being processed elsewhere", claim_id)
            return None
        claim = load_claim(layout, claim_id)
        if claim is None:
            return None  # released already: a redelivered message
        started = time.perf_counter()
        try:
            if claim.refused:
                raise BadDocument(f"refused to open a {claim.refused} in the inbox",
                                  advice="Drop the real file, not a link or a special file")
            if not source_exists(ctx, claim):
                if finish_interrupted_outcome(layout, claim):
                    return "failed"
                done = finish_without_document(ctx, claim)
                if done is None:
                    raise InternalError("the claimed file disappeared before it was filed")
                release_claim(layout, claim, "filed", id=done.doc_id, path=str(done.path))
                report_outcome("filed", claim, started, doc_id=done.doc_id, path=str(done.path),
                               doc_type=_document_type(ctx, done.doc_id))
                return "filed"
            if claim.sha256 is None:  # killed between the rename and the hash: hash it now
                claim.sha256 = sha256_file(document_path(layout, claim_id))
                save_claim(layout, claim)
            with folders_synced_at_end():  # durable before the claim is let go, below
                filed = process_document(ctx, claim)
        except Transient:
            metrics.record_retry()
            raise
        except BadDocument as exc:
            kind = getattr(exc, "kind", "bad_document")
            quarantine(layout, claim, kind=kind, message=exc.message, advice=exc.advice)
            report_outcome("failed", claim, started, kind=kind)
            return "failed"
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno in DISK_FULL:
                raise _disk_full(claim.original, exc) from exc
            log.exception("unexpected error on %s", claim.original)
            quarantine(layout, claim, kind=InternalError.kind,
                       message=f"{type(exc).__name__}: {exc}", advice=InternalError.advice)
            report_outcome("failed", claim, started, kind=InternalError.kind)
            return "failed"
        archive_path = str(ctx.archive / filed.path)
        if filed.duplicate:
            set_aside_duplicate(layout, claim, keep=ctx.settings.duplicates == "keep",
                                doc_id=filed.doc_id, archive_path=ctx.archive / filed.path)
            report_outcome("duplicate", claim, started, doc_id=filed.doc_id, path=archive_path,
                           doc_type=_document_type(ctx, filed.doc_id))
            return "duplicate"
        elapsed = time.perf_counter() - started
        release_claim(layout, claim, "filed", id=filed.doc_id, path=archive_path,
                      seconds=round(elapsed, 3))
        checkpoint("release.done")
        report_outcome("filed", claim, started, doc_id=filed.doc_id, path=archive_path,
                       doc_type=filed.doc_type or _document_type(ctx, filed.doc_id),
                       stages=filed.timings)
        return "filed"
