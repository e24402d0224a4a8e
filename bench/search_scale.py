"""Search at scale: `arsip reindex` and `arsip search` on 100,000 generated documents.

1. Generate N sidecars of realistic size (Indonesian and English back-office documents of 1-3
   pages, a Zipf-like vocabulary; see bench/_sidecars.py) into a fresh ARSIP_HOME, exactly as
   arsip writes them. The archived originals are not needed by `reindex`, `check` or `search`.
2. Run `arsip reindex` (the real command): wall and CPU time, peak memory of its whole process
   tree, and the index size on disk. Targets: <= 15 min, < 2 GB.
3. Run a mixed query set (rare and common words, two-word AND, phrases, date ranges, --type,
   --correspondent, --from/--to, `type:`, `tag:`, prefixes, numbers and amounts, --sort date,
   a listing, a misspelling) through `arsip search --json --timing`, several rounds in a
   shuffled order after one warm-up round. Targets: whole-command wall time median <= 300 ms
   and p95 <= 1 s; the search's own work (`--timing`: opening the index, matching, hits and
   snippets) p95 <= 200 ms.
4. Start-up: what `arsip search` imports (`python -X importtime`), with a check that nothing
   search does not need (dramatiq, redis, sklearn, pdfium, tesseract, Pillow, ...) is imported.

    .venv/bin/python bench/search_scale.py                    # 100,000 documents
    .venv/bin/python bench/search_scale.py --docs 10000 --rounds 3
    .venv/bin/python bench/search_scale.py --home /tmp/kept --skip-reindex   # queries only
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # after the path set-up: runs as a script and as -m
    Target,
    add_common_args,
    arsip_env,
    check_arsip,
    code_line,
    conclude,
    install_cleanup,
    log,
    machine,
    median,
    percentile,
    run_measured,
    table,
    work_dir,
)
from bench._sidecars import DocInfo, write_sidecars

UNNEEDED = ("dramatiq", "redis", "sklearn", "scipy", "numpy", "pypdfium2", "pytesseract", "PIL",
            "pdfplumber", "pdfminer", "watchdog", "prometheus_client", "rapidfuzz", "pydantic")


def loadavg() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------


def query_set(infos: list[DocInfo], rng: random.Random) -> list[dict[str, Any]]:
    """About 30 queries of every kind; `expect` is a document id that must be among the hits."""
    sample = rng.sample(infos, k=min(len(infos), 60))
    counts: dict[str, int] = {}
    for info in infos:
        if info.correspondent:
            counts[info.correspondent] = counts.get(info.correspondent, 0) + 1
    popular = sorted(counts, key=lambda c: -counts[c])
    rarer = popular[len(popular) // 2] if popular else "PT Sinar Abadi"
    years = sorted({i.created[:4] for i in sample})
    year = years[len(years) // 2]
    with_number = [i for i in sample if i.number]
    with_amount = [i for i in sample if i.amount]
    queries: list[dict[str, Any]] = []

    def add(kind: str, *args: str, expect: str | None = None) -> None:
        queries.append({"kind": kind, "args": list(args), "expect": expect})

    for info in sample[:6]:
        add("rare word", info.rare[0], expect=info.id)
    for word in ("pembayaran", "invoice", "tagihan", "barang", "payment"):
        add("common word", word)
    add("two-word AND", "tagihan", "pajak")
    add("two-word AND", "payment", "transfer")
    add("two-word AND", "gaji", "karyawan")
    add("two-word AND", sample[6].rare[0], "hormat", expect=None)
    add("phrase", '"jatuh tempo"')
    add("phrase", '"bank transfer"')
    add("phrase", '"terima kasih"')
    add("date range", "faktur", f"created:[{year}-01-01 to {year}-03-31]")
    add("date range", f"created:{year}-03")
    add("date range", "invoice", f"created:{year}")
    add("filter", "pembayaran", "--type", "invoice")
    add("filter", "--correspondent", popular[0] if popular else rarer, "tagihan")
    add("filter", "--correspondent", rarer)
    add("filter", "tagihan", "--from", f"{year}-01-01", "--to", f"{year}-06-30")
    add("field", "type:payslip", "gaji")
    add("field", "tag:pajak", "npwp")
    add("listing", "*", "--type", "receipt")
    add("prefix", "pemb*")
    add("prefix", "tagih*")
    for info in with_number[:2]:
        add("number", info.number or "", expect=info.id)
    for info in with_amount[:1]:
        add("amount", info.amount or "", expect=info.id)
    add("sort by date", "invoice", "--sort", "date")
    add("misspelling", "pembayaarn")
    return queries


def run_search(arsip: Path, env: dict[str, str], args: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(arsip), "search", *args, "--json", "--timing"], env=env,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # its own CPU time and peak memory
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    cpu = usage.ru_utime + usage.ru_stime
    timing: dict[str, float] = {}
    for line in stderr.splitlines():
        if line.startswith("timing: "):
            with contextlib.suppress(ValueError):
                timing = json.loads(line[len("timing: "):])
    hits: list[dict[str, Any]] = []
    if proc.returncode == 0:
        with contextlib.suppress(ValueError):
            hits = json.loads(stdout)
    return {"wall": wall, "cpu": cpu, "maxrss_mb": usage.ru_maxrss / 1024, "timing": timing,
            "exit": proc.returncode, "hits": len(hits), "ids": [h.get("id") for h in hits],
            "stderr": stderr[-500:]}


def run_queries(arsip: Path, env: dict[str, str], queries: list[dict[str, Any]], rounds: int,
                rng: random.Random) -> list[dict[str, Any]]:
    """One warm-up round (not counted), then `rounds` rounds, each in a shuffled order."""
    runs: list[dict[str, Any]] = []
    for number in range(rounds + 1):
        order = list(range(len(queries)))
        rng.shuffle(order)
        for i in order:
            result = run_search(arsip, env, queries[i]["args"])
            if number == 0:
                queries[i]["hits"] = result["hits"]
                queries[i]["found"] = queries[i]["expect"] in result["ids"] \
                    if queries[i]["expect"] else None
                queries[i]["exit"] = result["exit"]
                continue
            result.pop("ids")
            runs.append({"query": i, "kind": queries[i]["kind"], **result})
    return runs


# --------------------------------------------------------------------------------------------
# Start-up
# --------------------------------------------------------------------------------------------


def import_times(arsip: Path, env: dict[str, str], word: str) -> dict[str, Any]:
    """`python -X importtime` of `arsip search WORD --json`: total, biggest, unneeded ones."""
    python = arsip.parent / "python"
    proc = subprocess.run([str(python), "-X", "importtime", str(arsip), "search", word,
                           "--json"], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    total_us = 0
    top: list[tuple[str, int]] = []
    names: set[str] = set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, cumulative, name = (part.strip() for part in
                                        line.replace("import time:", "|", 1).split("|"))
        total_us += int(self_us)
        names.add(name.strip())
        if not name.startswith(" "):
            top.append((name.strip(), int(cumulative)))
    bare = [time_command([str(python), "-c", "pass"], env) for _ in range(5)]
    version = [time_command([str(arsip), "--version"], env) for _ in range(5)]
    unneeded = sorted({n.split(".")[0] for n in names} & set(UNNEEDED))
    return {"imports_seconds": total_us / 1e6, "modules": len(names),
            "biggest": [[n, c / 1e6] for n, c in sorted(top, key=lambda t: -t[1])[:12]],
            "unneeded_imported": unneeded, "python_bare_seconds": median(bare),
            "arsip_version_seconds": median(version)}


def time_command(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, timeout=60, check=False)
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall"] for r in runs]
    work = [r["timing"].get("total", float("nan")) for r in runs]
    cpu = [r["cpu"] for r in runs]
    work_cpu = [r["timing"].get("cpu", float("nan")) for r in runs]
    return {"n": len(runs), "maxrss_mb": max((r["maxrss_mb"] for r in runs), default=0.0),
            "wall_median": median(walls), "wall_p95": percentile(walls, 95),
            "wall_max": max(walls, default=float("nan")), "work_median": median(work),
            "work_p95": percentile(work, 95), "work_max": max(work, default=float("nan")),
            "cpu_median": median(cpu), "cpu_p95": percentile(cpu, 95),
            "work_cpu_median": median(work_cpu), "work_cpu_p95": percentile(work_cpu, 95)}


def by_kind(runs: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    kinds: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        kinds.setdefault(run["kind"], []).append(run)
    for kind, mine in kinds.items():
        yield kind, summarise(mine)


def generate(args: argparse.Namespace, home: Path, report: dict[str, Any]) -> list[DocInfo]:
    log(f"generating {args.docs} sidecars in {home / 'archive'}")
    started = time.perf_counter()
    infos, written = write_sidecars(home / "archive", args.docs, args.seed)
    seconds = time.perf_counter() - started
    report["generation"] = {"documents": len(infos), "sidecar_bytes": written,
                            "seconds": seconds, "loadavg": loadavg()}
    (home / "manifest.json").write_text(json.dumps([i.__dict__ for i in infos]))
    log(f"  {len(infos)} sidecars, {written / 1e6:.0f} MB, in {seconds:.1f} s")
    return infos


def reindex(args: argparse.Namespace, env: dict[str, str], home: Path,
            report: dict[str, Any]) -> None:
    log(f"arsip reindex (load average {loadavg()})")
    before = loadavg()
    result = run_measured([args.arsip, "reindex"], env=env, timeout=args.timeout,
                          sample_memory=True)
    peak_kb = max(result.tree_rss_peak_kb, result.maxrss_kb)
    report["reindex"] = {**result.summary(), "peak_memory_mb": peak_kb / 1024,
                         "index_bytes": dir_bytes(home / "index"),
                         "loadavg_before": before, "loadavg_after": loadavg()}
    log(f"  {result.wall:.1f} s, cpu {result.cpu:.1f} s, peak {peak_kb / 1024:.0f} MB, exit "
        f"{result.returncode}, index {report['reindex']['index_bytes'] / 1e6:.0f} MB")
    if args.check:
        log("arsip check")
        checked = run_measured([args.arsip, "check", "--json"], env=env, timeout=args.timeout,
                               sample_memory=True)
        ok = None
        with contextlib.suppress(ValueError):
            ok = json.loads(checked.stdout).get("ok")
        report["check"] = {"wall": checked.wall, "cpu": checked.cpu, "ok": ok,
                           "exit": checked.returncode,
                           "peak_memory_mb": max(checked.tree_rss_peak_kb,
                                                 checked.maxrss_kb) / 1024}
        log(f"  {checked.wall:.1f} s, ok={ok}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000,
                        help="sidecars to generate (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="counted rounds of the query set (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=None,
                        help="run only the first N queries of the set (a quick smoke run)")
    parser.add_argument("--home", type=Path, default=None,
                        help="use this ARSIP_HOME (kept); generate only if it has no sidecars")
    parser.add_argument("--skip-reindex", action="store_true",
                        help="with --home: search the index that is there")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="skip `arsip check` after the reindex")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds allowed for the reindex (default: %(default)s)")
    add_common_args(parser)
    args = parser.parse_args()
    check_arsip(args.arsip)
    install_cleanup()
    rng = random.Random(args.seed)
    report: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()},
                              "machine_start": machine()}
    with contextlib.ExitStack() as stack:
        if args.home is not None:
            home = args.home
            home.mkdir(parents=True, exist_ok=True)
        else:
            home = stack.enter_context(work_dir("arsip-bench-scale-", keep=args.keep,
                                                base=args.tmp))
        env = arsip_env(home, args.arsip_env)
        manifest = home / "manifest.json"
        if manifest.exists():
            infos = [DocInfo(**d) for d in json.loads(manifest.read_text())]
            report["generation"] = {"documents": len(infos), "reused": str(home)}
        else:
            infos = generate(args, home, report)
        if not (args.skip_reindex and (home / "index").exists()):
            reindex(args, env, home, report)
        report["index_bytes"] = dir_bytes(home / "index")
        queries = query_set(infos, rng)[:args.queries]
        log(f"{len(queries)} queries x {args.rounds} rounds (+1 warm-up), load {loadavg()}")
        report["queries_loadavg_before"] = loadavg()
        runs = run_queries(args.arsip, env, queries, args.rounds, rng)
        report["queries_loadavg_after"] = loadavg()
        report["queries"] = queries
        report["runs"] = runs
        log("start-up: python -X importtime")
        report["startup"] = import_times(args.arsip, env, infos[0].rare[0])
    return print_report(report, args)


def print_report(report: dict[str, Any], args: argparse.Namespace) -> int:
    print("\n" + code_line(report))
    gen = report["generation"]
    print(f"\n{gen['documents']} documents"
          + (f", generated in {gen['seconds']:.1f} s ({gen['sidecar_bytes'] / 1e6:.0f} MB of "
             "sidecars)" if "seconds" in gen else f" (reused {gen.get('reused')})"))
    targets: list[Target] = []
    if "reindex" in report:
        r = report["reindex"]
        print(f"arsip reindex: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, peak memory "
              f"{r['peak_memory_mb']:.0f} MB (process tree), exit {r['returncode']}; load "
              f"average {r['loadavg_before']} -> {r['loadavg_after']}")
        targets += [Target("reindex wall time", r["wall"] / 60, 15.0, unit=" min"),
                    Target("reindex peak memory", r["peak_memory_mb"], 2048.0, unit=" MB")]
        if r["returncode"] != 0:
            targets.append(Target("reindex exit code", float(r["returncode"] or 1), 0.0))
    if "check" in report:
        c = report["check"]
        print(f"arsip check: {c['wall']:.1f} s, ok={c['ok']}, peak {c['peak_memory_mb']:.0f} MB")
    print(f"index size: {report['index_bytes'] / 1e6:.0f} MB")
    runs = report["runs"]
    columns = ("n", "wall_median", "wall_p95", "work_median", "work_p95", "cpu_median",
               "cpu_p95", "work_cpu_p95")
    rows = [[kind, *(s[c] for c in columns)] for kind, s in by_kind(runs)]
    overall = summarise(runs)
    rows.append(["ALL", *(overall[c] for c in columns)])
    print(f"\nsearches (load average {report['queries_loadavg_before']} -> "
          f"{report['queries_loadavg_after']}):\n")
    print(table(["query kind", "runs", "wall med s", "wall p95 s", "work med s", "work p95 s",
                 "cpu med s", "cpu p95 s", "work cpu p95"], rows))
    print("(wall: the whole `arsip search` command; work: its own --timing total — opening the "
          "index, matching, hits and snippets; cpu: CPU seconds of the command, and of the "
          "work, which is what they would take on an idle machine)")
    stages = {k: median([r["timing"].get(k, float("nan")) for r in runs])
              for k in ("open", "match", "hits", "rest")}
    print(f"peak memory of one `arsip search`: {max(r['maxrss_mb'] for r in runs):.0f} MB")
    print("median by stage: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in stages.items()))
    slow = sorted(runs, key=lambda r: -r["wall"])[:5]
    print("slowest: " + "; ".join(
        f"{' '.join(report['queries'][r['query']]['args'])} {r['wall']:.2f} s" for r in slow))
    bad = [q for q in report["queries"] if q.get("exit") != 0 or q.get("found") is False]
    for q in bad:
        print(f"PROBLEM: {' '.join(q['args'])}: exit {q.get('exit')}, found {q.get('found')}")
    s = report["startup"]
    print(f"\nstart-up: imports {s['imports_seconds'] * 1000:.0f} ms ({s['modules']} modules); "
          f"bare python {s['python_bare_seconds'] * 1000:.0f} ms, `arsip --version` "
          f"{s['arsip_version_seconds'] * 1000:.0f} ms; biggest: "
          + ", ".join(f"{n} {c * 1000:.0f} ms" for n, c in s["biggest"][:6]))
    print(f"modules search does not need, imported: {s['unneeded_imported'] or 'none'}")
    targets += [Target("search wall median", overall["wall_median"], 0.3, unit=" s"),
                Target("search wall p95", overall["wall_p95"], 1.0, unit=" s"),
                Target("search work p95", overall["work_p95"], 0.2, unit=" s"),
                Target("queries failed or missed", float(len(bad)), 0.0),
                Target("unneeded modules imported", float(len(s["unneeded_imported"])), 0.0)]
    report["summary"] = overall
    return conclude("search_scale", report, targets, args.out)


if __name__ == "__main__":
    sys.exit(main())
