"""Bulk-ingest throughput on born-digital PDFs: `arsip ingest DIR --wait` (embedded, fresh home)
against recoll's indexer on the same folder, with poppler's `pdftotext` as the extraction limit.

Each round runs, in this order: arsip, recoll (`recollindex -c CONFDIR`, a fresh CONFDIR whose
recoll.conf says only `topdirs = DIR`), pdftotext over every file one at a time, and pdftotext
with 2 processes. Rounds alternate the tools (A B C D A B C D …) so that slow phases of a shared
machine hit all of them; the medians are compared. Target: arsip / recoll <= 1.0.
Afterwards `arsip search` (and `recollq`) must find a word from a random document.

Every round's output (arsip's home, recoll's index) is kept until the end, not removed between
rounds: on an ext4 without a journal (this machine's disk), a new file's inode is found by
scanning past every inode freed in the last few minutes, so deleting a round's 3,000 files made
the next round's arsip (which writes a few files per document; recoll a few in all) spend
about 45 % more CPU in its own process. Run it away from other deletions for the same reason:
arsip's own process used 1.4 s of CPU with its home on tmpfs, 2.6 s on the disk, 3.8 s on the
disk just after the previous run's home was deleted (the same 400 PDFs).

    .venv/bin/python bench/throughput.py                  # 400 PDFs, 3 rounds
    .venv/bin/python bench/throughput.py --docs 100 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # after the path set-up: runs as a script and as -m
    Measured,
    Target,
    WordMaker,
    add_common_args,
    arsip_env,
    arsip_search,
    check_arsip,
    code_line,
    conclude,
    doc_id_of,
    document_pages,
    install_cleanup,
    log,
    machine,
    median,
    run_measured,
    run_per_file,
    stage_totals,
    table,
    text_pdf,
    tool_version,
    work_dir,
)


def make_corpus(folder: Path, count: int, rng: random.Random, min_pages: int,
                max_pages: int) -> list[dict[str, Any]]:
    """`count` born-digital PDFs of 1-3 pages, each with one unique word."""
    folder.mkdir(parents=True)
    words = WordMaker(rng, prefix="tp")
    manifest = []
    for i in range(count):
        word = words()
        pages = rng.randint(min_pages, max_pages)
        path = folder / f"doc-{i:04d}.pdf"
        text_pdf(path, document_pages(rng, word, pages))
        manifest.append({"file": path.name, "word": word, "pages": pages,
                         "doc_id": doc_id_of(path)})
    return manifest


def run_arsip(args: argparse.Namespace, docs: Path, home: Path) -> Measured:
    env = arsip_env(home, args.arsip_env)
    result = run_measured([args.arsip, "ingest", docs, "--wait", "--json"], env=env,
                          timeout=args.timeout, sample_memory=True)
    return result


def arsip_outcomes(result: Measured) -> dict[str, int]:
    counts: dict[str, int] = {}
    try:
        outcomes = json.loads(result.stdout)
    except ValueError:
        return {"unreadable": 1}
    for o in outcomes:
        counts[o.get("status", "?")] = counts.get(o.get("status", "?"), 0) + 1
    return counts


def run_recoll(args: argparse.Namespace, docs: Path, confdir: Path) -> Measured:
    confdir.mkdir(parents=True)
    lines = [f"topdirs = {docs}", *args.recoll_conf]
    (confdir / "recoll.conf").write_text("\n".join(lines) + "\n")
    return run_measured(["recollindex", "-c", confdir], timeout=args.timeout, sample_memory=True)


def run_pdftotext(args: argparse.Namespace, files: list[Path], processes: int,
                  workdir: Path) -> Measured:
    """pdftotext FILE - > /dev/null for every file, `processes` at a time (xargs -P)."""
    per_call = len(files) if processes == 1 else max(1, -(-len(files) // (processes * 8)))
    return run_per_file(files, 'pdftotext -q "$f" - >/dev/null', processes=processes,
                        workdir=workdir, per_call=per_call, timeout=args.timeout,
                        name=f"pdftotext-{processes}")


def sanity(args: argparse.Namespace, manifest: list[dict[str, Any]], home: Path,
           confdir: Path | None, rng: random.Random) -> dict[str, Any]:
    """A word from a random document must be found by `arsip search` (and by recollq)."""
    doc = rng.choice(manifest)
    hits, seconds, code = arsip_search(args.arsip, arsip_env(home, args.arsip_env), doc["word"])
    found = any(h.get("id") == doc["doc_id"] for h in hits)
    result: dict[str, Any] = {"file": doc["file"], "word": doc["word"], "arsip_exit": code,
                              "arsip_found": found, "arsip_hits": len(hits),
                              "arsip_search_seconds": seconds}
    if confdir is not None and confdir.exists():
        proc = subprocess.run(["recollq", "-c", str(confdir), "-b", doc["word"]],
                              capture_output=True, text=True, timeout=60, check=False)
        result["recoll_found"] = any(line.endswith("/" + doc["file"])
                                     for line in proc.stdout.splitlines())
        count = subprocess.run(["recollq", "-c", str(confdir), "-b", "mime:application/pdf"],
                               capture_output=True, text=True, timeout=60, check=False)
        result["recoll_pdfs_indexed"] = sum(1 for line in count.stdout.splitlines()
                                            if line.endswith(".pdf"))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=400, help="PDFs (default: %(default)s)")
    parser.add_argument("--min-pages", type=int, default=1)
    parser.add_argument("--max-pages", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of every tool (default: %(default)s)")
    parser.add_argument("--no-recoll", action="store_true", help="skip recoll")
    parser.add_argument("--recoll-conf", action="append", default=[], metavar="LINE",
                        help="extra recoll.conf line, e.g. 'noaspell = 1' (repeatable)")
    parser.add_argument("--target", type=float, default=1.0,
                        help="arsip/recoll time ratio target (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=900.0,
                        help="seconds allowed for one run of one tool (default: %(default)s)")
    add_common_args(parser)
    args = parser.parse_args()
    check_arsip(args.arsip)
    if not args.no_recoll and shutil.which("recollindex") is None:
        raise SystemExit("recollindex is not installed (apt-get install recollcmd), or use "
                         "--no-recoll")
    install_cleanup()
    rng = random.Random(args.seed)
    report: dict[str, Any] = {
        "settings": {k: str(v) for k, v in vars(args).items()}, "machine_start": machine(),
        "versions": {"pdftotext": tool_version(["pdftotext", "-v"]),
                     "recoll": tool_version(["dpkg-query", "-W", "recollcmd"])},
    }
    runs: list[dict[str, Any]] = []
    with work_dir("arsip-bench-throughput-", keep=args.keep, base=args.tmp) as root:
        docs = root / "docs"
        log(f"making {args.docs} born-digital PDFs in {docs}")
        started = time.perf_counter()
        manifest = make_corpus(docs, args.docs, rng, args.min_pages, args.max_pages)
        files = sorted(docs.iterdir())
        pages = sum(m["pages"] for m in manifest)
        size = sum(f.stat().st_size for f in files)
        report["corpus"] = {"documents": len(files), "pages": pages, "bytes": size,
                            "made_in": time.perf_counter() - started}
        log(f"{len(files)} PDFs, {pages} pages, {size / 1e6:.1f} MB")
        last_home: Path | None = None
        last_conf: Path | None = None
        for r in range(1, args.rounds + 1):
            home = root / f"arsip-home-{r}"
            log(f"round {r}: arsip ingest")
            result = run_arsip(args, docs, home)
            outcomes = arsip_outcomes(result)
            runs.append({"round": r, "tool": "arsip ingest --wait", **result.summary(),
                         "outcomes": outcomes, "log": stage_totals(result.stderr)})
            log(f"  {result.wall:.1f} s, exit {result.returncode}, {outcomes}")
            last_home = home  # kept until the end: see the module's docstring
            if not args.no_recoll:
                confdir = root / f"recoll-{r}"
                log(f"round {r}: recollindex")
                result = run_recoll(args, docs, confdir)
                runs.append({"round": r, "tool": "recollindex", **result.summary()})
                log(f"  {result.wall:.1f} s, exit {result.returncode}")
                last_conf = confdir
            for processes in (1, 2):
                name = f"pdftotext x{processes}"
                log(f"round {r}: {name}")
                result = run_pdftotext(args, files, processes, root)
                runs.append({"round": r, "tool": name, **result.summary()})
                log(f"  {result.wall:.1f} s, exit {result.returncode}")
        assert last_home is not None
        report["sanity"] = sanity(args, manifest, last_home, last_conf, rng)
    report["runs"] = runs
    return print_report(report, args)


TOOLS = ["arsip ingest --wait", "recollindex", "pdftotext x1", "pdftotext x2"]


def print_report(report: dict[str, Any], args: argparse.Namespace) -> int:
    runs = report["runs"]
    corpus = report["corpus"]
    print("\n" + code_line(report))
    print(f"\nbulk ingest of {corpus['documents']} born-digital PDFs ({corpus['pages']} pages, "
          f"{corpus['bytes'] / 1e6:.1f} MB), {args.rounds} alternating round(s)\n")
    print(table(["round", "tool", "wall s", "cpu s", "cores used", "peak RSS MB", "exit",
                 "other load"],
                [[r["round"], r["tool"], r["wall"], r["cpu"], r["cpu"] / r["wall"],
                  r["tree_rss_peak_kb"] / 1024, r["returncode"], r["other_load"]] for r in runs],
                digits=2))
    print("(cpu: all processes of the run; peak RSS: sum over its processes, sampled 4x/s; "
          "other load: cores busy with other work on the machine meanwhile)")
    medians: dict[str, float] = {}
    rows = []
    for tool in TOOLS:
        mine = [r for r in runs if r["tool"] == tool]
        if not mine:
            continue
        medians[tool] = median([r["wall"] for r in mine])
        rows.append([tool, medians[tool], median([r["cpu"] for r in mine]),
                     corpus["documents"] / medians[tool], corpus["pages"] / medians[tool]])
    print()
    print(table(["tool (medians)", "wall s", "cpu s", "docs/s", "pages/s"], rows, digits=2))
    arsip = medians["arsip ingest --wait"]
    ratios = [[f"arsip / {tool}", arsip / medians[tool]] for tool in TOOLS[1:]
              if tool in medians]
    print()
    print(table(["ratio of median wall times", "value"], ratios, digits=2))
    last_arsip = [r for r in runs if r["tool"] == "arsip ingest --wait"][-1]
    print(f"\narsip CPU by process (last round): {last_arsip['cpu_by_command']}; "
          f"{last_arsip['processes_seen']} processes")
    stages = [r["log"] for r in runs if r["tool"] == "arsip ingest --wait"]
    if stages:
        last = stages[-1]
        secs = last["seconds"]
        print(f"\narsip's own log (last round): {last['documents_logged']} documents, "
              + ", ".join(f"{k} {v:.1f} s" for k, v in secs.items())
              + f" (summed over worker threads); {last['index_commits']} index commits")
    s = report["sanity"]
    print(f"\nsanity: `arsip search {s['word']}` -> {s['arsip_hits']} hit(s), "
          f"{'found' if s['arsip_found'] else 'NOT FOUND'} {s['file']}"
          + (f"; recollq {'found' if s.get('recoll_found') else 'NOT FOUND'} it, "
             f"{s.get('recoll_pdfs_indexed')} PDFs in recoll's index" if "recoll_found" in s
             else ""))
    targets = []
    if "recollindex" in medians:
        targets.append(Target("arsip / recoll wall time (medians)", arsip / medians["recollindex"],
                              args.target))
    targets.append(Target("sanity search finds a random document",
                          1.0 if s["arsip_found"] else 0.0, 1.0, at_least=True))
    bad = [r for r in runs if r["returncode"] != 0 or r["timed_out"]]
    if bad:
        print("\nruns that failed: " + ", ".join(f"{r['tool']} (round {r['round']}, exit "
                                                 f"{r['returncode']})" for r in bad))
        targets.append(Target("runs that exited non-zero", float(len(bad)), 0.0))
    report["medians"] = medians
    return conclude("throughput", report, targets, args.out)


if __name__ == "__main__":
    sys.exit(main())
