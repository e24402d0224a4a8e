"""Records are written whole or not at all: a temporary file beside the target, synced, then
renamed over it, with the mode asked for whatever the umask."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from arsip import fsutil
from arsip.fsutil import read_json, write_json_atomic, write_text_atomic


def test_a_record_replaces_the_old_one_whole_with_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "made" / "on" / "demand" / "record.json"  # folders made as needed
    old = os.umask(0o077)
    try:
        write_json_atomic(target, {"n": 1, "text": "Pembayaran ✓"}, mode=0o644)
        write_json_atomic(target, {"n": 2, "text": "x" * 200_000}, mode=0o644)
    finally:
        os.umask(old)
    assert read_json(target) == {"n": 2, "text": "x" * 200_000}
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["record.json"]  # no temporary left


def test_a_temporary_left_by_a_killed_writer_is_stepped_over(tmp_path: Path) -> None:
    # A process killed mid-write leaves its temporary; a later one with the same process id
    # (and thread) would pick the same name at first.
    counter = fsutil._temporaries
    upcoming = next(counter)
    fsutil._temporaries = iter(range(upcoming, upcoming + 10))  # type: ignore[assignment]
    try:
        stale = tmp_path / (f".tmp-{os.getpid()}-{threading.get_native_id()}-"
                            f"{upcoming}.arsip-tmp")
        stale.write_text("half a record")
        write_text_atomic(tmp_path / "note.txt", "whole")
    finally:
        fsutil._temporaries = counter
    assert (tmp_path / "note.txt").read_text() == "whole"
    assert stale.read_text() == "half a record"  # not opened, not overwritten


def test_a_failed_write_leaves_the_old_record_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    write_json_atomic(target, {"n": 1})
    with pytest.raises(UnicodeEncodeError):  # fails after the temporary file is made
        write_text_atomic(target, "a lone surrogate \ud800 is not UTF-8")
    assert json.loads(target.read_text()) == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]
