"""Counts and health for `arsip status`: read from the filesystem, the broker and the index."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from arsip.sidecar import iter_sidecar_ids
from cli.presence import alive_processes
from config.settings import Settings
from index.writer import indexed_count
from intake.claims import claim_is_held, list_claim_ids, readable_claim
from intake.ignore import is_ignored
from intake.quarantine import list_failed
from intake.state import StateLayout

HEARTBEAT_WINDOW_MS = 60_000  # the RedisBroker's heartbeat_timeout: dramatiq's own "alive"


def count_inbox(settings: Settings) -> int:
    return scan_inbox(settings)[0]


def scan_inbox(settings: Settings) -> tuple[int, dict[str, Any] | None]:
    """Files waiting in the inbox, and the one waiting longest (by ctime: a move sets it)."""
    inbox = settings.inbox_path
    total, oldest, oldest_at = 0, None, float("inf")
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = [d for d in dirs if not is_ignored(Path(root) / d, inbox,
                                                     settings.ignore_patterns)]
        for name in files:
            path = Path(root) / name
            if is_ignored(path, inbox, settings.ignore_patterns):
                continue
            total += 1
            try:
                changed = path.lstat().st_ctime
            except OSError:
                continue
            if changed < oldest_at:
                oldest, oldest_at = path, changed
    if oldest is None:
        return total, None
    return total, _waiting("inbox", str(oldest.relative_to(inbox)), oldest_at)


def _waiting(where: str, name: str, since: float, **extra: Any) -> dict[str, Any]:
    return {"where": where, "name": name, **extra,
            "since": datetime.fromtimestamp(since, timezone.utc).isoformat(timespec="seconds"),
            "age_seconds": round(max(0.0, time.time() - since), 1)}


def oldest_claim(layout: StateLayout, claim_ids: list[str]) -> dict[str, Any] | None:
    """Claim ids start with their UTC time, so the first one sorted is the oldest."""
    for claim_id in sorted(claim_ids):
        claim = readable_claim(layout, claim_id)
        if claim is None:
            continue
        try:
            since = datetime.fromisoformat(claim.claimed_at).timestamp()
        except ValueError:
            continue
        return _waiting("claim", claim.original, since, claim_id=claim_id)
    return None


def index_files(index_dir: Path) -> dict[str, Any]:
    """Size on disk, and the time of the last commit (Whoosh writes a new TOC file each one)."""
    size, last = 0, None
    try:
        entries = list(os.scandir(index_dir))
    except FileNotFoundError:
        entries = []
    for entry in entries:
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        size += st.st_size
        if entry.name.endswith(".toc") and (last is None or st.st_mtime > last):
            last = st.st_mtime
    return {"size_bytes": size,
            "last_commit": datetime.fromtimestamp(last, timezone.utc).isoformat(
                timespec="seconds") if last else None,
            "last_commit_age_seconds": round(time.time() - last, 1) if last else None}


def redis_consumers(client: Any) -> list[dict[str, Any]]:
    """Broker connections with a recent dramatiq heartbeat, and the messages each holds."""
    from workers.broker import NAMESPACE

    now_ms = time.time() * 1000
    rows = client.zrangebyscore(f"{NAMESPACE}:__heartbeats__", now_ms - HEARTBEAT_WINDOW_MS,
                                "+inf", withscores=True)
    consumers = []
    for raw_id, seen in rows:
        broker_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
        in_flight = {q: int(client.scard(f"{NAMESPACE}:__acks__.{broker_id}.{q}") or 0)
                     for q in ("documents", "index")}
        consumers.append({"id": broker_id[:8], "in_flight": in_flight,
                          "last_seen_seconds": round(max(0.0, now_ms - seen) / 1000, 1)})
    return consumers


def _count_dirs(path: Path) -> int:
    try:
        return sum(1 for e in os.scandir(path) if e.is_dir())
    except FileNotFoundError:
        return 0


def broker_health(settings: Settings) -> dict[str, Any]:
    if settings.embedded:
        return {"kind": "embedded", "ok": True}
    import redis

    from workers.broker import NAMESPACE, mask

    assert settings.broker_url is not None
    info: dict[str, Any] = {"kind": "redis", "url": mask(settings.broker_url)}
    try:
        client = redis.Redis.from_url(settings.broker_url, socket_connect_timeout=2,
                                      socket_timeout=2)
        client.ping()
        info["ok"] = True
        info["queues"] = {q: int(client.llen(f"{NAMESPACE}:{q}") or 0)
                          for q in ("documents", "index")}
        info["delayed"] = {q: int(client.llen(f"{NAMESPACE}:{q}.DQ") or 0)
                           for q in ("documents", "index")}
        info["dead"] = {q: int(client.zcard(f"{NAMESPACE}:{q}.XQ") or 0)
                        for q in ("documents", "index")}
        info["consumers"] = redis_consumers(client)
    except (redis.RedisError, OSError) as exc:
        info["ok"] = False
        info["error"] = str(exc)
    return info


def status(settings: Settings) -> dict[str, Any]:
    layout = StateLayout.of(settings)
    claims = list_claim_ids(layout)
    held = sum(1 for c in claims if claim_is_held(layout, c))
    failed = list_failed(layout)
    indexed = indexed_count(settings.index_path)
    try:
        pending = sum(1 for _ in os.scandir(layout.index_pending))
    except FileNotFoundError:
        pending = 0
    filed = sum(1 for _ in iter_sidecar_ids(settings.archive_path))
    inbox, oldest_inbox = scan_inbox(settings) if settings.inbox_path.exists() else (0, None)
    waiting = [w for w in (oldest_inbox, oldest_claim(layout, claims)) if w is not None]
    broker = broker_health(settings)
    processes = alive_processes(settings)
    return {
        "inbox": inbox,
        "queued": len(claims) - held,
        "processing": held,
        "filed": filed,
        "duplicates": _count_dirs(layout.duplicates),
        "failed": len(failed),
        "indexed": indexed or 0,
        "broker": broker,
        "index": {"ok": indexed is not None, "path": str(settings.index_path),
                  "pending": pending, "missing": max(0, filed - (indexed or 0)),
                  **index_files(settings.index_path)},
        "recent_failures": [
            {"id": f["claim_id"], "name": f.get("name"), "kind": f.get("kind"),
             "message": f.get("message"), "what_to_do": f.get("what_to_do"), "at": f.get("at")}
            for f in failed[-10:]
        ],
        "oldest_waiting": max(waiting, key=lambda w: w["age_seconds"]) if waiting else None,
        "workers": {
            "alive": sum(1 for p in processes if p.get("mode") in ("run", "worker")),
            "processes": processes,
        },
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
