"""How well arsip files a labelled set of back-office documents, measured as a user meets it.

Generates the set (bench/backoffice_set.py) into a temporary folder, ingests it with the real
`arsip` command, then for every document asks `arsip search` for its reference number and
`arsip show` for what arsip decided, and compares with the labels:

  found          `arsip search '"NUMBER"'` returns the document (the hit's archive file has the
                 generated file's sha256); also reported: the number typed bare, and lower-case
  type, date     `arsip show ID --json` fields "type" and "created"
  correspondent  the same, compared after normalising (report only, no target)

Prints the figures against the targets (found >= 97 %, type >= 90 %, date >= 90 %), the misses
with arsip's own reasons, the ingest wall time, and writes a JSON report under bench/out/.

    .venv/bin/python bench/accuracy.py [--count 90] [--seed 7] [--scan-share 0.5]
                                       [--workdir DIR] [--jobs 4] [--strict]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.backoffice_set import generate, normalise_name  # noqa: E402

TARGETS = {"found": 0.97, "type": 0.90, "date": 0.90}
SEARCH_FORMS: dict[str, Callable[[str], str]] = {
    "quoted": lambda n: f'"{n}"',
    "bare": lambda n: n,
    "lower": lambda n: n.lower(),
}

def default_arsip() -> Path:
    beside = Path(sys.executable).parent / "arsip"
    if beside.exists():
        return beside
    found = shutil.which("arsip")
    return Path(found) if found else beside


def clean_env() -> dict[str, str]:
    """The caller's environment without ARSIP_* settings: embedded mode, no stray config."""
    return {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Arsip:
    """The `arsip` command with a data folder, run from a neutral working directory."""

    command: Path
    home: Path
    cwd: Path
    env: dict[str, str] = field(default_factory=clean_env)

    def __post_init__(self) -> None:
        if len(self.command.parts) > 1:  # a path, not a name to look up: it runs elsewhere
            self.command = self.command.absolute()

    def run(self, *args: str, timeout: float = 3600) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.command), "--home", str(self.home), *args], cwd=self.cwd,
                              env=self.env, text=True, capture_output=True, timeout=timeout,
                              check=False)

    def json(self, *args: str) -> Any:
        result = self.run(*args, "--json")
        if result.returncode != 0:
            raise RuntimeError(f"arsip {' '.join(args)} exited {result.returncode}: "
                               f"{result.stderr.strip()[-2000:]}")
        return json.loads(result.stdout)


def ingest(arsip: Arsip, folder: Path) -> tuple[list[dict[str, Any]], float, int]:
    """`arsip ingest FOLDER --wait --json`: the outcomes, the wall time and the exit code."""
    started = time.monotonic()
    result = arsip.run("ingest", str(folder), "--wait", "--json")
    seconds = time.monotonic() - started
    try:
        outcomes = json.loads(result.stdout)
    except ValueError as exc:
        raise RuntimeError(f"arsip ingest exited {result.returncode} without JSON: "
                           f"{result.stderr.strip()[-3000:]}") from exc
    return outcomes, seconds, result.returncode


@dataclass
class Result:
    label: dict[str, Any]
    sha256: str
    status: str
    doc_id: str | None = None
    found: dict[str, int | None] = field(default_factory=dict)  # form -> rank (1-based) or None
    got: dict[str, Any] = field(default_factory=dict)
    ok: dict[str, bool] = field(default_factory=dict)
    why: dict[str, Any] = field(default_factory=dict)


def _hit_rank(hits: list[dict[str, Any]], sha: str, cache: dict[str, str]) -> int | None:
    for rank, hit in enumerate(hits, 1):
        path = hit.get("path") or ""
        if path not in cache:
            try:
                cache[path] = sha256_file(Path(path))
            except OSError:
                cache[path] = ""
        if cache[path] == sha:
            return rank
    return None


def _ocr_reading(number: str, content: str) -> str | None:
    """What the extracted text has where the number should be (None: it is there verbatim)."""
    flat = " ".join(content.split())
    if re.search(rf"(?<![A-Za-z0-9]){re.escape(number)}(?![A-Za-z0-9])", flat, re.IGNORECASE):
        return None
    try:
        from rapidfuzz import fuzz
    except ImportError:
        return "(not in the extracted text)"
    best = fuzz.partial_ratio_alignment(number.lower(), flat.lower())
    if best is None or best.score < 60:
        return "(nothing like it in the extracted text)"
    return flat[best.dest_start:best.dest_end]


def evaluate_one(arsip: Arsip, label: dict[str, Any], set_dir: Path,
                 outcome: dict[str, Any] | None, cache: dict[str, str],
                 forms: Sequence[str] = tuple(SEARCH_FORMS)) -> Result:
    sha = sha256_file(set_dir / label["file"])
    result = Result(label=label, sha256=sha, status=(outcome or {}).get("status", "missing"))
    result.doc_id = (outcome or {}).get("id")
    for form in forms:
        try:
            hits = arsip.json("search", SEARCH_FORMS[form](label["number"]), "--limit", "10")
        except (RuntimeError, ValueError) as exc:
            hits = []
            result.why.setdefault("search_errors", {})[form] = str(exc)[:300]
        result.found[form] = _hit_rank(hits, sha, cache)
        if form == "quoted" and result.found[form] is None:
            result.why["found"] = {"hits": [f"{h.get('id')} {h.get('title')}" for h in hits[:3]]}
    if not result.doc_id:
        result.ok = {"found": False, "type": False, "date": False, "correspondent": False}
        result.why["status"] = (outcome or {}).get("reason") or result.status
        return result
    record = arsip.json("show", result.doc_id, "--text")
    classification = record.get("classification") or {}
    result.got = {k: record.get(k) for k in ("type", "created", "created_source",
                                             "correspondent", "number", "title", "language")}
    result.got["confidence"] = (record.get("extraction") or {}).get("confidence")
    result.ok = {
        "found": result.found.get("quoted") is not None,
        "type": record.get("type") == label["type"],
        "date": record.get("created") == label["date"],
        "correspondent": normalise_name(record.get("correspondent"))
        == normalise_name(label["correspondent"]),
    }
    if not result.ok["found"]:
        reading = _ocr_reading(label["number"], record.get("content") or "")
        result.why.setdefault("found", {})["text"] = \
            "the number is in the extracted text" if reading is None else f"text has {reading!r}"
        result.why["found"]["number_field"] = record.get("number")
    if not result.ok["type"]:
        reasons = classification.get("type") or {}
        result.why["type"] = {"matched": reasons.get("matched"), "scores": reasons.get("scores")}
    if not result.ok["date"]:
        reasons = classification.get("date") or {}
        result.why["date"] = {"chosen": reasons.get("chosen"),
                              "candidates": (reasons.get("candidates") or [])[:4]}
    if not result.ok["correspondent"]:
        result.why["correspondent"] = classification.get("correspondent")
    return result


def evaluate(arsip: Arsip, labels: Sequence[dict[str, Any]], set_dir: Path,
             outcomes: Sequence[dict[str, Any]], jobs: int = 4,
             forms: Sequence[str] = tuple(SEARCH_FORMS)) -> list[Result]:
    """Search and show every labelled document; `forms` are the ways its number is typed."""
    by_name = {Path(o.get("original") or o.get("name") or "").name: o for o in outcomes}
    cache: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda lab: evaluate_one(arsip, lab, set_dir,
                                                      by_name.get(lab["file"]), cache, forms),
                             labels))


# ----------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------

SEGMENTS: dict[str, Callable[[Result], bool]] = {
    "all": lambda r: True,
    "digital": lambda r: r.label["kind"] in ("pdf-text", "txt"),
    "scan": lambda r: r.label["kind"].startswith("scan-"),
    "photo": lambda r: r.label["kind"].startswith("photo-"),
    "id": lambda r: r.label["language"] == "id",
    "en": lambda r: r.label["language"] == "en",
}
METRICS: dict[str, Callable[[Result], bool]] = {
    "found": lambda r: r.found.get("quoted") is not None,
    "found_bare": lambda r: r.found.get("bare") is not None,
    "found_lower": lambda r: r.found.get("lower") is not None,
    "found_first": lambda r: r.found.get("quoted") == 1,
    "type": lambda r: r.ok.get("type", False),
    "date": lambda r: r.ok.get("date", False),
    "correspondent": lambda r: r.ok.get("correspondent", False),
    "filed": lambda r: r.status == "filed",
}


def figures(results: Sequence[Result]) -> dict[str, dict[str, dict[str, float | int]]]:
    out: dict[str, dict[str, dict[str, float | int]]] = {}
    for metric, test in METRICS.items():
        out[metric] = {}
        for segment, member in SEGMENTS.items():
            group = [r for r in results if member(r)]
            hits = sum(1 for r in group if test(r))
            out[metric][segment] = {"n": len(group), "ok": hits,
                                    "rate": hits / len(group) if group else 0.0}
    return out


def per_type(results: Sequence[Result]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        row = out.setdefault(r.label["type"], {"n": 0, "type": 0, "date": 0, "found": 0,
                                               "taken_for": {}})
        row["n"] += 1
        row["type"] += r.ok.get("type", False)
        row["date"] += r.ok.get("date", False)
        row["found"] += r.ok.get("found", False)
        if not r.ok.get("type", False):
            got = r.got.get("type") or r.status
            row["taken_for"][got] = row["taken_for"].get(got, 0) + 1
    return out


def _pct(cell: dict[str, float | int]) -> str:
    return f"{cell['rate'] * 100:5.1f}%" if cell["n"] else "    - "


def print_report(results: Sequence[Result], figs: dict[str, Any], ingest_seconds: float,
                 statuses: dict[str, int], params: dict[str, Any]) -> None:
    n = len(results)
    print(f"\narsip accuracy on {n} documents (seed {params['seed']}, scan share "
          f"{params['scan_share']})")
    print(f"ingest wall time: {ingest_seconds:.1f} s ({ingest_seconds / max(n, 1):.2f} s per "
          f"document); outcomes: " + ", ".join(f"{v} {k}" for k, v in sorted(statuses.items())))
    sizes = {s: figs["filed"][s]["n"] for s in SEGMENTS}
    head = f"{'':<22}" + "".join(f"{s + ' (' + str(sizes[s]) + ')':>13}" for s in SEGMENTS)
    print("\n" + head + "   target")
    labels = {"found": 'found "number"', "found_bare": "found number bare",
              "found_lower": "found lower-case", "found_first": "found, first hit",
              "type": "type", "date": "date", "correspondent": "correspondent",
              "filed": "filed"}
    for metric, title in labels.items():
        row = f"{title:<22}" + "".join(f"{_pct(figs[metric][s]):>13}" for s in SEGMENTS)
        target = TARGETS.get(metric)
        if target is not None:
            verdict = "ok" if figs[metric]["all"]["rate"] >= target else "MISSED"
            row += f"   >= {target * 100:.0f}% {verdict}"
        print(row)
    print(f"\n{'per type':<16}{'n':>4}{'type':>8}{'date':>8}{'found':>8}   taken for")
    for slug, row in sorted(per_type(results).items()):
        taken = ", ".join(f"{k} {v}" for k, v in sorted(row["taken_for"].items()))
        print(f"{slug:<16}{row['n']:>4}{row['type']:>8}{row['date']:>8}{row['found']:>8}   "
              f"{taken}")
    misses = [r for r in results if not (r.ok.get("found") and r.ok.get("type")
                                         and r.ok.get("date"))]
    print(f"\nmisses ({len(misses)} documents):")
    for r in misses:
        lab = r.label
        print(f"- {lab['file']} [{lab['kind']}, {lab['language']}] {lab['type']} {lab['date']} "
              f"{lab['number']}  (ocr confidence {r.got.get('confidence')})")
        if r.status != "filed":
            print(f"    not filed: {r.status} {r.why.get('status', '')}")
            continue
        if not r.ok.get("found"):
            f = r.why.get("found", {})
            print(f"    not found by \"{lab['number']}\": {f.get('text')}; arsip's number "
                  f"{f.get('number_field')!r}; bare {r.found.get('bare')}, "
                  f"lower {r.found.get('lower')}")
        if not r.ok.get("type"):
            t = r.why.get("type", {})
            print(f"    type {r.got.get('type')!r}, expected {lab['type']!r}: scores "
                  f"{t.get('scores')}; matched {t.get('matched')}")
        if not r.ok.get("date"):
            d = r.why.get("date", {})
            print(f"    date {r.got.get('created')} ({r.got.get('created_source')}), expected "
                  f"{lab['date']}: chose {d.get('chosen')}")
            for cand in d.get("candidates") or []:
                print(f"        {cand}")
    wrong = [r for r in results if r.status == "filed" and not r.ok.get("correspondent")]
    print(f"\ncorrespondent differs ({len(wrong)}; report only):")
    for r in wrong:
        print(f"- {r.label['file']}: {r.got.get('correspondent')!r}, expected "
              f"{r.label['correspondent']!r}")


def met_targets(figs: dict[str, Any]) -> bool:
    return all(figs[m]["all"]["rate"] >= t for m, t in TARGETS.items())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="arsip's accuracy on a labelled set.")
    parser.add_argument("--count", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scan-share", type=float, default=0.5)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="work here (emptied first, kept afterwards) instead of a temp dir")
    parser.add_argument("--arsip", type=Path, default=None, help="the arsip command to run")
    parser.add_argument("--jobs", type=int, default=4, help="parallel search/show queries")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="folder for the JSON report")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="arsip-accuracy-"))
    if args.workdir and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    set_dir, labels_path = work / "set", work / "labels.json"
    arsip = Arsip(args.arsip or default_arsip(), work / "data", work)
    try:
        started = time.monotonic()
        labels = generate(set_dir, args.count, args.seed, args.scan_share,
                          labels_path=labels_path)
        print(f"generated {len(labels)} documents in {time.monotonic() - started:.1f} s "
              f"into {set_dir}", flush=True)
        load_before = os.getloadavg()[0]
        outcomes, ingest_seconds, code = ingest(arsip, set_dir)
        load_after = os.getloadavg()[0]
        print(f"ingested in {ingest_seconds:.1f} s (exit {code}); load average {load_before:.1f} "
              f"before, {load_after:.1f} after on {os.cpu_count()} cores (other work running "
              f"makes the wall time longer)", flush=True)
        results = evaluate(arsip, labels, set_dir, outcomes, jobs=args.jobs)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    statuses: dict[str, int] = {}
    for o in outcomes:
        statuses[o.get("status", "?")] = statuses.get(o.get("status", "?"), 0) + 1
    figs = figures(results)
    params = {"count": args.count, "seed": args.seed, "scan_share": args.scan_share}
    print_report(results, figs, ingest_seconds, statuses, params)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    report = {"at": stamp, "params": params, "ingest_seconds": round(ingest_seconds, 2),
              "load_average": {"before": load_before, "after": load_after,
                               "cores": os.cpu_count()},
              "ingest_exit_code": code, "statuses": statuses, "targets": TARGETS,
              "met_targets": met_targets(figs), "figures": figs,
              "per_type": per_type(results), "documents": [asdict(r) for r in results]}
    path = args.out / f"accuracy-{stamp}.json"
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    (args.out / "accuracy-latest.json").write_text(text, encoding="utf-8")
    print(f"\nreport: {path}")
    return 1 if args.strict and not met_targets(figs) else 0


if __name__ == "__main__":
    sys.exit(main())
