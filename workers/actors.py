"""Dramatiq actors: thin wrappers that hand message payloads (ids only) to plain functions."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import dramatiq

from arsip.errors import Transient
from index.writer_process import commit_pending
from workers.context import Context
from workers.handling import handle_claim

log = logging.getLogger(__name__)

DOCUMENTS_QUEUE = "documents"
INDEX_QUEUE = "index"
MAX_TRANSIENT_RETRIES = 5

_context: Context | None = None
_INDEX_LOCK = threading.Lock()


def context() -> Context:
    if _context is None:
        raise RuntimeError("workers.actors.install(ctx) was not called in this process")
    return _context


def _retry_transient(retries: int, exc: BaseException) -> bool:
    """A few retries with backoff for the world's faults, not dramatiq's 20 over days."""
    return isinstance(exc, Transient) and retries < MAX_TRANSIENT_RETRIES


def process_claim(claim_id: str) -> None:
    outcome = handle_claim(context(), claim_id)
    if outcome in ("filed", "duplicate"):
        actors().index.send()


def index_pending() -> None:
    ctx = context()
    with _INDEX_LOCK:  # one writer per process, even when the index shares a worker's threads
        commit_pending(ctx.settings.index_path, ctx.layout.index_pending, ctx.archive,
                       batch_size=ctx.settings.index_batch_size,
                       interval=ctx.settings.index_commit_interval_seconds,
                       more_coming=ctx.layout.documents_in_flight,
                       few_coming=ctx.layout.few_documents_in_flight)


@dataclass(frozen=True)
class Actors:
    process: Any
    index: Any


_actors: Actors | None = None


def actors() -> Actors:
    if _actors is None:
        raise RuntimeError("workers.actors.install(ctx, broker) was not called in this process")
    return _actors


def install(ctx: Context, broker: dramatiq.Broker) -> Actors:
    """Bind the actors to this process's broker and context."""
    global _context, _actors
    _context = ctx
    options: dict[str, Any] = {
        "broker": broker, "retry_when": _retry_transient, "min_backoff": 1_000,
        "max_backoff": 30_000, "time_limit": 6 * 3_600_000, "max_age": 30 * 86_400_000,
    }
    _actors = Actors(
        process=dramatiq.actor(actor_name="process_claim", queue_name=DOCUMENTS_QUEUE,
                               **options)(process_claim),
        index=dramatiq.actor(actor_name="index_pending", queue_name=INDEX_QUEUE,
                             **options)(index_pending),
    )
    return _actors
