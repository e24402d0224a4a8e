"""Classification and key-field accuracy: rules alone vs rules + the auto classifier.

Part 1 generates a labelled set (bench/backoffice_set.py: all ten types, Indonesian and
English, senders with letterheads and without; --scan-share of them scanned or photographed,
read by OCR on every core, the rest text PDFs and .txt), splits it by type into a training and
a test part, and measures on the test part (also separately for the born-digital documents and
the scans):

  type, correspondent (normalised), date, number      every document
  correspondent_named                                 documents that name their sender at all
                                                      (some have no letterhead and are signed
                                                      by a person: content cannot tell)
  amount (value), currency, due date, NPWP            documents whose label has one

once with the rules alone, once with rules + the auto classifier trained on the training
part (its labels as a clerk would have filed them). Nothing is learned for the key fields, so
they are also measured on the whole set, where there are more of them.

Part 2 reads the invoice2data samples in ../shared/corpus/invoice2data/ (each PDF or PNG with
the expected fields in the .json beside it; the PNGs go through OCR) and counts how many of
type (`invoice`), date, number, amount, currency and due date arsip gets right.

    .venv/bin/python bench/classify_eval.py [--count 200] [--seed 11] [--train-share 0.6]
                                            [--scan-share 0.4]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._common import OUT_DIR, machine, table, write_report  # noqa: E402
from bench.backoffice_set import generate, normalise_name  # noqa: E402
from config.rules import RuleSet, load_rules  # noqa: E402
from config.settings import Settings, load_settings  # noqa: E402
from workers.classify import Classification, classify  # noqa: E402

INVOICE2DATA = ROOT.parent / "shared" / "corpus" / "invoice2data"
FIELDS = ("type", "correspondent", "correspondent_named", "date", "number", "amount", "currency",
          "due_date", "npwp")
KEY_FIELDS = ("number", "amount", "currency", "due_date", "npwp")


@dataclass
class Document:
    label: dict[str, Any]
    text: str


@dataclass
class Outcome:
    label: dict[str, Any]
    got: dict[str, Any]
    ok: dict[str, bool] = field(default_factory=dict)  # only the fields the label has


def same_number(got: str | None, expected: str | None) -> bool:
    def clean(value: str | None) -> str:
        return (value or "").strip().lstrip("#").strip().lower()
    return bool(expected) and clean(got) == clean(expected)


def same_amount(got: dict[str, Any] | None, expected: float | None) -> bool:
    return got is not None and expected is not None and abs(float(got["value"]) - expected) < 0.005


def decide(text: str, rules: RuleSet, name: str, auto: Any = None) -> Classification:
    from workers.learning import apply_auto

    decision = classify(text, rules=rules, file_name=name, file_mtime=0.0, folder_tags=[],
                        date_order="DMY", today=date.today())
    if auto is not None:
        apply_auto(decision, auto.predict(text))
    return decision


def judge(label: dict[str, Any], decision: Classification) -> Outcome:
    amount = decision.amount
    got = {"type": decision.type, "correspondent": decision.correspondent,
           "date": decision.created if decision.created_source == "content" else None,
           "number": decision.number, "amount": amount["value"] if amount else None,
           "currency": amount["currency"] if amount else None, "due_date": decision.due_date,
           "npwp": decision.npwp}
    ok = {"type": decision.type == label["type"],
          "correspondent": normalise_name(decision.correspondent)
          == normalise_name(label["correspondent"]),
          "date": got["date"] == label["date"],
          "number": same_number(decision.number, label["number"])}
    if label.get("correspondent_named"):  # the sender is named somewhere in the document
        ok["correspondent_named"] = ok["correspondent"]
    if "amount" in label:
        ok["amount"] = same_amount(amount, label["amount"]["value"])
        ok["currency"] = got["currency"] == label["amount"]["currency"]
    if "due_date" in label:
        ok["due_date"] = got["due_date"] == label["due_date"]
    if "npwp" in label:
        ok["npwp"] = got["npwp"] == label["npwp"]
    return Outcome(label, got, ok)


def rates(outcomes: Sequence[Outcome]) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for name in FIELDS:
        judged = [o.ok[name] for o in outcomes if name in o.ok]
        out[name] = {"n": len(judged), "ok": sum(judged),
                     "rate": sum(judged) / len(judged) if judged else float("nan")}
    return out


def extract_all(folder: Path, labels: Sequence[dict[str, Any]],
                settings: Settings) -> list[Document]:
    """Every document's text, one at a time per core (each is read in an extraction process
    of its own, as in arsip; the scans are OCR'd)."""
    from workers.extract import extract_text

    one_page_each = settings.replaced(ocr_processes=1)
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        texts = list(pool.map(lambda label: extract_text(folder / label["file"],
                                                         one_page_each).text, labels))
    return [Document(label, text) for label, text in zip(labels, texts, strict=True)]


def is_scan(outcome: Outcome) -> bool:
    return not str(outcome.label.get("kind", "")).startswith(("pdf-text", "txt"))


def split(documents: Sequence[Document], train_share: float,
          seed: int) -> tuple[list[Document], list[Document]]:
    """Per type, `train_share` of the documents for training, the rest for the test."""
    rng = random.Random(seed)
    train: list[Document] = []
    test: list[Document] = []
    by_type: dict[str, list[Document]] = {}
    for doc in documents:
        by_type.setdefault(doc.label["type"], []).append(doc)
    for docs in by_type.values():
        docs = list(docs)
        rng.shuffle(docs)
        cut = round(len(docs) * train_share)
        train += docs[:cut]
        test += docs[cut:]
    return train, test


def train_auto(train: Sequence[Document], work: Path, min_confidence: float) -> Any:
    """The auto classifier trained on the training part, filed as the labels say."""
    from arsip.sidecar import write_sidecar
    from workers.learning import AutoClassifier
    from workers.learning import train as train_model

    archive = work / "archive"
    for n, doc in enumerate(train):
        record = {"id": f"{n:016x}", "content": doc.text, "title": "", "type": doc.label["type"],
                  "correspondent": doc.label["correspondent"], "path": doc.label["file"]}
        write_sidecar(archive, record, mode=0o600)
    train_model(archive, work / "model")
    return AutoClassifier(work / "model", min_confidence)


def unlabelled_finds(outcomes: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    """Per key field and type: documents whose label has none of it, where arsip found one
    (a contract's value, a statement's closing balance: often right, never measured)."""
    out: dict[str, dict[str, int]] = {}
    for o in outcomes:
        for name, label_key in (("amount", "amount"), ("due_date", "due_date"), ("npwp", "npwp")):
            if label_key not in o.label and o.got.get(name) is not None:
                row = out.setdefault(name, {})
                row[o.label["type"]] = row.get(o.label["type"], 0) + 1
    return out


def misses(outcomes: Sequence[Outcome], name: str, limit: int = 12) -> list[str]:
    lines = []
    for o in outcomes:
        if o.ok.get(name, True):
            continue
        expected = o.label.get({"currency": "amount", "correspondent_named": "correspondent"}
                               .get(name, name))
        if name == "amount":
            expected = o.label["amount"]["value"]
        elif name == "currency":
            expected = o.label["amount"]["currency"]
        lines.append(f"  {o.label['file']} ({o.label['type']}, {o.label['language']}, "
                     f"{o.label.get('kind')}): got "
                     f"{o.got.get(name.removesuffix('_named'))!r}, expected {expected!r}")
    return lines[:limit] + ([f"  … {len(lines) - limit} more"] if len(lines) > limit else [])


# --- invoice2data ---------------------------------------------------------------------------

I2D_FIELDS: dict[str, Callable[[dict[str, Any], Classification], bool | None]] = {
    "type": lambda e, d: d.type == "invoice",
    "date": lambda e, d: d.created == e["date"] if e.get("date") else None,
    "number": lambda e, d: same_number(d.number, e.get("invoice_number"))
    if e.get("invoice_number") else None,
    "amount": lambda e, d: same_amount(d.amount, e.get("amount"))
    if e.get("amount") is not None else None,
    "currency": lambda e, d: (d.amount or {}).get("currency") == e["currency"]
    if e.get("currency") and e.get("amount") is not None else None,
    "due_date": lambda e, d: d.due_date == e["date_due"] if e.get("date_due") else None,
}


def invoice2data(rules: RuleSet, settings: Settings) -> tuple[list[dict[str, Any]],
                                                              dict[str, dict[str, int]]]:
    from workers.extract import extract_text

    rows: list[dict[str, Any]] = []
    totals = {name: {"n": 0, "ok": 0} for name in I2D_FIELDS}
    for path in sorted(INVOICE2DATA.iterdir()):
        if path.suffix.lower() not in (".pdf", ".png"):
            continue
        expected_doc = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        expected = expected_doc[0] if isinstance(expected_doc, list) else expected_doc
        text = extract_text(path, settings).text
        decision = decide(text, rules, path.name)
        row: dict[str, Any] = {"file": path.name}
        for name, check in I2D_FIELDS.items():
            verdict = check(expected, decision)
            if verdict is None:
                continue
            totals[name]["n"] += 1
            totals[name]["ok"] += verdict
            row[name] = {"ok": verdict, "got": _i2d_got(name, decision),
                         "expected": _i2d_expected(name, expected)}
        rows.append(row)
    return rows, totals


def _i2d_got(name: str, d: Classification) -> Any:
    return {"type": d.type, "date": d.created, "number": d.number,
            "amount": (d.amount or {}).get("value"), "currency": (d.amount or {}).get("currency"),
            "due_date": d.due_date}[name]


def _i2d_expected(name: str, e: dict[str, Any]) -> Any:
    return {"type": "invoice", "date": e.get("date"), "number": e.get("invoice_number"),
            "amount": e.get("amount"), "currency": e.get("currency"),
            "due_date": e.get("date_due")}[name]


def _pct(cell: dict[str, float | int]) -> str:
    if not cell["n"]:
        return "-"
    return f"{cell['ok']}/{cell['n']} {cell['ok'] / cell['n'] * 100:.1f}%"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--train-share", type=float, default=0.6)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--scan-share", type=float, default=0.4,
                        help="share of scanned or photographed documents (default: 0.4)")
    parser.add_argument("--skip-invoice2data", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    start_machine = machine()
    rules = load_rules()
    with tempfile.TemporaryDirectory(prefix="arsip-classify-eval-") as tmp:
        work = Path(tmp)
        settings = load_settings(home=work / "home")
        labels = generate(work / "set", args.count, args.seed, scan_share=args.scan_share,
                          labels_path=work / "labels.json")
        documents = extract_all(work / "set", labels, settings)
        train, test = split(documents, args.train_share, args.seed)
        auto = train_auto(train, work / "auto", settings.auto_min_confidence)
        rules_only = [judge(d.label, decide(d.text, rules, d.label["file"])) for d in test]
        with_auto = [judge(d.label, decide(d.text, rules, d.label["file"], auto)) for d in test]
        whole_set = [judge(d.label, decide(d.text, rules, d.label["file"])) for d in documents]
        i2d_rows, i2d_totals = ([], {}) if args.skip_invoice2data else \
            invoice2data(rules, settings)
    figures = {"rules": rates(rules_only), "rules+auto": rates(with_auto),
               "whole_set_rules": rates(whole_set)}
    for part, keep in (("born-digital", False), ("scans", True)):
        figures[f"rules ({part})"] = rates([o for o in rules_only if is_scan(o) == keep])
        figures[f"rules+auto ({part})"] = rates([o for o in with_auto if is_scan(o) == keep])
    seconds = time.monotonic() - started

    scans = sum(1 for d in documents if is_scan(Outcome(d.label, {})))
    print(f"\nlabelled set: {len(documents)} documents ({scans} scanned or photographed, read "
          f"by OCR; the rest text PDFs and .txt), seed {args.seed}; {len(train)} for training, "
          f"{len(test)} for the test")
    print(table(["field (test part)", "n", "rules", "rules + auto", "n digital",
                 "rules + auto (digital)", "n scans", "rules + auto (scans)"],
                [[name, figures["rules"][name]["n"], _pct(figures["rules"][name]),
                  _pct(figures["rules+auto"][name]),
                  figures["rules+auto (born-digital)"][name]["n"],
                  _pct(figures["rules+auto (born-digital)"][name]),
                  figures["rules+auto (scans)"][name]["n"],
                  _pct(figures["rules+auto (scans)"][name])] for name in FIELDS]))
    print(f"\nkey fields on the whole set ({len(documents)} documents, rules; nothing learned)")
    print(table(["field", "n", "right"], [[name, figures["whole_set_rules"][name]["n"],
                                           _pct(figures["whole_set_rules"][name])]
                                          for name in KEY_FIELDS]))
    found_anyway = unlabelled_finds(whole_set)
    print("found where the label has none (not measured): " + ("; ".join(
        f"{name}: " + ", ".join(f"{t} {n}" for t, n in sorted(row.items()))
        for name, row in found_anyway.items()) or "nothing"))
    for name in FIELDS:
        lines = misses(with_auto if name not in KEY_FIELDS else whole_set, name)
        if lines:
            where = "whole set" if name in KEY_FIELDS else "test part, rules + auto"
            print(f"\n{name} misses ({where}):")
            print("\n".join(lines))
    if i2d_rows:
        print(f"\ninvoice2data: {len(i2d_rows)} files (PDF text layers; the PNGs by OCR)")
        print(table(["field", "right"], [[name, _pct(cell)] for name, cell in i2d_totals.items()]))
        for row in i2d_rows:
            wrong = {k: v for k, v in row.items() if k != "file" and not v["ok"]}
            if wrong:
                print(f"  {row['file']}: " + "; ".join(
                    f"{k} got {v['got']!r}, expected {v['expected']!r}" for k, v in wrong.items()))
    print(f"\ntook {seconds:.1f} s")
    report = {"params": vars(args) | {"out": str(args.out)}, "machine_start": start_machine,
              "seconds": round(seconds, 2), "labelled_set": figures,
              "found_where_unlabelled": found_anyway,
              "sizes": {"documents": len(documents), "train": len(train), "test": len(test)},
              "misses": {name: misses(with_auto if name not in KEY_FIELDS else whole_set, name,
                                      1000) for name in FIELDS},
              "invoice2data": {"totals": i2d_totals, "files": i2d_rows}}
    print(f"report: {write_report('classify-eval', report, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
