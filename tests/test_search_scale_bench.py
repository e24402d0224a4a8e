"""The search-at-scale benchmark runs end to end on a tiny archive (the real figures come from
`bench/search_scale.py` at 100,000 documents; see its docstring)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_search_scale_benchmark_smoke(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_scale.py"), "--docs", "200", "--rounds",
         "1", "--queries", "6", "--no-check", "--out", str(tmp_path / "out"),
         "--tmp", str(tmp_path)],
        capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]  # 1: a target missed, not a crash
    report = json.loads((tmp_path / "out" / "search_scale-latest.json").read_text())
    assert report["reindex"]["returncode"] == 0
    assert report["generation"]["documents"] == 200
    assert len(report["runs"]) == 6
    assert all(q["exit"] == 0 and q["found"] is not False for q in report["queries"])
    assert not report["startup"]["unneeded_imported"]
