"""`arsip status` as a dashboard: one screen of counts, queues, workers and index health,
redrawn with --watch (cleared on a terminal, one block or JSON line per refresh elsewhere)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from arsip.errors import BrokerUnavailable
from cli.progress import format_duration
from cli.render import BOLD, RESET, colour_enabled

CLEAR = "\033[H\033[2J"


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _n(value: int) -> str:
    return f"{value:,}"


def _waiting(data: dict[str, Any]) -> str:
    oldest = data.get("oldest_waiting")
    if not oldest:
        return "nothing waiting"
    where = "in the inbox" if oldest["where"] == "inbox" else f"claimed ({oldest['claim_id']})"
    return f"oldest {oldest['name']}: {format_duration(oldest['age_seconds'])} {where}"


def _queues(broker: dict[str, Any]) -> str:
    if broker["kind"] == "embedded":
        return "in-process (see queued and processing)"
    if not broker.get("ok"):
        return "unknown: Redis does not answer"
    ready, delayed, dead = broker["queues"], broker.get("delayed", {}), broker.get("dead", {})
    parts = []
    for queue in ("documents", "index"):
        extra = [f"{count} {label}" for label, count in
                 (("delayed", delayed.get(queue, 0)), ("dead", dead.get(queue, 0))) if count]
        parts.append(f"{queue} {_n(ready.get(queue, 0))}"
                     + (f" ({', '.join(extra)})" if extra else ""))
    return " · ".join(parts)


def _workers(data: dict[str, Any]) -> str:
    workers = data.get("workers", {})
    processes = workers.get("processes", [])
    start = "`arsip run`" if data["broker"]["kind"] == "embedded" else "`arsip worker`"
    if not processes:
        return f"none running: nothing processes new files (start {start})"
    described = []
    for p in processes:
        queues = f"; {', '.join(p['queues'])}" if p.get("queues") and p["mode"] == "worker" else ""
        described.append(f"{p['mode']} on {p['host']} (pid {p['pid']}{queues}; up "
                         f"{format_duration(p.get('uptime_seconds', 0))})")
    text = f"{workers.get('alive', 0)} alive: " + ", ".join(described)
    if not workers.get("alive"):
        text += f"; none processes documents (start {start})"
    if data["broker"]["kind"] == "redis" and not any(p["mode"] in ("watch", "run")
                                                     for p in processes):
        text += "; no watcher: new inbox files wait (start `arsip watch`)"
    return text


def _broker(broker: dict[str, Any]) -> str:
    if broker["kind"] == "embedded":
        return "embedded (no Redis)"
    if not broker.get("ok"):
        return f"redis {broker.get('url')} DOWN: {broker.get('error', '')}"
    consumers = broker.get("consumers", [])
    busy = sum(sum(c["in_flight"].values()) for c in consumers)
    return (f"redis {broker.get('url')} ok · {len(consumers)} connection(s) with a heartbeat "
            f"in the last 60s, {busy} message(s) in hand")


def _index(data: dict[str, Any]) -> str:
    index = data["index"]
    if not index["ok"] and not index.get("size_bytes"):
        return "none yet: it is created when the first document is filed"
    if not index["ok"]:
        return f"not readable at {index['path']} (created at the first filing; " \
            "`arsip reindex` rebuilds it)"
    text = (f"{_n(data['indexed'])} indexed · {_n(index['pending'])} pending · "
            f"{_n(index['missing'])} missing · {human_bytes(index.get('size_bytes', 0))}")
    if index.get("last_commit_age_seconds") is not None:
        text += f" · last commit {format_duration(index['last_commit_age_seconds'])} ago"
    return text


def render(data: dict[str, Any], *, home: str) -> str:
    bold, reset = (BOLD, RESET) if colour_enabled() else ("", "")
    when = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    counts = " · ".join(f"{key} {_n(data[key])}" for key in
                        ("inbox", "queued", "processing", "filed", "duplicates", "failed"))
    rows = [("documents", counts), ("waiting", _waiting(data)),
            ("queues", _queues(data["broker"])), ("workers", _workers(data)),
            ("broker", _broker(data["broker"])), ("index", _index(data))]
    lines = [f"{bold}arsip status{reset}  {when}  {home}", ""]
    lines += [f"{bold}{name:<10}{reset}  {value}" for name, value in rows]
    failures = data["recent_failures"]
    if failures:
        lines += ["", f"{bold}recent failures{reset} ({len(failures)} of {data['failed']}; "
                  "`arsip retry ID` sends one through again):"]
        for f in failures:
            lines.append(f"  {f['id']}  {f['name']} [{f['kind']}]: {f['message']}")
            lines.append(f"      → {f['what_to_do']}")
    return "\n".join(lines)


def fail_if_broker_down(broker: dict[str, Any]) -> None:
    """After printing what it could: exit with the broker-unavailable code (6) when Redis does
    not answer, so scripts and health checks need not parse the output to notice."""
    if broker["kind"] == "redis" and not broker.get("ok"):
        raise BrokerUnavailable(f"Redis at {broker.get('url')} does not answer "
                                f"({broker.get('error', 'no reply')})")


def show(collect: Callable[[], dict[str, Any]], *, home: str, as_json: bool,
         every: float | None) -> None:
    """Print the status once, or every `every` seconds until Ctrl-C."""
    if every is None:
        data = collect()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json
                   else render(data, home=home))
        fail_if_broker_down(data["broker"])
        return
    on_terminal = sys.stdout.isatty()
    try:
        while True:
            data = collect()
            if as_json:  # one JSON document per line: a stream other tools can read
                click.echo(json.dumps(data, ensure_ascii=False))
            elif on_terminal:
                click.echo(CLEAR + render(data, home=home)
                           + f"\n\nrefreshing every {every:g}s; Ctrl-C to stop", nl=False)
            else:
                click.echo(render(data, home=home) + "\n")
            sys.stdout.flush()
            time.sleep(every)
    except KeyboardInterrupt:
        if on_terminal and not as_json:
            click.echo("")
