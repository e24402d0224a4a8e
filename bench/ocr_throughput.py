"""OCR throughput on 300-dpi A4 scans: `arsip ingest DIR --wait` against plain tesseract.

The limit is plain `tesseract PAGE OUT -l ind+eng` with OMP_THREAD_LIMIT=1, one process per core
(xargs -P), over the same page images; beside it, the tesseract library arsip itself reads with
(tesserocr's build, usually newer than the command), one process per core, each loading its
models once (bench/_tesserocr_pages.py). arsip runs on a fresh home. Modes:

  (default)        N dense pages (a full A4 of 9-point English/Indonesian text) as PNG files;
                   target: arsip pages/min >= 0.90 x the limit's pages/min
  --pdf            the same pages in one scanned PDF (--pdf-docs K: K PDFs) instead of PNGs
  --mixed 90       the end-to-end batch: 2/3 one-page scans (PNG, JPEG, TIFF, scanned PDF) and
                   1/3 born-digital PDFs and text files; target: arsip's wall time <= 1.25 x the
                   limit's time for the scans alone
  --pages-pdf 100  one scanned PDF of 100 pages: arsip's peak memory; target < 500 MB

Every mode reports the peak RSS of the arsip process (VmHWM), of the largest process in its tree
(wait4) and the sampled sum over the tree (arsip + its tesseract children).

    .venv/bin/python bench/ocr_throughput.py                 # 20 dense PNG pages
    .venv/bin/python bench/ocr_throughput.py --pdf
    .venv/bin/python bench/ocr_throughput.py --mixed 90
    .venv/bin/python bench/ocr_throughput.py --pages-pdf 100
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
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
    render_scan,
    run_measured,
    run_per_file,
    scans_pdf,
    stage_totals,
    table,
    text_pdf,
    tool_version,
    work_dir,
)
from workers.tools.tesseract import engine_version, tessdata_dir  # arsip's own OCR engine

DPI = 300


def page_image(rng: random.Random, word: str, density: str) -> Any:
    if density == "dense":
        return render_scan(None, dpi=DPI, point_size=9.0, rng=rng, unique=word)
    return render_scan(document_pages(rng, word, 1)[0], dpi=DPI, point_size=11.0)


def save_image(image: Any, path: Path) -> Path:
    fmt = {".png": "PNG", ".jpg": "JPEG", ".tif": "TIFF"}[path.suffix]
    options: dict[str, Any] = {"dpi": (DPI, DPI)}
    if fmt == "JPEG":
        options["quality"] = 85
    if fmt == "TIFF":
        options["compression"] = "tiff_lzw"
    image.save(path, fmt, **options)
    return path


class Batch:
    """The documents arsip ingests, the page images the limit reads, and a word per document."""

    def __init__(self, root: Path) -> None:
        self.docs = root / "docs"
        self.pages = root / "pages"  # images for the limit (not ingested)
        self.docs.mkdir(parents=True)
        self.pages.mkdir(parents=True)
        self.limit_images: list[Path] = []
        self.words: dict[str, str] = {}  # document file name -> its unique word
        self.kinds: dict[str, int] = {}
        self.scan_pages = 0

    def count(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1


def build_pages(batch: Batch, rng: random.Random, n: int, density: str, pdf: bool,
                pdf_docs: int) -> None:
    """N page images: as PNG documents, or embedded as JPEG pages in `pdf_docs` scanned PDFs."""
    words = WordMaker(rng, prefix="ocr")
    images: list[tuple[Path, str]] = []
    for i in range(n):
        word = words()
        image = page_image(rng, word, density)
        if pdf:
            images.append((save_image(image, batch.pages / f"page-{i:04d}.jpg"), word))
        else:
            path = save_image(image, batch.docs / f"page-{i:04d}.png")
            batch.words[path.name] = word
            batch.limit_images.append(path)
            batch.count("png")
        image.close()
        batch.scan_pages += 1
    if pdf:
        per = -(-n // pdf_docs)
        for d in range(pdf_docs):
            chunk = images[d * per:(d + 1) * per]
            if not chunk:
                continue
            path = batch.docs / f"scan-{d:03d}.pdf"
            scans_pdf(path, [p for p, _ in chunk])
            batch.words[path.name] = chunk[0][1]
            batch.limit_images += [p for p, _ in chunk]
            batch.count("scanned pdf")


def build_mixed(batch: Batch, rng: random.Random, total: int, density: str) -> None:
    """2/3 one-page scans in four formats, 1/3 born-digital PDFs and text files."""
    words = WordMaker(rng, prefix="mix")
    scans = round(total * 2 / 3)
    kinds = ["png", "jpeg", "tiff", "scanned pdf"]
    for i in range(scans):
        kind = kinds[i % len(kinds)]
        word = words()
        image = page_image(rng, word, density)
        if kind == "png":
            path = save_image(image, batch.docs / f"scan-{i:03d}.png")
            batch.limit_images.append(path)
        elif kind == "jpeg":
            path = save_image(image, batch.docs / f"scan-{i:03d}.jpg")
            batch.limit_images.append(path)
        elif kind == "tiff":
            path = save_image(image, batch.docs / f"scan-{i:03d}.tif")
            batch.limit_images.append(path)
        else:
            jpeg = save_image(image, batch.pages / f"scan-{i:03d}.jpg")
            path = batch.docs / f"scan-{i:03d}.pdf"
            scans_pdf(path, [jpeg])
            batch.limit_images.append(jpeg)
        image.close()
        batch.words[path.name] = word
        batch.count(kind)
        batch.scan_pages += 1
    for i in range(total - scans):
        word = words()
        lines = document_pages(rng, word, rng.randint(1, 3))
        if i % 3 == 2:
            path = batch.docs / f"text-{i:03d}.txt"
            path.write_text("\n\n".join("\n".join(p) for p in lines) + "\n", encoding="utf-8")
            batch.count("text file")
        else:
            path = batch.docs / f"digital-{i:03d}.pdf"
            text_pdf(path, lines)
            batch.count("born-digital pdf")
        batch.words[path.name] = word


ENGINE_LIMIT = "tesserocr limit"


def run_limit(args: argparse.Namespace, batch: Batch, root: Path) -> Measured:
    out = root / "limit-out"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "OUT": str(out), "LANGS": args.languages}
    body = 'tesseract "$f" "$OUT/$(basename "$f")" -l "$LANGS" >/dev/null 2>&1 || echo "$f" >&2'
    return run_per_file(batch.limit_images, body, processes=args.processes, workdir=root,
                        env=env, per_call=1, timeout=args.timeout, name="tesseract")


def run_engine_limit(args: argparse.Namespace, batch: Batch) -> Measured:
    """The same pages through the tesseract library arsip reads with (tesserocr's build)."""
    return run_measured([sys.executable, str(Path(__file__).with_name("_tesserocr_pages.py")),
                         "--processes", str(args.processes), "--languages", args.languages,
                         "--tessdata", tessdata_dir(), *map(str, batch.limit_images)],
                        env={**os.environ, "OMP_THREAD_LIMIT": "1"}, timeout=args.timeout,
                        sample_memory=True)


def run_arsip(args: argparse.Namespace, batch: Batch,
              home: Path) -> tuple[Measured, dict[str, int]]:
    env = arsip_env(home, args.arsip_env)
    result = run_measured([args.arsip, "ingest", batch.docs, "--wait", "--json"], env=env,
                          timeout=args.timeout, sample_memory=True)
    counts: dict[str, int] = {}
    try:
        for outcome in json.loads(result.stdout):
            counts[outcome["status"]] = counts.get(outcome["status"], 0) + 1
    except (ValueError, KeyError, TypeError):
        counts["unreadable"] = 1
    return result, counts


def sanity(args: argparse.Namespace, batch: Batch, home: Path,
           rng: random.Random) -> dict[str, Any]:
    """A word only OCR could have read must be found."""
    name = rng.choice(sorted(batch.words))
    word = batch.words[name]
    hits, _seconds, code = arsip_search(args.arsip, arsip_env(home, args.arsip_env), word)
    doc_id = doc_id_of(batch.docs / name)
    found = any(h.get("id") == doc_id for h in hits)
    return {"file": name, "word": word, "exit": code, "hits": len(hits), "found": found}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20,
                        help="dense pages for the default mode (default: %(default)s)")
    parser.add_argument("--pdf", action="store_true",
                        help="put the pages into scanned PDF(s) instead of PNG files")
    parser.add_argument("--pdf-docs", type=int, default=1,
                        help="with --pdf: how many PDFs to split the pages into (default: 1)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--mixed", type=int, metavar="N", default=0,
                      help="the end-to-end batch of N documents (2/3 scans) instead")
    mode.add_argument("--pages-pdf", type=int, metavar="N", default=0,
                      help="peak memory on one scanned PDF of N pages instead")
    parser.add_argument("--density", choices=["dense", "letter"], default=None,
                        help="page content: a full page of 9-point text, or a one-page "
                        "business letter (default: dense; letter for --mixed/--pages-pdf)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="tesseract processes for the limit (default: cores = %(default)s)")
    parser.add_argument("--languages", default="ind+eng")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternating rounds of limit and arsip (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds allowed for one run (default: %(default)s)")
    parser.add_argument("--ratio-target", type=float, default=0.90)
    parser.add_argument("--mixed-target", type=float, default=1.25)
    parser.add_argument("--memory-target-mb", type=float, default=500.0)
    add_common_args(parser)
    args = parser.parse_args()
    check_arsip(args.arsip)
    install_cleanup()
    if args.density is None:
        args.density = "letter" if (args.mixed or args.pages_pdf) else "dense"
    mode_name = ("mixed" if args.mixed else "pages-pdf" if args.pages_pdf
                 else "pdf" if args.pdf else "png")
    rng = random.Random(args.seed)
    report: dict[str, Any] = {
        "mode": mode_name, "settings": {k: str(v) for k, v in vars(args).items()},
        "machine_start": machine(),
        "versions": {"tesseract": tool_version(["tesseract", "--version"]),
                     "engine": engine_version()},
    }
    runs: list[dict[str, Any]] = []
    with work_dir("arsip-bench-ocr-", keep=args.keep, base=args.tmp) as root:
        batch = Batch(root)
        started = time.perf_counter()
        log(f"making the documents ({mode_name}, {args.density} pages)")
        if args.mixed:
            build_mixed(batch, rng, args.mixed, args.density)
        elif args.pages_pdf:
            build_pages(batch, rng, args.pages_pdf, args.density, pdf=True, pdf_docs=1)
        else:
            build_pages(batch, rng, args.pages, args.density, pdf=args.pdf,
                        pdf_docs=args.pdf_docs)
        report["batch"] = {"documents": len(batch.words), "scan_pages": batch.scan_pages,
                           "kinds": batch.kinds, "made_in": time.perf_counter() - started,
                           "bytes": sum(f.stat().st_size for f in batch.docs.iterdir())}
        log(f"{report['batch']}")
        home = root / "home"
        for r in range(1, args.rounds + 1):
            if not args.pages_pdf:
                log(f"round {r}: plain tesseract, {args.processes} processes, "
                    f"{len(batch.limit_images)} pages")
                limit = run_limit(args, batch, root)
                runs.append({"round": r, "tool": "tesseract limit", **limit.summary()})
                log(f"  {limit.wall:.1f} s, exit {limit.returncode}")
                log(f"round {r}: the same tesseract library as arsip's (tesserocr), "
                    f"{args.processes} processes")
                engine = run_engine_limit(args, batch)
                runs.append({"round": r, "tool": ENGINE_LIMIT, **engine.summary()})
                log(f"  {engine.wall:.1f} s, exit {engine.returncode}")
            if home.exists():
                shutil.rmtree(home)
            log(f"round {r}: arsip ingest --wait")
            result, counts = run_arsip(args, batch, home)
            runs.append({"round": r, "tool": "arsip ingest --wait", **result.summary(),
                         "outcomes": counts, "log": stage_totals(result.stderr)})
            log(f"  {result.wall:.1f} s, exit {result.returncode}, {counts}, peak RSS "
                f"{result.own_hwm_kb / 1024:.0f} MB")
        report["sanity"] = sanity(args, batch, home, rng)
    report["runs"] = runs
    return print_report(report, args)


def print_report(report: dict[str, Any], args: argparse.Namespace) -> int:
    runs = report["runs"]
    batch = report["batch"]
    pages = batch["scan_pages"]
    print("\n" + code_line(report))
    print(f"\nOCR throughput, mode {report['mode']}: {batch['documents']} document(s), "
          f"{pages} scanned page(s) at {DPI} dpi ({args.density}); kinds {batch['kinds']}\n")
    print(table(["round", "tool", "wall s", "pages/min", "cpu s", "cpu s/page", "cores used",
                 "arsip RSS MB", "tree RSS MB", "tree PSS MB", "other load"],
                [[r["round"], r["tool"], r["wall"], pages / r["wall"] * 60, r["cpu"],
                  r["cpu"] / pages, r["cpu"] / r["wall"],
                  r["own_hwm_kb"] / 1024 if r["tool"].startswith("arsip") else None,
                  r["tree_rss_peak_kb"] / 1024, r["tree_pss_peak_kb"] / 1024,
                  r["other_load"]] for r in runs], digits=2))
    print("(cpu: every process of the run, sampled 4x/s; arsip RSS: VmHWM of the arsip "
          "process; tree RSS: peak sum over all its processes; other load: cores busy with "
          "other work on the machine meanwhile)")
    arsip_runs = [r for r in runs if r["tool"].startswith("arsip")]
    limit_runs = [r for r in runs if r["tool"] == "tesseract limit"]
    arsip_wall = median([r["wall"] for r in arsip_runs])
    for r in arsip_runs:
        print(f"\narsip round {r['round']}: sampled CPU by process {r['cpu_by_command']}; "
              f"peak RSS by process (MB) "
              f"{ {k: round(v / 1024) for k, v in r['peak_rss_by_command_kb'].items()} }")
        lg = r["log"]
        print(f"\narsip round {r['round']}: outcomes {r['outcomes']}; own log: "
              f"{lg['documents_logged']} documents, "
              + ", ".join(f"{k} {v:.1f} s" for k, v in lg["seconds"].items())
              + f" (summed over threads); {lg['index_commits']} index commits")
    s = report["sanity"]
    print(f"\nsanity: `arsip search {s['word']}` ({s['file']}) -> {s['hits']} hit(s), "
          f"{'found' if s['found'] else 'NOT FOUND'}")
    targets: list[Target] = []
    if limit_runs:
        limit_wall = median([r["wall"] for r in limit_runs])
        engine_wall = median([r["wall"] for r in runs if r["tool"] == ENGINE_LIMIT])
        print()
        print(table(["medians", "wall s", "pages/min"], [
            ["plain tesseract, one process per core", limit_wall, pages / limit_wall * 60],
            ["tesseract library (tesserocr), one process per core", engine_wall,
             pages / engine_wall * 60],
            ["arsip ingest --wait", arsip_wall, pages / arsip_wall * 60],
        ], digits=2))
        print(f"(arsip reads pages with tesseract {report['versions']['engine']} in its own "
              f"processes; the `tesseract` command is {report['versions']['tesseract']})")
        limit_cpu = median([r["cpu"] for r in limit_runs])
        arsip_cpu = median([r["cpu"] for r in arsip_runs])
        print(f"\nCPU seconds (medians): limit {limit_cpu:.1f}, arsip {arsip_cpu:.1f}; "
              f"limit/arsip {limit_cpu / arsip_cpu:.2f} (less sensitive to other load than "
              "the wall-time ratio)")
        if report["mode"] == "mixed":
            targets.append(Target("arsip wall / tesseract wall on the scans",
                                  arsip_wall / limit_wall, args.mixed_target))
            targets.append(Target("arsip wall / same-library wall on the scans",
                                  arsip_wall / engine_wall, args.mixed_target))
        else:
            targets.append(Target("arsip pages/min / limit pages/min", limit_wall / arsip_wall,
                                  args.ratio_target, at_least=True))
            targets.append(Target("arsip pages/min / same-library pages/min",
                                  engine_wall / arsip_wall, args.ratio_target, at_least=True))
    peak = max(r["own_hwm_kb"] for r in arsip_runs) / 1024
    tree = max(r["tree_rss_peak_kb"] for r in arsip_runs) / 1024
    tree_pss = max(r["tree_pss_peak_kb"] for r in arsip_runs) / 1024
    largest = max(max(r["peak_rss_by_command_kb"].values(), default=0) for r in arsip_runs)
    print(f"\npeak memory: arsip process {peak:.0f} MB (VmHWM); largest single process "
          f"{largest / 1024:.0f} MB; all of arsip's processes together (sampled every 0.25 s) "
          f"{tree:.0f} MB RSS, {tree_pss:.0f} MB PSS")
    if report["mode"] == "pages-pdf":
        targets.append(Target("peak RSS of the arsip process", peak, args.memory_target_mb,
                              unit=" MB"))
        targets.append(Target("peak PSS of all arsip's processes", tree_pss,
                              args.memory_target_mb, unit=" MB"))
    failed = sum(r["outcomes"].get("failed", 0) + r["outcomes"].get("unreadable", 0)
                 for r in arsip_runs)
    targets.append(Target("documents not filed", float(failed), 0.0))
    targets.append(Target("sanity search finds an OCR-only word", 1.0 if s["found"] else 0.0,
                          1.0, at_least=True))
    return conclude(f"ocr_throughput-{report['mode']}", report, targets, args.out)


if __name__ == "__main__":
    sys.exit(main())
