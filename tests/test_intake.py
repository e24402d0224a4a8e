"""Files still being written are never taken early; no event is trusted alone."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import arsip_env, arsip_json, run_arsip, start_arsip, stop, wait_until
from tests.docsamples import Sample, letter_lines, write_sample


def archived(home: Path) -> list[Path]:
    return [p for p in (home / "archive").rglob("*") if p.is_file() and ".arsip" not in p.parts]


@pytest.fixture
def running(home: Path):
    process = start_arsip(home, "run", env=arsip_env(home, ARSIP_SETTLE_SECONDS="0.5"))
    wait_until((home / "inbox").is_dir, 30, "arsip run did not start")
    yield home / "inbox"
    assert stop(process) == 0, (home.parent / "arsip.log").read_text()[-3000:]


def slow_write(path: Path, data: bytes, chunk: int, pause: float) -> None:
    with open(path, "wb") as fh:
        for start in range(0, len(data), chunk):
            fh.write(data[start:start + chunk])
            fh.flush()
            time.sleep(pause)


@pytest.mark.slow
def test_slow_copy_and_open_writer_are_claimed_once_complete(home: Path, tmp_path: Path,
                                                            running: Path) -> None:
    lines = "\n".join(letter_lines(Sample("a.txt", "txt", "jambu", "Tagihan Lambat",
                                          "2026-04-04")))
    data = (lines + "\n" + "Lampiran baris data jambu.\n" * 25_000).encode()  # ~660 KB
    assert len(data) > 64 * 1024 * 10
    # 1. 64 KiB every 200 ms (about 2 s), pauses longer than the settle time included.
    writer = threading.Thread(target=slow_write,
                              args=(running / "slow.txt", data, 64 * 1024, 0.2))
    writer.start()
    # 2. A writer that keeps the file open, idle for longer than the settle time.
    held = open(running / "held.txt", "wb")  # noqa: SIM115 - closed below on purpose
    held.write(data[: len(data) // 2].replace(b"jambu", b"salak"))
    held.flush()
    time.sleep(1.5)  # three settle times; both writers still have their file open
    assert archived(home) == [], "a file was taken while its writer still had it open"
    assert arsip_json(home, "status")["inbox"] == 2
    held.write(data[len(data) // 2:].replace(b"jambu", b"salak"))
    held.close()
    writer.join()
    wait_until(lambda: len(archived(home)) == 2, 60, "both files should be filed")
    sizes = sorted(p.stat().st_size for p in archived(home))
    assert sizes == [len(data), len(data)], "a file was claimed before it was complete"
    assert arsip_json(home, "status")["failed"] == 0


@pytest.mark.slow
def test_temporary_names_are_ignored_until_renamed(home: Path, tmp_path: Path,
                                                   running: Path) -> None:
    sample = Sample("unduhan.pdf", "pdf-text", "rambutan", "Surat Unduhan", "2026-05-05")
    made = write_sample(sample, tmp_path)
    for temporary in ("unduhan.pdf.crdownload", "~$unduhan.pdf", ".~lock.unduhan.pdf#",
                      "unduhan.pdf.part", ".hidden.pdf"):
        (running / temporary).write_bytes(made.read_bytes())
    time.sleep(2.5)  # longer than settle time and a rescan
    assert archived(home) == []
    assert sorted(p.name for p in running.iterdir()) == sorted(
        ["unduhan.pdf.crdownload", "~$unduhan.pdf", ".~lock.unduhan.pdf#", "unduhan.pdf.part",
         ".hidden.pdf"])
    os.rename(running / "unduhan.pdf.crdownload", running / "unduhan.pdf")
    wait_until(lambda: len(archived(home)) == 1, 30, "the renamed download was not filed")


@pytest.mark.slow
def test_files_created_while_down_and_two_thousand_at_once(home: Path, tmp_path: Path) -> None:
    inbox = home / "inbox"
    (inbox / "sebelum").mkdir(parents=True)
    for i in range(20):
        (inbox / "sebelum" / f"catatan-{i}.txt").write_text(f"Catatan lama nomor {i} apel{i}\n")
    process = start_arsip(home, "run")
    try:
        wait_until(lambda: arsip_json(home, "status")["filed"] == 20, 60,
                   "files dropped while arsip was down were not claimed")
        burst = tmp_path / "burst"
        burst.mkdir()
        for i in range(2000):
            (burst / f"memo-{i:04d}.txt").write_text(f"Memo singkat nomor {i} kode mangga{i}\n")
        os.rename(burst, inbox / "burst")  # 2,000 files appear at once
        wait_until(lambda: arsip_json(home, "status")["filed"] == 2020, 400,
                   "not all 2,000 files were filed")
        wait_until(lambda: arsip_json(home, "status")["indexed"] == 2020, 120,
                   "not all were indexed")
    finally:
        assert stop(process) == 0
    status = arsip_json(home, "status")
    assert (status["duplicates"], status["failed"], status["inbox"]) == (0, 0, 0)
    assert len(archived(home)) == 2020
    hits = arsip_json(home, "search", "mangga1999")
    assert len(hits) == 1 and "burst" in hits[0]["tags"]


@pytest.mark.slow
def test_polling_mode_claims_without_inotify(home: Path, tmp_path: Path) -> None:
    env = arsip_env(home, ARSIP_POLLING="true", ARSIP_POLL_INTERVAL_SECONDS="0.5",
                    ARSIP_RESCAN_SECONDS="60")
    process = start_arsip(home, "run", env=env)
    try:
        wait_until((home / "inbox").is_dir, 30, "arsip run did not start")
        write_sample(Sample("polled.txt", "txt", "belimbing", "Surat Berkala", "2026-06-06"),
                     home / "inbox")
        wait_until(lambda: len(archived(home)) == 1, 30, "polling did not notice the file")
    finally:
        assert stop(process) == 0


@pytest.mark.slow
def test_decompression_bomb_is_quarantined_in_seconds_and_retry_works(home: Path,
                                                                      tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (40_000, 40_000), 1).save(bomb, optimize=True)
    assert bomb.stat().st_size < 1_000_000
    two_pages = write_sample(Sample("dua.pdf", "pdf-scan-multi", "sirsak", "Dua Halaman",
                                    "2026-07-07"), tmp_path)
    env = arsip_env(home, ARSIP_MAX_PAGES="1")
    started = time.monotonic()
    result = run_arsip(home, "ingest", "--wait", "--json", str(bomb), str(two_pages), env=env,
                       check=False, timeout=120)
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    outcomes = {Path(o["original"]).name: o for o in json.loads(result.stdout)}
    assert outcomes["bomb.png"]["kind"] == "too_large"
    assert "max_pixels" in outcomes["bomb.png"]["reason"]
    assert outcomes["dua.pdf"]["kind"] == "too_large" and "max_pages" in \
        outcomes["dua.pdf"]["reason"]
    assert elapsed < 30
    # Raise the limit, then retry: the quarantined file goes through again and is filed.
    retried = run_arsip(home, "retry", outcomes["dua.pdf"]["claim_id"], "--json", timeout=120)
    assert json.loads(retried.stdout)[0]["status"] == "filed"
    status = arsip_json(home, "status")
    assert (status["filed"], status["failed"]) == (1, 1)
    assert len(arsip_json(home, "search", "sirsak")) == 1
