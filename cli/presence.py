"""Which arsip processes are alive: each long-running one keeps a small file fresh in the state
area, so `arsip status` can list them in every mode, on every machine sharing the folders."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arsip.fsutil import write_json_atomic
from config.settings import Settings

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
ALIVE_SECONDS = 20.0  # four missed beats: the process is gone (or its machine is)
FORGET_SECONDS = 86_400.0  # files of processes that died without cleaning up


def processes_dir(settings: Settings) -> Path:
    return settings.state_path / "processes"


@dataclass
class Beacon:
    """Keeps `state/processes/<host>-<pid>.json` fresh while the process runs."""

    path: Path
    stop_event: threading.Event = field(default_factory=threading.Event)

    def _beat(self) -> None:
        while not self.stop_event.wait(BEAT_SECONDS):
            try:
                os.utime(self.path)
            except FileNotFoundError:  # removed by hand: write it again on the next start
                return
            except OSError as exc:
                log.warning("could not refresh %s: %s", self.path, exc)

    def stop(self) -> None:
        self.stop_event.set()
        with contextlib.suppress(OSError):
            self.path.unlink()


def announce(settings: Settings, mode: str, *, queues: list[str] | None = None,
             metrics: str | None = None) -> Beacon:
    """Write this process's presence file and keep it fresh until `Beacon.stop()`."""
    folder = processes_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    _forget_dead(folder)
    host, pid = socket.gethostname(), os.getpid()
    path = folder / f"{host}-{pid}.json"
    write_json_atomic(path, {"host": host, "pid": pid, "mode": mode, "queues": queues or [],
                             "started": time.time(), "metrics": metrics})
    beacon = Beacon(path)
    threading.Thread(target=beacon._beat, daemon=True, name="arsip-presence").start()
    return beacon


def _forget_dead(folder: Path) -> None:
    now = time.time()
    for entry in folder.glob("*.json"):
        with contextlib.suppress(OSError):
            if now - entry.stat().st_mtime > FORGET_SECONDS:
                entry.unlink()


def alive_processes(settings: Settings) -> list[dict[str, Any]]:
    """Every process whose presence file was refreshed recently, oldest first."""
    now = time.time()
    found = []
    for entry in processes_dir(settings).glob("*.json"):
        try:
            seen = entry.stat().st_mtime
            data = json.loads(entry.read_text())
        except (OSError, ValueError):
            continue
        if now - seen > ALIVE_SECONDS:
            continue
        data["last_seen_seconds"] = round(now - seen, 1)
        data["uptime_seconds"] = round(now - float(data.get("started", now)), 1)
        found.append(data)
    return sorted(found, key=lambda d: float(d.get("started", 0)))
