"""The long chaos run: distributed arsip under many SIGKILLs, a Redis restart and a stall.

    .venv/bin/python bench/chaos.py --documents 300 --kills 30

Prints the figures and exits non-zero when any document was lost, doubled or not indexed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.chaos import run_chaos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arsip-chaos-") as tmp:
        report = run_chaos(Path(tmp), documents=args.documents, kills=args.kills,
                           seed=args.seed, timeout=args.timeout)
    data = asdict(report)
    print(json.dumps({k: v for k, v in data.items() if k != "problems"}, indent=1))
    print(f"problems: {len(report.problems)}")
    for problem in report.problems[:50]:
        print(f"  {problem}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "chaos.json").write_text(json.dumps(data, indent=1))
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
