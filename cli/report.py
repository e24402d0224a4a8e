"""Counts and health for `arsip status`: read from the filesystem, the broker and the index."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from arsip.sidecar import iter_sidecar_ids
from config.settings import Settings
from index.writer import indexed_count
from intake.claims import claim_is_held, list_claim_ids
from intake.ignore import is_ignored
from intake.quarantine import list_failed
from intake.state import StateLayout


def count_inbox(settings: Settings) -> int:
    inbox = settings.inbox_path
    total = 0
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = [d for d in dirs if not is_ignored(Path(root) / d, inbox,
                                                     settings.ignore_patterns)]
        total += sum(1 for f in files if not is_ignored(Path(root) / f, inbox,
                                                        settings.ignore_patterns))
    return total


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
    return {
        "inbox": count_inbox(settings) if settings.inbox_path.exists() else 0,
        "queued": len(claims) - held,
        "processing": held,
        "filed": filed,
        "duplicates": _count_dirs(layout.duplicates),
        "failed": len(failed),
        "indexed": indexed or 0,
        "broker": broker_health(settings),
        "index": {"ok": indexed is not None, "path": str(settings.index_path),
                  "pending": pending, "missing": max(0, filed - (indexed or 0))},
        "recent_failures": [
            {"id": f["claim_id"], "name": f.get("name"), "kind": f.get("kind"),
             "message": f.get("message"), "what_to_do": f.get("what_to_do"), "at": f.get("at")}
            for f in failed[-10:]
        ],
    }
