"""A chaos run: distributed arsip under SIGKILLs and a Redis restart and stall.

Used by the short chaos test in the normal test run and by `bench/chaos.py` for a long one.
Afterwards every document must be in the archive exactly once, indexed exactly once, the inbox
empty and nothing quarantined.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

ARSIP = Path(sys.executable).parent / "arsip"
ROLES = {
    "watch": ["watch"],
    "worker1": ["worker", "--threads", "1"],
    "worker2": ["worker", "--threads", "1"],
    "indexer": ["worker", "--queues", "index"],
}


@dataclass
class ChaosReport:
    documents: int
    kills: list[str] = field(default_factory=list)
    redis_restarts: int = 0
    redis_stalls: int = 0
    seconds: float = 0.0
    filed_once: int = 0
    indexed_once: int = 0
    searched: int = 0
    problems: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisProcess:
    """A Redis of this run's own, so it can be killed and stalled without harming others."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except (redis.RedisError, OSError):
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def stall(self, seconds: float) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        time.sleep(seconds)
        self.process.send_signal(signal.SIGCONT)


def make_documents(folder: Path, count: int, seed: int) -> dict[str, str]:
    """Text and born-digital PDF documents, each with a unique number; name → sha256."""
    from tests.docsamples import text_pdf

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}
    for i in range(count):
        number = f"CHAOS-{seed}-{i:04d}"
        lines = [f"PT Uji Coba {rng.choice(['Sentosa', 'Makmur', 'Jaya'])}",
                 f"Jakarta, {rng.randint(1, 28)} Maret 2026", f"Nomor: {number}",
                 "Perihal: Dokumen uji ketahanan", f"Isi dokumen nomor {i} dengan kode {number}."]
        if i % 3 == 0:
            path = folder / f"doc_{i:04d}.pdf"
            text_pdf(path, [lines])
        else:
            path = folder / f"doc_{i:04d}.txt"
            path.write_text("\n".join(lines) + "\n")
        made[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return made


def status(env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([str(ARSIP), "status", "--json"], env=env, capture_output=True,
                         text=True, timeout=60, check=True)
    return dict(json.loads(out.stdout))


def run_chaos(base: Path, *, documents: int = 100, kills: int = 10, seed: int = 1,
              timeout: float = 600.0, search_sample: int | None = None) -> ChaosReport:
    rng = random.Random(seed)
    home = base / "data"
    home.mkdir(parents=True, exist_ok=True)
    redis_server = RedisProcess(base)
    redis_server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    env.update(ARSIP_HOME=str(home), ARSIP_BROKER_URL=redis_server.url,
               ARSIP_SETTLE_SECONDS="0.3", ARSIP_RESCAN_SECONDS="2",
               ARSIP_RESEND_AFTER_SECONDS="5")
    logs = base / "logs"
    logs.mkdir(exist_ok=True)

    def start(role: str) -> subprocess.Popen[bytes]:
        log = open(logs / f"{role}.log", "ab")  # noqa: SIM115 - lives as long as the process
        return subprocess.Popen([str(ARSIP), *ROLES[role]], env=env, stdout=log,
                                stderr=subprocess.STDOUT)

    report = ChaosReport(documents=documents)
    processes = {role: start(role) for role in ROLES}
    started = time.monotonic()
    try:
        source = base / "made"
        expected = make_documents(source, documents, seed)
        inbox = home / "inbox"
        deadline = time.monotonic() + 30
        while not inbox.is_dir() and time.monotonic() < deadline:
            time.sleep(0.1)
        names = sorted(expected)
        waves = max(kills, 1)
        per_wave = -(-len(names) // waves)
        for wave in range(waves):
            for name in names[wave * per_wave:(wave + 1) * per_wave]:
                os.rename(source / name, inbox / name)
            time.sleep(rng.uniform(0.3, 1.2))
            victim = rng.choice(sorted(ROLES))
            processes[victim].send_signal(signal.SIGKILL)
            processes[victim].wait()
            report.kills.append(victim)
            time.sleep(rng.uniform(0.0, 0.5))
            processes[victim] = start(victim)
            if wave == waves // 2:
                redis_server.kill()
                time.sleep(1.0)
                redis_server.start()
                report.redis_restarts += 1
            if wave == waves // 3:
                redis_server.stall(3.0)
                report.redis_stalls += 1
        deadline = time.monotonic() + timeout
        current: dict[str, Any] = {}
        while time.monotonic() < deadline:
            current = status(env)
            if current["filed"] == documents and current["indexed"] == documents and \
                    current["queued"] == 0 and current["processing"] == 0 and \
                    current["inbox"] == 0:
                break
            time.sleep(1.0)
        report.seconds = round(time.monotonic() - started, 1)
        check_outcome(home, env, expected, current, report, seed, search_sample)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        redis_server.kill()
    return report


def check_outcome(home: Path, env: dict[str, str], expected: dict[str, str],
                  current: dict[str, Any], report: ChaosReport, seed: int,
                  search_sample: int | None) -> None:
    archived: dict[str, int] = {}
    for path in (home / "archive").rglob("*"):
        if path.is_file() and ".arsip" not in path.parts:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            archived[digest] = archived.get(digest, 0) + 1
    report.filed_once = sum(1 for d in expected.values() if archived.get(d) == 1)
    for name, digest in expected.items():
        if archived.get(digest, 0) != 1:
            report.problems.append(f"{name}: in the archive {archived.get(digest, 0)} times")
    extra = set(archived) - set(expected.values())
    if extra:
        report.problems.append(f"{len(extra)} unexpected files in the archive")
    for key in ("failed", "duplicates", "inbox", "queued", "processing"):
        if current.get(key):
            report.problems.append(f"status {key} = {current.get(key)}")
    once = 0
    names = sorted(expected)
    if search_sample is not None and search_sample < len(names):
        names = random.Random(seed).sample(names, search_sample)
    report.searched = len(names)
    for name in names:
        number = f"CHAOS-{seed}-{name.split('_')[1].split('.')[0]}"
        out = subprocess.run([str(ARSIP), "search", f"{number}", "--json"], env=env,
                             capture_output=True, text=True, timeout=60, check=False)
        hits = json.loads(out.stdout) if out.returncode == 0 else []
        if len(hits) == 1:
            once += 1
        else:
            report.problems.append(f"search {number}: {len(hits)} hits")
    report.indexed_once = once
