"""The inbox watcher: notice, wait until stable, claim, send. Nothing slow happens here.

No event is trusted alone: watchdog events make the watcher quick, and a periodic rescan of
the whole inbox makes it complete (events are lost when the kernel queue overflows).
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
    FileSystemMovedEvent,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from config.settings import Settings
from intake.claims import Claim, claim_inbox_file
from intake.ignore import is_ignored
from intake.recovery import resend_stale_claims
from intake.stability import open_for_writing
from intake.state import StateLayout

log = logging.getLogger(__name__)

TICK_SECONDS = 0.05


@dataclass
class Candidate:
    size: int
    mtime_ns: int
    stable_since: float
    finished: bool  # the writer closed it, or it was renamed in whole


class _EventsToCandidates(FileSystemEventHandler):
    def __init__(self, watcher: InboxWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            if event.event_type in ("created", "moved"):
                self.watcher.rescan_soon()
            return
        finished = isinstance(event, (FileClosedEvent, FileSystemMovedEvent))
        path = event.dest_path if isinstance(event, FileSystemMovedEvent) else event.src_path
        if event.event_type == "deleted" or event.event_type == "closed_no_write":
            return
        self.watcher.notice(Path(os.fsdecode(path)), finished=finished)


class InboxWatcher:
    """Watches one inbox and calls `send(claim_id)` for every file it claims."""

    def __init__(self, settings: Settings, layout: StateLayout,
                 send: Callable[[str], None]) -> None:
        self.settings = settings
        self.layout = layout
        self.inbox = settings.inbox_path
        self.send = send
        self.candidates: dict[Path, Candidate] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.rescan_event = threading.Event()
        self.observer: BaseObserver | None = None
        self.thread: threading.Thread | None = None
        self.claimed = 0
        self.unsent: list[str] = []  # claims whose message could not be sent yet
        self._last_send_error = 0.0

    # --- noticing ---
    def notice(self, path: Path, *, finished: bool = False) -> None:
        if is_ignored(path, self.inbox, self.settings.ignore_patterns):
            return
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            with self.lock:
                self.candidates.pop(path, None)
            return
        now = time.monotonic()
        with self.lock:
            known = self.candidates.get(path)
            if known and (known.size, known.mtime_ns) == (st.st_size, st.st_mtime_ns):
                known.finished = known.finished or finished
                return
            self.candidates[path] = Candidate(st.st_size, st.st_mtime_ns, now, finished)

    def rescan_soon(self) -> None:
        self.rescan_event.set()

    def rescan(self) -> int:
        """Walk the whole inbox (links are never followed) and notice every file."""
        count = 0
        for root, dirs, files in os.walk(self.inbox, followlinks=False):
            root_path = Path(root)
            dirs[:] = [d for d in dirs if not is_ignored(root_path / d, self.inbox,
                                                         self.settings.ignore_patterns)]
            for name in files:
                self.notice(root_path / name)
                count += 1
            for name in dirs:  # symlinked folders are entries to refuse, not to enter
                if (root_path / name).is_symlink():
                    self.notice(root_path / name)
        return count

    # --- claiming ---
    def ready(self) -> list[Path]:
        now = time.monotonic()
        settle = self.settings.settle_seconds
        due = []
        with self.lock:
            for path, cand in list(self.candidates.items()):
                try:
                    st = os.lstat(path)
                except FileNotFoundError:
                    del self.candidates[path]
                    continue
                if (st.st_size, st.st_mtime_ns) != (cand.size, cand.mtime_ns):
                    self.candidates[path] = Candidate(st.st_size, st.st_mtime_ns, now, False)
                    continue
                settled = cand.finished or now - cand.stable_since >= settle
                writing = open_for_writing(path) if stat.S_ISREG(st.st_mode) else None
                if writing:
                    cand.finished = False  # still open: wait for its close event or settle again
                    cand.stable_since = now
                    continue
                # A file renamed in whole (from outside the inbox watchdog reports it as
                # "created") has no writer: when the kernel says so, it is complete now.
                if not settled and not (writing is False and st.st_size > 0):
                    continue
                due.append(path)
                del self.candidates[path]
        return due

    def claim_ready(self) -> int:
        claimed = 0
        for path in self.ready():
            try:
                claim: Claim | None = claim_inbox_file(self.layout, self.inbox, path)
            except OSError as exc:
                log.error("could not claim %s: %s (will try again)", path, exc)
                continue
            if claim is None:
                continue
            claimed += 1
            self.claimed += 1
            self.unsent.append(claim.claim_id)
        self.send_unsent()
        return claimed

    def send_unsent(self) -> None:
        """Send claimed ids; while the broker is away they wait here (and on disk)."""
        while self.unsent:
            claim_id = self.unsent[0]
            try:
                self.send(claim_id)
            except Exception as exc:  # noqa: BLE001 - the claim is on disk; sent again later
                if time.monotonic() - self._last_send_error > 10:
                    log.error("cannot send claims to the broker (%s); %d waiting, retrying",
                              exc, len(self.unsent))
                    self._last_send_error = time.monotonic()
                return
            self.unsent.pop(0)

    # --- running ---
    def start(self) -> None:
        self.inbox.mkdir(parents=True, exist_ok=True)
        if self.settings.polling:
            self.observer = PollingObserver(timeout=self.settings.poll_interval_seconds)
        else:
            self.observer = Observer()
        self.observer.schedule(_EventsToCandidates(self), str(self.inbox), recursive=True)
        self.observer.start()
        self.thread = threading.Thread(target=self._loop, name="arsip-watcher", daemon=True)
        self.thread.start()
        log.info("watching %s (%s)", self.inbox, "polling" if self.settings.polling else "events")

    def _loop(self) -> None:
        next_rescan = 0.0
        while not self.stopping.is_set():
            try:
                now = time.monotonic()
                if now >= next_rescan or self.rescan_event.is_set():
                    self.rescan_event.clear()
                    self.rescan()
                    resend_stale_claims(self.layout, self.send,
                                        after_seconds=self.settings.resend_after_seconds)
                    next_rescan = now + self.settings.rescan_seconds
                self.claim_ready()
            except Exception:
                log.exception("watcher loop error; carrying on")
            self.stopping.wait(TICK_SECONDS)

    def stop(self) -> None:
        self.stopping.set()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
        if self.thread is not None:
            self.thread.join(timeout=5)
