"""The one place that decides what an error means for a claimed document.

The document's fault → quarantine with its reason (never retried automatically).
The world's fault (Transient) → raised, so the broker retries with backoff; the claim stays.
Anything unexpected → quarantined as an internal error, so one bad file never stalls the rest.
"""

from __future__ import annotations

import logging
import time

from arsip.errors import BadDocument, InternalError, Transient
from intake.claims import hold_claim, load_claim, release_claim
from intake.quarantine import quarantine, set_aside_duplicate
from workers.context import Context
from workers.pipeline import finish_without_document, process_document, source_exists

log = logging.getLogger(__name__)


def handle_claim(ctx: Context, claim_id: str) -> str | None:
    """Process one claim to its outcome; returns the outcome, None if nothing was to be done."""
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
                done = finish_without_document(ctx, claim)
                if done is None:
                    raise InternalError("the claimed file disappeared before it was filed")
                release_claim(layout, claim, "filed", id=done.doc_id, path=str(done.path))
                return "filed"
            filed = process_document(ctx, claim)
        except Transient:
            raise
        except BadDocument as exc:
            quarantine(layout, claim, kind=getattr(exc, "kind", "bad_document"),
                       message=exc.message, advice=exc.advice)
            return "failed"
        except Exception as exc:
            log.exception("unexpected error on %s", claim.original)
            if isinstance(exc, OSError) and exc.errno in (28, 122):  # ENOSPC, EDQUOT
                raise Transient(f"disk full while filing {claim.name}: {exc}") from exc
            quarantine(layout, claim, kind=InternalError.kind,
                       message=f"{type(exc).__name__}: {exc}", advice=InternalError.advice)
            return "failed"
        archive_path = str(ctx.archive / filed.path)
        if filed.duplicate:
            set_aside_duplicate(layout, claim, keep=ctx.settings.duplicates == "keep",
                                doc_id=filed.doc_id, archive_path=ctx.archive / filed.path)
            return "duplicate"
        elapsed = time.perf_counter() - started
        release_claim(layout, claim, "filed", id=filed.doc_id, path=archive_path,
                      seconds=round(elapsed, 3))
        log.info("filed %s id=%s path=%s in %.2fs %s", claim.original, filed.doc_id,
                 archive_path, elapsed,
                 " ".join(f"{k}={v:.2f}s" for k, v in filed.timings.items()))
        return "filed"
