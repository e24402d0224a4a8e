"""Word recall of `extract_text` against the corpus's reference texts.

    .venv/bin/python bench/ocr_accuracy.py [--only SUBSTRING] [--json] [--check]

For each document with ground truth in ../shared/corpus (MANIFEST.tsv's reference sidecars, or
the phrase the source project's own test checks), extract its text exactly as the pipeline does
and count which share of the reference's words came out (bag of words: a word the reference has
three times must come out three times). Documents holding the same page several times
(cardinal.pdf) are scored page by page. `--check` exits 1 when a target below is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arsip.errors import BadDocument  # noqa: E402
from config.settings import Settings  # noqa: E402
from workers.extract import extract_text  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"

PHOTOTEST = "tesseract-test/phototest.txt"
LINN = "ocrmypdf/linn.txt"
CRAZYONES = "pypdf/crazyones.txt"
QUICK_BROWN = "=The quick brown dog"  # "=" marks an inline phrase instead of a file
# "pdf:" marks a born-digital PDF whose own text layer is the reference for its image twin


@dataclass(frozen=True)
class Case:
    document: str
    reference: str
    per_page: bool = False
    target: float | None = None  # minimum recall, checked by --check


CASES = [
    Case("tesseract-test/phototest.tif", PHOTOTEST, target=0.95),
    Case("tesseract-test/phototest-rotated-180.png", PHOTOTEST, target=0.95),
    Case("tesseract-test/phototest-rotated-L.png", PHOTOTEST, target=0.95),
    Case("tesseract-test/phototest-rotated-R.png", PHOTOTEST, target=0.95),
    Case("tesseract-test/eurotext.tif", "tesseract-test/eurotext.txt"),
    Case("tesseract-test/8087_054.3B.tif", "tesseract-test/8087_054.3B.txt"),
    Case("ocrmypdf/linn.png", LINN, target=0.90),
    Case("ocrmypdf/linn.pdf", LINN),
    Case("ocrmypdf/ccitt.pdf", LINN),
    Case("ocrmypdf/skew.pdf", LINN),
    Case("ocrmypdf/rotated_skew.pdf", LINN),
    Case("ocrmypdf/cardinal.pdf", LINN, per_page=True),
    Case("pypdf/crazyones.pdf", CRAZYONES),
    Case("py-pdf-sample-files/crazyones-pdfa.pdf", CRAZYONES),
    Case("pdfplumber/scotus-transcript-p1.pdf", "pdfplumber/scotus-transcript-p1.txt"),
    Case("pytesseract/test.gif", QUICK_BROWN),
    Case("pytesseract/test.webp", QUICK_BROWN),
    Case("pytesseract/test.jpeg2000", QUICK_BROWN),
    Case("pytesseract/test_la.png", "=This is test message"),
    Case("invoice2data/oyo.png", "pdf:invoice2data/oyo.pdf"),
    Case("invoice2data/FlipkartInvoice.png", "pdf:invoice2data/FlipkartInvoice.pdf"),
]

_TRANSLATE = str.maketrans({"—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> Counter[str]:
    """Lower-case words (letters and digits), punctuation and layout ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).lower()
    return Counter(_WORD.findall(text))


def recall(reference: str, text: str) -> float:
    wanted = words(reference)
    found = words(text)
    total = sum(wanted.values())
    return sum(min(n, found[w]) for w, n in wanted.items()) / total if total else 1.0


def reference_text(reference: str, settings: Settings) -> str:
    if reference.startswith("="):
        return reference[1:]
    if reference.startswith("pdf:"):
        return extract_text(CORPUS / reference[4:], settings).text
    return (CORPUS / reference).read_text(encoding="utf-8")


def score(case: Case, settings: Settings) -> list[dict[str, object]]:
    """One row per document (or per page), with recall, method, confidence and seconds."""
    reference = reference_text(case.reference, settings)
    started = time.perf_counter()
    try:
        extraction = extract_text(CORPUS / case.document, settings)
    except BadDocument as exc:
        return [{"document": case.document, "recall": 0.0, "method": f"error: {exc.message}",
                 "confidence": None, "seconds": time.perf_counter() - started,
                 "target": case.target}]
    seconds = time.perf_counter() - started
    if not case.per_page:
        methods = sorted({p.method for p in extraction.pages})
        return [{"document": case.document, "recall": recall(reference, extraction.text),
                 "method": "+".join(methods), "confidence": extraction.confidence,
                 "seconds": seconds, "target": case.target}]
    return [{"document": f"{case.document} p{p.number}", "recall": recall(reference, p.text),
             "method": p.method, "confidence": p.confidence,
             "seconds": seconds / len(extraction.pages), "target": case.target}
            for p in extraction.pages]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="score only documents whose path contains this")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or args.only in c.document]
    with tempfile.TemporaryDirectory(prefix="arsip-bench-") as home:
        settings = Settings(home=Path(home))
        rows = [row for case in cases for row in score(case, settings)]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'document':<48} {'recall':>7} {'target':>7} {'conf':>5} {'sec':>6}  method")
        for row in rows:
            target = f"{row['target']:.0%}" if row["target"] else ""
            conf = "" if row["confidence"] is None else f"{row['confidence']:.0f}"
            print(f"{row['document']:<48} {row['recall']:>7.1%} {target:>7} {conf:>5} "
                  f"{row['seconds']:>6.2f}  {row['method']}")
        total = sum(float(str(r["seconds"])) for r in rows)
        print(f"{'total':<48} {'':>7} {'':>7} {'':>5} {total:>6.2f}")
    missed = [r for r in rows if r["target"] and float(str(r["recall"])) < float(str(r["target"]))]
    for row in missed:
        print(f"MISSED: {row['document']} {row['recall']:.1%} < {row['target']:.0%}",
              file=sys.stderr)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
