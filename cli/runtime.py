"""The run modes: embedded (`arsip run`), watcher, worker, and one-shot ingest."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dramatiq

from arsip.fsutil import folders_synced_at_end
from cli.presence import Beacon, announce
from cli.signals import stop_on_signals
from config.settings import Settings
from index.writer_process import start_writer_soon, stop_writer
from intake.claims import (
    Claim,
    claim_copy,
    claim_locks_removed_at_end,
    outcomes_watched,
    read_outcome,
)
from intake.ignore import is_ignored
from intake.quarantine import restore_for_retry
from intake.recovery import recover_claims, remove_old_lock_files
from intake.watcher import InboxWatcher
from workers import actors as actor_module
from workers.actors import DOCUMENTS_QUEUE, INDEX_QUEUE
from workers.broker import make_broker
from workers.context import Context, model_dir
from workers.extract.isolation import shut_down
from workers.extraction_start import start_extraction
from workers.learning import needs_training, train
from workers.metrics import serve_metrics
from workers.refile import finish_interrupted_moves

if TYPE_CHECKING:
    from workers.writer_lease import WriterLease

log = logging.getLogger(__name__)

INDEX_NUDGE_SECONDS = 15.0
LEASE_RENEW_SECONDS = 5.0
FIRST_TRAINING_SECONDS = 30.0  # after start-up, when the archive is idle


# How often a dramatiq thread looks up from an empty queue, which is also how long it takes
# to notice it should stop. A daemon (`run`, `worker`) polls calmly; a command that waits for
# its documents (`ingest`, `retry`) stops as soon as they are done: with 100 ms, stopping the
# threads was a tenth of a second of every `arsip ingest --wait`, a few % of a bulk ingest.
DAEMON_POLL_MS = 100
COMMAND_POLL_MS = 10
# `ingest --wait` and `retry` with in-process workers hear of each outcome as it is recorded;
# they also look for every outcome file this often (a missed or another process's outcome).
LOOK_EVERY_SECONDS = 1.0


class Runtime:
    """One process's broker, actors and (optionally) in-process workers."""

    def __init__(self, settings: Settings, *, broker_wait_seconds: float = 0.0,
                 stop_event: threading.Event | None = None,
                 poll_ms: int = DAEMON_POLL_MS) -> None:
        self.settings = settings
        self.poll_ms = poll_ms
        self.stop_event = stop_event or threading.Event()
        self.ctx = Context.build(settings)
        finish_interrupted_moves(self.ctx)
        self.broker = make_broker(settings, wait_seconds=broker_wait_seconds)
        self.actors = actor_module.install(self.ctx, self.broker)
        self.workers: list[dramatiq.Worker] = []
        self._nudger: threading.Thread | None = None
        self._trainer: threading.Thread | None = None
        self.lease: WriterLease | None = None  # across machines: one index writer

    def send(self, claim_id: str) -> None:
        self.actors.process.send(claim_id)

    def start_workers(self, queues: Iterable[str], threads: int) -> None:
        """Document threads, and the index writer on a thread of its own (never queued behind
        documents, never holding a document thread); across machines a lease in Redis keeps
        it to one writer (a second index worker stands by)."""
        queues = set(queues)
        if INDEX_QUEUE in queues and self.settings.broker_url:
            from workers.writer_lease import WriterLease  # Redis: never imported when embedded

            self.lease = WriterLease(self.settings.broker_url)
            if not self.lease.wait_for(self.stop_event):
                return
        if DOCUMENTS_QUEUE in queues:
            # Start the extraction forkserver now, not on the first document; its children
            # classify too.
            start_extraction()
            self.workers.append(dramatiq.Worker(self.broker, queues={DOCUMENTS_QUEUE},
                                                worker_threads=threads,
                                                worker_timeout=self.poll_ms))
        if INDEX_QUEUE in queues:
            start_writer_soon()
            self.workers.append(dramatiq.Worker(self.broker, queues={INDEX_QUEUE},
                                                worker_threads=1,
                                                worker_timeout=self.poll_ms))
            self._nudger = threading.Thread(target=self._keep_index, daemon=True,
                                            name="arsip-index-keeper")
            self._nudger.start()
        for worker in self.workers:
            worker.start()

    def _keep_index(self) -> None:
        """Renew the writer lease; nudge the writer so pending markers are committed even if a
        nudge message was lost."""
        last_nudge = 0.0
        every = self.settings.auto_retrain_minutes * 60
        last_training = time.monotonic() - every + min(every, FIRST_TRAINING_SECONDS)
        while not self.stop_event.is_set():
            if self.lease is not None and not self.lease.renew():
                log.error("lost the index-writer lease to another process; stopping")
                self.stop_event.set()
                return
            if self.settings.auto_classify and \
                    time.monotonic() - last_training >= every and self._archive_idle():
                last_training = time.monotonic()
                self._start_retraining()
            if time.monotonic() - last_nudge >= INDEX_NUDGE_SECONDS:
                try:
                    self.actors.index.send()
                    last_nudge = time.monotonic()
                except Exception as exc:  # noqa: BLE001 - the broker may be restarting
                    log.warning("could not nudge the index writer: %s", exc)
            self.stop_event.wait(LEASE_RENEW_SECONDS)

    def _archive_idle(self) -> bool:
        """No document claimed and none waiting for the index: training now takes no CPU from
        documents (importing scikit-learn alone costs seconds of it)."""
        layout = self.ctx.layout
        return not layout.documents_in_flight() and not layout.index_behind()

    def _start_retraining(self) -> None:
        if self._trainer is not None and self._trainer.is_alive():
            return
        self._trainer = threading.Thread(target=self._retrain, daemon=True,
                                         name="arsip-retrain")
        self._trainer.start()

    def _retrain(self) -> None:
        """The index writer (one per archive) retrains the auto classifier when it changed, at
        the lowest CPU priority (this thread only) so that documents arriving meanwhile win."""
        _lower_this_threads_priority()
        archive, folder = self.ctx.archive, model_dir(self.ctx.layout)
        try:
            if needs_training(archive, folder):
                train(archive, folder)
        except Exception:
            log.exception("training the auto classifier failed; rules still classify")

    def recover(self) -> int:
        return recover_claims(self.ctx.layout, self.settings.inbox_path, self.send)

    def stop(self, timeout_ms: int = 10_000) -> None:
        self.stop_event.set()
        # Each worker takes a poll interval or two to stop: stop them side by side.
        stopping = [threading.Thread(target=worker.stop, kwargs={"timeout": timeout_ms})
                    for worker in self.workers]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        shut_down()  # the idle extraction children
        stop_writer()
        if self.lease is not None:
            self.lease.release()
        self.broker.close()


def _lower_this_threads_priority() -> None:
    """On Linux a thread has its own nice value (setpriority on its thread id)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def wait_for_signal(stop: threading.Event) -> None:
    """Block until SIGINT or SIGTERM (see stop_on_signals)."""
    while not stop.wait(0.5):
        pass


def announce_process(runtime: Runtime, mode: str, queues: Iterable[str] = (), *,
                     metrics: bool = True) -> Beacon:
    """Serve metrics (when metrics_port is set) and tell `arsip status` this process is alive."""
    settings, where = runtime.settings, None
    if metrics and settings.metrics_port:
        where = serve_metrics(settings.metrics_port, settings.metrics_address, runtime.broker,
                              runtime.ctx.layout)
    return announce(settings, mode, queues=sorted(queues), metrics=where)


def watch_until_stopped(runtime: Runtime, beacon: Beacon) -> None:
    """Resend unfinished claims, watch the inbox until SIGINT/SIGTERM, then stop in order."""
    watcher = InboxWatcher(runtime.settings, runtime.ctx.layout, runtime.send)
    runtime.recover()
    watcher.start()
    try:
        wait_for_signal(runtime.stop_event)
    finally:
        watcher.stop()
        runtime.stop()
        beacon.stop()


def run_embedded(settings: Settings, stop: threading.Event) -> None:
    runtime = Runtime(settings, stop_event=stop)
    beacon = announce_process(runtime, "run", {DOCUMENTS_QUEUE, INDEX_QUEUE})
    runtime.start_workers({DOCUMENTS_QUEUE, INDEX_QUEUE}, settings.threads)
    log.info("arsip is running: drop files into %s (Ctrl-C to stop)", settings.inbox_path)
    watch_until_stopped(runtime, beacon)


def run_watch(settings: Settings, stop: threading.Event) -> None:
    runtime = Runtime(settings, broker_wait_seconds=settings.broker_wait_seconds,
                      stop_event=stop)
    beacon = announce_process(runtime, "watch", metrics=False)
    watch_until_stopped(runtime, beacon)


def run_worker(settings: Settings, queues: set[str], threads: int,
               stop: threading.Event | None = None) -> None:
    runtime = Runtime(settings, broker_wait_seconds=settings.broker_wait_seconds,
                      stop_event=stop or stop_on_signals())
    beacon = announce_process(runtime, "worker", queues)
    runtime.start_workers(queues, threads)
    log.info("worker consuming %s with %d thread(s)", ", ".join(sorted(queues)), threads)
    try:
        wait_for_signal(runtime.stop_event)
    finally:
        runtime.stop()
        beacon.stop()


def files_under(paths: Iterable[Path], ignore: list[str]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    file = Path(root) / name
                    if not is_ignored(file, path, ignore):
                        yield file
        else:
            yield path


def ingest(settings: Settings, paths: list[Path], *, wait: bool,
           progress: Any = None) -> list[dict[str, Any]]:
    """Claim copies of existing files, send them, and (with wait) return their outcomes."""
    runtime = Runtime(settings, poll_ms=COMMAND_POLL_MS)
    try:
        if settings.embedded:
            runtime.start_workers({DOCUMENTS_QUEUE, INDEX_QUEUE}, settings.threads)
        remove_old_lock_files(runtime.ctx.layout)  # left by an ingest that was stopped
        claims: list[Claim] = []
        locks_at_end = claim_locks_removed_at_end(runtime.ctx.layout, claims) \
            if settings.embedded else contextlib.nullcontext()
        with locks_at_end:
            # The sources stay where they are: the claim folders are synced once, at the end
            # (a document filed meanwhile is made durable by its worker before its claim is
            # let go).
            with folders_synced_at_end():
                for file in files_under(paths, settings.ignore_patterns):
                    claim = claim_copy(runtime.ctx.layout, file)
                    claims.append(claim)
                    runtime.send(claim.claim_id)
            if not wait and not settings.embedded:
                return [{"claim_id": c.claim_id, "original": c.original, "status": "queued"}
                        for c in claims]
            return wait_for_outcomes(runtime, [c.claim_id for c in claims], progress=progress)
    finally:
        runtime.stop()


def wait_for_outcomes(runtime: Runtime, claim_ids: list[str], *, progress: Any = None,
                      poll: float = 0.05) -> list[dict[str, Any]]:
    layout = runtime.ctx.layout
    outcomes: dict[str, dict[str, Any]] = {}
    waiting = set(claim_ids)
    files = {claim_id: str(layout.outcome(claim_id)) for claim_id in claim_ids}
    # Outcomes recorded in this process are announced (one read each); a look for every file
    # still waited for finds those recorded by other processes (Redis workers) or missed.
    # Documents filed in-process are all announced: then a look every second is enough.
    announced: queue.SimpleQueue[str] = queue.SimpleQueue()
    in_process = bool(runtime.workers)

    def take(claim_id: str) -> None:
        found = read_outcome(layout, claim_id)
        if found is not None:
            outcomes[claim_id] = found
            waiting.discard(claim_id)
            if progress is not None:
                progress(found)

    with outcomes_watched(announced.put):
        next_look = 0.0
        while waiting:
            now = time.monotonic()
            if now >= next_look:
                # Looks for the claims waited for, not through the whole folder (it keeps every
                # outcome of the last 30 days); and rests four times as long as it looked, so
                # that waiting on 20,000 claims (0.17 s a look) takes a fifth of a core.
                for claim_id in [c for c in claim_ids if c in waiting]:
                    if os.path.exists(files[claim_id]):
                        take(claim_id)
                looked = time.monotonic() - now
                next_look = time.monotonic() + max(LOOK_EVERY_SECONDS if in_process else poll,
                                                   4 * looked)
                continue
            try:
                claim_id = announced.get(timeout=max(0.0, next_look - now))
            except queue.Empty:
                continue
            if claim_id in waiting:
                take(claim_id)
    wait_for_index(runtime)
    return [outcomes[c] for c in claim_ids]


def wait_for_index(runtime: Runtime, timeout: float = 120.0) -> None:
    """Return when the index writer has committed every pending document."""
    pending = runtime.ctx.layout.index_pending
    deadline = time.monotonic() + timeout
    runtime.actors.index.send()
    while time.monotonic() < deadline:
        if not any(True for _ in pending.iterdir()):
            return
        time.sleep(0.02)
    log.warning("the index writer has not caught up yet; searches may miss new documents")


def retry(settings: Settings, claim_ids: list[str], *, wait: bool) -> list[dict[str, Any]]:
    runtime = Runtime(settings, poll_ms=COMMAND_POLL_MS)
    try:
        if settings.embedded:
            runtime.start_workers({DOCUMENTS_QUEUE, INDEX_QUEUE}, settings.threads)
        restored = []
        for claim_id in claim_ids:
            claim = restore_for_retry(runtime.ctx.layout, claim_id)
            if claim is None:
                continue
            runtime.ctx.layout.outcome(claim_id).unlink(missing_ok=True)
            restored.append(claim_id)
            runtime.send(claim_id)
        if wait or settings.embedded:
            return wait_for_outcomes(runtime, restored)
        return [{"claim_id": c, "status": "queued"} for c in restored]
    finally:
        runtime.stop()
