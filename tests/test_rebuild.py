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


def test_date_order_looks_at_recent_windows_without_changing_the_answer(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from index.schema import open_index
    from index.search import search
    from index.writer import index_fields

    today = date.today()
    ages = {"a": 10, "b": 200, "c": 800, "d": 2000, "e": 4000}  # days old
    ix = open_index(tmp_path / "index")
    writer = ix.writer()
    for name, age in ages.items():
        created = (today - timedelta(days=age)).isoformat()
        writer.add_document(**index_fields(
            {"id": name * 16, "path": f"{name}.pdf", "title": f"surat {name}",
             "content": "surat pemberitahuan", "created": created}, tmp_path))
    writer.commit()
    ix.close()
    newest = ["a" * 16, "b" * 16, "c" * 16, "d" * 16, "e" * 16]
    for limit in range(1, 6):  # answered by the 92-day window, wider ones, or all
        found = search(tmp_path / "index", "surat", sort="date", limit=limit)
        assert [h["id"] for h in found.hits] == newest[:limit]
        assert found.total == 5  # the count covers every match, not the window
