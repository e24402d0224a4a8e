"""`arsip reindex` swaps in a fresh index: documents filed while it ran are not lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

from index.rebuild import mark_changed_since


def test_sidecars_written_during_a_rebuild_are_due_for_the_writer(tmp_path: Path) -> None:
    sidecars = tmp_path / "archive" / ".arsip"
    sidecars.mkdir(parents=True)
    before, during = sidecars / "aaaaaaaaaaaaaaaa.json", sidecars / "bbbbbbbbbbbbbbbb.json"
    before.write_text("{}")
    an_hour_ago = time.time() - 3600
    os.utime(before, (an_hour_ago, an_hour_ago))
    started = time.time() - 1
    during.write_text("{}")
    (sidecars / ".tmp-x.arsip-tmp").write_text("{}")  # a write in progress: not a document
    pending = tmp_path / "state" / "index-pending"
    assert mark_changed_since(tmp_path / "archive", pending, started) == 1
    assert sorted(p.name for p in pending.iterdir()) == ["bbbbbbbbbbbbbbbb"]
