"""Prometheus metrics: documents by outcome, failures by kind, stage durations, queue depths.

Counters live in prometheus_client's default registry of this process and are updated where
each document's outcome is decided (`workers.handling`); queue depths are read at scrape time.
`arsip run --metrics-port N` and `arsip worker --metrics-port N` serve them on
http://127.0.0.1:N/metrics (`metrics_address` to listen elsewhere).

Why not dramatiq's own Prometheus middleware: it starts its exposition server only as a fork of
the `dramatiq` command (we run `dramatiq.Worker` ourselves), needs a multiprocess directory that
it wipes at every start, listens on 0.0.0.0 by default, and counts actor messages, not what
happened to a document (a quarantined file is a successful message to dramatiq).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import dramatiq
from prometheus_client import (
    REGISTRY,
    Counter,
    Histogram,
    disable_created_metrics,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from arsip.errors import ConfigError
from intake.state import StateLayout
from workers.broker import queue_depths

log = logging.getLogger(__name__)

# OCR of one page takes seconds, a long scan minutes: buckets up to half an hour.
DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
                    1800.0)
QUEUES = ("documents", "index")

disable_created_metrics()  # no *_created series: they only add noise to every scrape

DOCUMENTS = Counter("arsip_documents_processed", "Documents that reached an outcome",
                    ["outcome"])
FAILURES = Counter("arsip_documents_failed", "Documents quarantined in failed/, by kind",
                   ["kind"])
RETRIES = Counter("arsip_document_retries",
                  "Documents sent back for a retry because of a transient error (disk, Redis)")
STAGE_SECONDS = Histogram("arsip_stage_duration_seconds", "Time spent in one pipeline stage",
                          ["stage"], buckets=DURATION_BUCKETS)
DOCUMENT_SECONDS = Histogram("arsip_document_duration_seconds",
                             "Time from picking up a claim to its outcome",
                             buckets=DURATION_BUCKETS)

for _outcome in ("filed", "duplicate", "failed"):  # zeros from the start, not after the first
    DOCUMENTS.labels(outcome=_outcome)


def record_outcome(outcome: str, *, seconds: float | None = None, kind: str | None = None,
                   stages: dict[str, float] | None = None) -> None:
    """Count one document's outcome (filed, duplicate, failed) and its stage durations."""
    DOCUMENTS.labels(outcome=outcome).inc()
    if kind is not None:
        FAILURES.labels(kind=kind).inc()
    for stage, value in (stages or {}).items():
        STAGE_SECONDS.labels(stage=stage).observe(value)
    if seconds is not None:
        DOCUMENT_SECONDS.observe(seconds)


def record_retry() -> None:
    RETRIES.inc()


def _count_entries(path: os.PathLike[str] | str, *, hidden: bool = False) -> int:
    try:
        return sum(1 for e in os.scandir(path) if hidden or not e.name.startswith("."))
    except FileNotFoundError:
        return 0


class QueueCollector(Collector):
    """Queue depths, claims waiting and index markers pending, read when Prometheus scrapes."""

    def __init__(self, broker: dramatiq.Broker, layout: StateLayout) -> None:
        self.broker, self.layout = broker, layout

    def _depths(self) -> dict[tuple[str, str], int]:
        names = {(queue, kind): name for queue in QUEUES
                 for kind, name in (("ready", queue), ("delayed", f"{queue}.DQ"))}
        found = queue_depths(self.broker, names.values())
        return {key: found[name] for key, name in names.items() if name in found}

    def collect(self) -> Iterator[Any]:
        import redis  # here: an embedded worker never imports it (50 ms of its start-up)

        depth = GaugeMetricFamily("arsip_queue_depth", "Messages waiting in a broker queue",
                                  labels=["queue", "state"])
        try:
            for (queue, state), value in self._depths().items():
                depth.add_metric([queue, state], value)
        except (redis.RedisError, OSError) as exc:  # a scrape must not fail with Redis away
            log.warning("could not read the queue depths: %s", exc)
        yield depth
        yield GaugeMetricFamily("arsip_claims_waiting",
                                "Claimed files without an outcome yet (queued or processing)",
                                value=_count_entries(self.layout.claims))
        yield GaugeMetricFamily("arsip_index_pending",
                                "Filed documents waiting for the index writer",
                                value=_count_entries(self.layout.index_pending))


_collector: QueueCollector | None = None


def serve_metrics(port: int, address: str, broker: dramatiq.Broker,
                  layout: StateLayout) -> str:
    """Serve /metrics on address:port in a daemon thread; returns 'address:port'."""
    global _collector
    if _collector is not None:
        REGISTRY.unregister(_collector)
    _collector = QueueCollector(broker, layout)
    REGISTRY.register(_collector)
    try:
        start_http_server(port, addr=address)
    except OSError as exc:
        raise ConfigError(
            f"cannot serve metrics on {address}:{port}: {exc.strerror or exc}",
            advice="Choose a free port with --metrics-port (or `metrics_port`), or stop the "
            "process that holds this one",
        ) from exc
    where = f"{address}:{port}"
    log.info("metrics on http://%s/metrics", where)
    return where
