"""Core slots: tesseract runs at most one per core across a worker's extraction children, and a
child killed while it holds a slot does not take the core with it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

from workers.tools.cores import CoreSlots


def _hold(slots: CoreSlots, held: multiprocessing.synchronize.Event) -> None:
    with slots.hold():
        held.set()
        time.sleep(60)


def test_slots_limit_holders_and_survive_a_killed_holder(tmp_path: Path) -> None:
    slots = CoreSlots(tmp_path, 2)
    context = multiprocessing.get_context("spawn")
    events = [context.Event() for _ in range(3)]
    holders = [context.Process(target=_hold, args=(slots, e), daemon=True) for e in events]
    try:
        for process in holders:
            process.start()
        deadline = time.monotonic() + 30
        while sum(e.is_set() for e in events) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        assert sum(e.is_set() for e in events) == 2, "two slots: exactly two holders at once"
        waiting = next(i for i, e in enumerate(events) if not e.is_set())
        killed = next(i for i, e in enumerate(events) if e.is_set())
        os.kill(holders[killed].pid or 0, signal.SIGKILL)  # dies holding its slot
        assert events[waiting].wait(5), "the killed holder's slot was not freed"
    finally:
        for process in holders:
            process.kill()
            process.join(5)
