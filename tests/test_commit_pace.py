"""The index writer's pace: a lone document is committed at once; a burst is gathered."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from index.writer import QUIET_SECONDS, CommitPace


def test_a_document_after_a_quiet_spell_is_committed_at_once(tmp_path: Path) -> None:
    (tmp_path / "0123456789abcdef").touch()
    pace = CommitPace(interval=5.0)
    started = time.monotonic()
    pace.wait_for_batch(tmp_path, batch_size=500)
    assert time.monotonic() - started < 0.1


def test_a_burst_is_gathered_until_it_pauses(tmp_path: Path) -> None:
    pace = CommitPace(interval=5.0)
    pace.committed()  # a commit just happened: documents are coming in a burst
    (tmp_path / "a000000000000000").touch()

    def keep_coming() -> None:
        for i in range(5):
            time.sleep(0.05)  # well inside QUIET_SECONDS: still the same burst
            (tmp_path / f"b{i:015x}").touch()

    feeder = threading.Thread(target=keep_coming)
    started = time.monotonic()
    feeder.start()
    pace.wait_for_batch(tmp_path, batch_size=500)
    waited = time.monotonic() - started
    feeder.join()
    # It waited for the whole burst and then for the pause, not for the whole interval.
    assert len(list(tmp_path.iterdir())) == 6
    assert QUIET_SECONDS <= waited < 4.0, waited


def test_a_full_batch_is_committed_without_waiting(tmp_path: Path) -> None:
    pace = CommitPace(interval=5.0)
    pace.committed()
    for i in range(3):
        (tmp_path / f"c{i:015x}").touch()
    started = time.monotonic()
    pace.wait_for_batch(tmp_path, batch_size=3)
    assert time.monotonic() - started < 0.1


def test_nothing_in_flight_means_no_waiting_for_more(tmp_path: Path) -> None:
    pace = CommitPace(interval=5.0, more_coming=lambda: False)
    pace.committed()  # just after a commit a document would wait for the burst to pause
    (tmp_path / "d000000000000000").touch()
    started = time.monotonic()
    pace.wait_for_batch(tmp_path, batch_size=500)
    assert time.monotonic() - started < QUIET_SECONDS
