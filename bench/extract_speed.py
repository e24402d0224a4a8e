"""Born-digital text extraction per page: arsip's extraction path against poppler's pdftotext.

arsip reads each PDF the way a worker does (workers.extract.extract_text: a kept extraction
child, PDFium's text layer, the garbage and scan checks), one document after another; pdftotext
reads the same files one process per file, as a script over a folder would. Rounds alternate
the two. Target (issue "extraction and OCR"): arsip's time per page <= 2 x pdftotext's.

    .venv/bin/python bench/extract_speed.py               # 200 PDFs of 1-3 pages, 3 rounds
    .venv/bin/python bench/extract_speed.py --docs 50 --rounds 1
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # after the path set-up: runs as a script and as -m
    Target,
    conclude,
    log,
    machine,
    median,
    table,
    tool_version,
    work_dir,
)
from bench.throughput import make_corpus


def arsip_seconds(files: list[Path], home: Path) -> tuple[float, int]:
    from config.settings import load_settings
    from workers.extract import extract_text

    settings = load_settings(home=home)
    extract_text(files[0], settings)  # the worker's forkserver and first child start once
    started = time.perf_counter()
    pages = sum(len(extract_text(path, settings).pages) for path in files)
    return time.perf_counter() - started, pages


def pdftotext_seconds(files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        subprocess.run(["pdftotext", "-q", str(path), "/dev/null"], check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="PDFs (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--target", type=float, default=2.0,
                        help="arsip/pdftotext time per page (default: %(default)s)")
    args = parser.parse_args()
    rounds: list[dict[str, Any]] = []
    with work_dir("arsip-bench-extract-") as root:
        manifest = make_corpus(root / "docs", args.docs, random.Random(args.seed), 1, 3)
        files = sorted((root / "docs").iterdir())
        pages = sum(m["pages"] for m in manifest)
        log(f"{len(files)} PDFs, {pages} pages")
        for r in range(1, args.rounds + 1):
            arsip, read = arsip_seconds(files, root / "home")
            assert read == pages, (read, pages)
            poppler = pdftotext_seconds(files)
            rounds.append({"round": r, "arsip_s": arsip, "pdftotext_s": poppler})
            log(f"round {r}: arsip {arsip:.2f} s, pdftotext {poppler:.2f} s")
    arsip_ms = median([r["arsip_s"] for r in rounds]) / pages * 1000
    poppler_ms = median([r["pdftotext_s"] for r in rounds]) / pages * 1000
    print()
    print(table(["tool (median of rounds)", "ms per page"],
                [["arsip extraction", arsip_ms], ["pdftotext, one process per file", poppler_ms]],
                digits=2))
    ratio = arsip_ms / poppler_ms
    report = {
        "settings": vars(args), "machine_start": machine(), "pages": pages, "rounds": rounds,
        "arsip_ms_per_page": arsip_ms, "pdftotext_ms_per_page": poppler_ms, "ratio": ratio,
        "pdftotext": tool_version(["pdftotext", "-v"]),
    }
    return conclude("extract-speed", report,
                    [Target("arsip / pdftotext time per page", ratio, args.target)])

if __name__ == "__main__":
    raise SystemExit(main())
