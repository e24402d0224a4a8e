"""Drop-to-findable latency: a one-page born-digital PDF renamed into the inbox of an idle
`arsip run` must be findable with `arsip search` within 1.0 s (median).

For each document: write the PDF to a staging folder on the same filesystem, `os.rename` it
into the inbox at t0, then run `arsip search WORD --json` as a subprocess, again and again, until
it returns the document; latency = end of that search process - t0 (the command's own start-up
counts). A tracker thread meanwhile records when the file left the inbox (claimed), when its
sidecar and outcome appeared (filed) and when its index marker was committed (indexed), to split
pipeline time from search time. The bare cost of one `arsip search` is measured on its own.

`--burst 50` also drops 50 documents at once and reports the time until all are findable.

    .venv/bin/python bench/latency.py                 # 15 lone documents, 1.5 s apart
    .venv/bin/python bench/latency.py --burst 50      # and then a burst of 50
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # after the path set-up: runs as a script and as -m
    LongRunning,
    Target,
    WordMaker,
    add_common_args,
    arsip_env,
    arsip_search,
    check_arsip,
    code_line,
    conclude,
    describe,
    doc_id_of,
    document_pages,
    install_cleanup,
    log,
    machine,
    median,
    stage_totals,
    table,
    text_pdf,
    work_dir,
)

POLL = 0.002


@dataclass
class Drop:
    """One document's way from the rename to a search hit (seconds after t0)."""

    name: str
    word: str
    doc_id: str
    claimed: float | None = None  # gone from the inbox
    sidecar: float | None = None  # archive/.arsip/<id>.json exists
    outcome: float | None = None  # state/outcomes/<claim>.json exists
    indexed: float | None = None  # its index marker was committed and removed
    findable: float | None = None  # end of the first `arsip search` that returned it
    searches: int = 0  # search processes run until then
    search_seconds: list[float] = field(default_factory=list)


class Tracker:
    """Polls the home for the stages of a set of drops, in a thread."""

    def __init__(self, home: Path, drops: list[Drop], poll: float = POLL) -> None:
        self.home = home
        self.drops = {d.doc_id: d for d in drops}
        self.by_name = {d.name: d for d in drops}
        self.poll = poll
        self.t0 = 0.0
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name="tracker")
        self.outcomes_seen = set(self._names(home / "state" / "outcomes"))

    @staticmethod
    def _names(folder: Path) -> list[str]:
        try:
            return [e.name for e in os.scandir(folder)]
        except FileNotFoundError:
            return []

    def start(self, t0: float) -> None:
        self.t0 = t0
        self.thread.start()

    def done(self) -> bool:
        return all(d.indexed is not None for d in self.drops.values())

    def _run(self) -> None:
        inbox = self.home / "inbox"
        sidecars = self.home / "archive" / ".arsip"
        outcomes = self.home / "state" / "outcomes"
        pending = self.home / "state" / "index-pending"
        while not self.stop_event.is_set() and not self.done():
            now = time.perf_counter() - self.t0
            waiting = [d for d in self.drops.values() if d.claimed is None]
            if waiting:
                present = set(self._names(inbox))
                for d in waiting:
                    if d.name not in present:
                        d.claimed = now
            if any(d.sidecar is None for d in self.drops.values()):
                names = set(self._names(sidecars))
                for d in self.drops.values():
                    if d.sidecar is None and f"{d.doc_id}.json" in names:
                        d.sidecar = now
            if any(d.outcome is None for d in self.drops.values()):
                for name in self._names(outcomes):
                    if name in self.outcomes_seen or not name.endswith(".json"):
                        continue
                    try:
                        data = json.loads((outcomes / name).read_text())
                    except (OSError, ValueError):
                        continue  # being written; read it next time
                    self.outcomes_seen.add(name)
                    owner = self.by_name.get(data.get("name", ""))
                    if owner is not None and owner.outcome is None:
                        owner.outcome = now
                        if data.get("status") != "filed":
                            log(f"{owner.name}: outcome {data.get('status')}: {data}")
            ready = [d for d in self.drops.values() if d.outcome is not None and d.indexed is None]
            if ready:
                markers = set(self._names(pending))
                for d in ready:
                    if d.doc_id not in markers and f".{d.doc_id}.taken" not in markers:
                        d.indexed = now
            time.sleep(self.poll)

    def stop(self, wait: float = 0.0) -> None:
        deadline = time.monotonic() + wait
        while not self.done() and time.monotonic() < deadline:
            time.sleep(0.01)
        self.stop_event.set()
        self.thread.join(timeout=5)


def make_pdf(staging: Path, rng: random.Random, words: WordMaker, label: str) -> Drop:
    word = words()
    path = staging / f"{label}-{word}.pdf"
    text_pdf(path, document_pages(rng, word, 1))
    return Drop(name=path.name, word=word, doc_id=doc_id_of(path))


def wait_idle(arsip: Path, env: dict[str, str], server: LongRunning, home: Path,
              timeout: float) -> float:
    """Until the watcher runs and `arsip status --json` shows nothing waiting."""
    import subprocess

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if not server.alive():
            raise SystemExit(f"`arsip run` exited early:\n{server.log_tail()}")
        if "arsip is running" in server.log_tail(100_000) and (home / "inbox").is_dir():
            proc = subprocess.run([str(arsip), "status", "--json"], env=env, text=True,
                                  capture_output=True, timeout=60, check=False)
            if proc.returncode == 0:
                data = json.loads(proc.stdout)
                if data["inbox"] == 0 and data["queued"] == 0 and data["processing"] == 0:
                    return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit(f"`arsip run` did not become idle within {timeout:.0f} s:\n"
                     f"{server.log_tail()}")


def drop_and_find(arsip: Path, env: dict[str, str], home: Path, staging: Path, drop: Drop,
                  timeout: float) -> Drop:
    """Rename one staged PDF into the inbox and search until it is found."""
    tracker = Tracker(home, [drop])
    t0 = time.perf_counter()
    os.rename(staging / drop.name, home / "inbox" / drop.name)
    tracker.start(t0)  # after the rename: "gone from the inbox" must mean claimed
    while time.perf_counter() - t0 < timeout:
        hits, seconds, _code = arsip_search(arsip, env, drop.word)
        end = time.perf_counter()
        drop.searches += 1
        drop.search_seconds.append(round(seconds, 4))
        if any(h.get("id") == drop.doc_id for h in hits):
            drop.findable = end - t0
            break
    tracker.stop(wait=5)
    return drop


def burst(arsip: Path, env: dict[str, str], home: Path, staging: Path, drops: list[Drop],
          timeout: float) -> dict[str, Any]:
    """Rename all staged PDFs into the inbox at once; search for all of them until found."""
    tracker = Tracker(home, drops, poll=0.01)
    query = " OR ".join(d.word for d in drops)
    wanted = {d.doc_id for d in drops}
    progress: list[tuple[float, int]] = []
    t0 = time.perf_counter()
    for d in drops:
        os.rename(staging / d.name, home / "inbox" / d.name)
    renamed = time.perf_counter() - t0
    tracker.start(t0)
    all_found = None
    searches = 0
    while time.perf_counter() - t0 < timeout:
        hits, _seconds, _code = arsip_search(arsip, env, query, limit=len(drops) * 2)
        end = time.perf_counter() - t0
        searches += 1
        found = len(wanted & {h.get("id") for h in hits})
        progress.append((round(end, 3), found))
        if found == len(wanted):
            all_found = end
            break
    tracker.stop(wait=5)

    def stage(name: str) -> dict[str, float]:
        values = [getattr(d, name) for d in drops if getattr(d, name) is not None]
        return {**describe(values), "missing": len(drops) - len(values)}

    return {
        "documents": len(drops), "rename_seconds": renamed, "searches": searches,
        "all_findable": all_found,
        "first_findable": next((t for t, n in progress if n > 0), None),
        "progress": progress,
        "stages": {name: stage(name) for name in ("claimed", "sidecar", "outcome", "indexed")},
        "drops": [asdict(d) for d in drops],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=15, help="lone documents (default: %(default)s)")
    parser.add_argument("--interval", type=float, default=1.5,
                        help="seconds between lone drops, start to start (default: %(default)s)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="documents dropped first and not counted (the first one creates "
                        "the index; default: %(default)s)")
    parser.add_argument("--bare-searches", type=int, default=10,
                        help="`arsip search` calls to time on their own (default: %(default)s)")
    parser.add_argument("--burst", type=int, default=0, metavar="N",
                        help="also drop N documents at once (default: no burst)")
    parser.add_argument("--target", type=float, default=1.0,
                        help="median latency target in seconds (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="give up on a document after this many seconds (burst: x5)")
    add_common_args(parser)
    args = parser.parse_args()
    check_arsip(args.arsip)
    install_cleanup()
    rng = random.Random(args.seed)
    words = WordMaker(rng, prefix="lat")
    report: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()},
                              "machine_start": machine()}

    with work_dir("arsip-bench-latency-", keep=args.keep, base=args.tmp) as root:
        home, staging = root / "home", root / "staging"
        home.mkdir()
        staging.mkdir()
        env = arsip_env(home, args.arsip_env)
        log(f"starting `arsip run` on {home}")
        server = LongRunning([args.arsip, "run"], env=env, log_path=root / "arsip-run.log")
        try:
            report["idle_after"] = wait_idle(args.arsip, env, server, home, timeout=120)
            log(f"idle after {report['idle_after']:.1f} s")

            warm = []
            for i in range(args.warmup):
                drop = drop_and_find(args.arsip, env, home, staging,
                                     make_pdf(staging, rng, words, f"warm{i}"), args.timeout)
                warm.append(drop)
                log(f"warm-up {i}: findable after {drop.findable} s")
                time.sleep(args.interval)
            report["warmup"] = [asdict(d) for d in warm]

            bare: list[float] = []
            probe = warm[0].word if warm else "faktur"
            for _ in range(args.bare_searches):
                _hits, seconds, code = arsip_search(args.arsip, env, probe)
                bare.append(seconds)
                if code not in (0, 8):
                    log(f"bare search exited {code}")
            report["bare_search"] = describe(bare)

            lone: list[Drop] = []
            for i in range(args.n):
                drop = make_pdf(staging, rng, words, f"lone{i:03d}")
                started = time.perf_counter()
                drop_and_find(args.arsip, env, home, staging, drop, args.timeout)
                lone.append(drop)
                log(f"lone {i + 1}/{args.n}: findable {drop.findable} s after "
                    f"{drop.searches} search(es); indexed {drop.indexed} s")
                rest = args.interval - (time.perf_counter() - started)
                if rest > 0:
                    time.sleep(rest)
            report["lone"] = [asdict(d) for d in lone]

            if args.burst:
                drops = [make_pdf(staging, rng, words, f"burst{i:03d}")
                         for i in range(args.burst)]
                time.sleep(args.interval)
                offset = len(server.log_tail(10_000_000))
                log(f"burst of {len(drops)}")
                report["burst"] = burst(args.arsip, env, home, staging, drops,
                                        timeout=args.timeout * 5)
                time.sleep(0.5)
                report["burst"]["arsip_log"] = stage_totals(server.log_tail(10_000_000)[offset:])
                log(f"burst: all findable after {report['burst']['all_findable']} s")
        finally:
            result = server.stop()
            report["arsip_run"] = result.summary()
            report["arsip_run_log"] = stage_totals(server.log_tail(10_000_000))
            report["arsip_run_log_tail"] = server.log_tail(3000)

    return print_report(report, args)


def _col(drops: list[dict[str, Any]], name: str) -> list[float]:
    return [d[name] for d in drops if d.get(name) is not None]


def print_report(report: dict[str, Any], args: argparse.Namespace) -> int:
    lone = report.get("lone", [])
    bare = report["bare_search"]
    print("\n" + code_line(report))
    print(f"\narsip drop-to-findable latency, {len(lone)} lone one-page PDFs, "
          f"{args.interval} s apart (seconds after the rename)\n")
    rows = []
    labels = [("claimed", "claimed (left the inbox)"), ("sidecar", "sidecar written"),
              ("outcome", "outcome recorded (filed)"), ("indexed", "index committed"),
              ("findable", "findable by `arsip search`")]
    for name, label in labels:
        values = _col(lone, name)
        stats = describe(values)
        rows.append([label, stats["min"], stats["median"], stats["p90"], stats["max"],
                     f"{len(values)}/{len(lone)}"])
    searches = [float(d["searches"]) for d in lone]
    rows.append(["search processes per document", min(searches, default=math.nan),
                 median(searches), max(searches, default=math.nan),
                 max(searches, default=math.nan), ""])
    print(table(["stage", "min", "median", "p90", "max", "n"], rows))
    after_index = [d["findable"] - d["indexed"] for d in lone
                   if d.get("findable") is not None and d.get("indexed") is not None]
    pipeline = [d["indexed"] for d in lone if d.get("indexed") is not None]
    print()
    print(table(["split (medians)", "seconds", "share of latency"], [
        ["rename -> index committed (pipeline)", median(pipeline),
         median(pipeline) / median(_col(lone, "findable")) if lone else math.nan],
        ["index committed -> search returned it", median(after_index),
         median(after_index) / median(_col(lone, "findable")) if lone else math.nan],
        ["one bare `arsip search` (idle, median of "
         f"{bare['n']})", bare["median"], math.nan],
        ["ideal: pipeline + one bare search", median(pipeline) + bare["median"], math.nan],
    ]))
    for d in report.get("warmup", []):
        print(f"\nwarm-up (first document, creates the index): findable after "
              f"{d.get('findable'):.3f} s, indexed after {d.get('indexed'):.3f} s"
              if d.get("findable") is not None and d.get("indexed") is not None
              else f"\nwarm-up: {d}")
    run = report["arsip_run"]
    print(f"\n`arsip run`: {run['cpu']:.1f} s CPU over {run['wall']:.0f} s, peak RSS "
          f"{run['own_hwm_kb'] / 1024:.0f} MB; other load on the machine "
          f"{run['other_load']:.2f} cores (incl. the search processes)")
    targets = [Target("median drop-to-findable latency", median(_col(lone, "findable")),
                      args.target, unit=" s")]
    if len(_col(lone, "findable")) < len(lone):
        targets[0].value = math.nan
    b = report.get("burst")
    if b:
        print(f"\nburst of {b['documents']} PDFs renamed at once ({b['rename_seconds']:.3f} s "
              f"to rename all):\n")
        rows = [[name, s["min"], s["median"], s["p90"], s["max"], s["missing"]]
                for name, s in b["stages"].items()]
        print(table(["stage (s after first rename)", "min", "median", "p90", "max", "missing"],
                    rows))
        print(f"\nfirst findable after {b['first_findable']} s, all {b['documents']} findable "
              f"after {b['all_findable']} s ({b['searches']} searches); index commits during "
              f"the burst: {b['arsip_log']['index_commits']}")
    return conclude("latency", report, targets, args.out)


if __name__ == "__main__":
    sys.exit(main())
