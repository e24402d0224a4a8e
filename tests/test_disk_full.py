"""A full disk is the world's fault: retried with backoff, said plainly, never quarantined.

The disk is faked full at arsip's own atomic-write helper (`ARSIP_FAULT_DISK_FULL`, see
`arsip/faults.py`): the writes of the sidecar fail with ENOSPC. Everything else is real: the
`arsip run` process, its broker and retries, the files and the index.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from arsip.faults import DISK_FULL_ENV
from tests.conftest import arsip_env, arsip_json, start_arsip, stop, wait_until
from tests.docsamples import Sample, write_sample
from workers.actors import MAX_TRANSIENT_RETRIES

SAMPLE = Sample("surat-penuh.txt", "txt", "rambutan", "Surat Disk Penuh", "2026-04-05")
DISK_FULL_LINE = re.compile(
    r"^(\S+ \S+) WARNING +workers\.handling: disk full while filing surat-penuh\.txt .*"
    r"free space", re.MULTILINE)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archive_files(home: Path) -> list[Path]:
    return sorted(p for p in (home / "archive").rglob("*")
                  if p.is_file() and ".arsip" not in p.parts)


def outcomes(home: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in (home / "state" / "outcomes").glob("*.json")]


def log_text(home: Path) -> str:
    return (home.parent / "arsip.log").read_text(errors="replace")


def disk_full_times(home: Path) -> list[datetime]:
    return [datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
            for stamp in DISK_FULL_LINE.findall(log_text(home))]


def drop(home: Path, tmp_path: Path) -> Path:
    made = tmp_path / "made"
    made.mkdir()
    original = write_sample(SAMPLE, made)
    (home / "inbox").mkdir()
    (home / "inbox" / SAMPLE.name).write_bytes(original.read_bytes())
    return original


def filed_once(home: Path) -> bool:
    return any(o["status"] == "filed" for o in outcomes(home)) and \
        not any((home / "state" / "index-pending").iterdir())


def assert_filed_exactly_once(home: Path, original: Path) -> None:
    assert [sha256(p) for p in archive_files(home)] == [sha256(original)]
    assert [o["status"] for o in outcomes(home)] == ["filed"]
    assert list((home / "state" / "claims").iterdir()) == []
    assert list((home / "failed").iterdir()) == []
    assert len(arsip_json(home, "search", SAMPLE.word)) == 1


@pytest.mark.slow
def test_a_full_disk_is_retried_with_backoff_and_the_file_filed(home: Path,
                                                                 tmp_path: Path) -> None:
    original = drop(home, tmp_path)
    process = start_arsip(home, "run", env=arsip_env(home, **{DISK_FULL_ENV: "2:.arsip"}))
    try:
        wait_until(lambda: filed_once(home), 60, "not filed once the disk had room again")
    finally:
        assert stop(process) == 0, log_text(home)[-3000:]
    assert_filed_exactly_once(home, original)
    failures = disk_full_times(home)
    assert len(failures) == 2, log_text(home)[-3000:]  # each failure said, with what to do
    assert (failures[1] - failures[0]).total_seconds() >= 0.9  # a backoff, not a tight loop
    assert "quarantined" not in log_text(home)


@pytest.mark.slow
def test_a_disk_that_stays_full_never_quarantines_the_file(home: Path, tmp_path: Path) -> None:
    original = drop(home, tmp_path)
    process = start_arsip(home, "run", env=arsip_env(home, **{DISK_FULL_ENV: "all:.arsip"}))
    try:
        wait_until(lambda: "Retries exceeded" in log_text(home), 120,
                   "the retries did not run out")
        # A few retries, not dramatiq's 20 over days; then the file waits, still claimed.
        assert len(disk_full_times(home)) == MAX_TRANSIENT_RETRIES + 1
        claims = list((home / "state" / "claims").iterdir())
        assert len(claims) == 1 and sha256(claims[0] / "document") == sha256(original)
        assert outcomes(home) == [] and list((home / "failed").iterdir()) == []
        assert archive_files(home) == []
        status = arsip_json(home, "status")
        assert (status["failed"], status["queued"] + status["processing"]) == (0, 1), status
    finally:
        assert stop(process) == 0, log_text(home)[-3000:]
    # Space again: the next start finishes it, once.
    process = start_arsip(home, "run")
    try:
        wait_until(lambda: filed_once(home), 60, "not filed after the restart")
    finally:
        assert stop(process) == 0, log_text(home)[-3000:]
    assert_filed_exactly_once(home, original)


@pytest.mark.slow
def test_a_full_disk_while_releasing_is_retried_with_backoff_too(home: Path,
                                                                 tmp_path: Path) -> None:
    original = drop(home, tmp_path)
    process = start_arsip(home, "run", env=arsip_env(home, **{DISK_FULL_ENV: "1:outcomes"}))
    try:
        wait_until(lambda: filed_once(home), 12, "not filed after a full disk at release")
    finally:
        assert stop(process) == 0, log_text(home)[-3000:]
    assert_filed_exactly_once(home, original)
