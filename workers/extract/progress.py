"""Heartbeats from deep inside extraction, so a watchdog can tell slow work from a stall."""

from __future__ import annotations

from collections.abc import Callable

_sink: Callable[[str], None] | None = None


def set_sink(sink: Callable[[str], None] | None) -> None:
    """Where heartbeats go (the isolation child's pipe); None: nowhere."""
    global _sink
    _sink = sink


def beat(step: str) -> None:
    """Say that `step` (e.g. "page 3: OCR") starts now."""
    if _sink is not None:
        _sink(step)
