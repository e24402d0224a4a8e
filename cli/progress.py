"""Progress for long commands: a redrawn bar on a terminal, plain lines elsewhere (logs, CI).

Log lines written while a bar is shown are printed above it, not through it: the bar swaps the
stream of the logging handlers that write to its stream for one that clears and redraws it.
While it is shown, those handlers print warnings and errors only (the bar counts every document)
unless `--log-level DEBUG` asked for everything.
"""

from __future__ import annotations

import logging
import shutil
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

REDRAW_SECONDS = 0.1  # at most ten redraws a second on a terminal
PLAIN_EVERY_SECONDS = 5.0  # at most one plain line every five seconds elsewhere


def format_duration(seconds: float) -> str:
    """3s, 4m 12s, 2h 05m, 3d 4h: short and readable."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    if seconds < 86_400:
        return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"
    return f"{seconds // 86_400}d {seconds % 86_400 // 3600}h"


class _AboveTheBar:
    """A stream proxy for logging handlers: clear the bar, write the line, redraw the bar."""

    def __init__(self, bar: Progress, stream: TextIO) -> None:
        self.bar, self.stream = bar, stream

    def write(self, text: str) -> int:
        with self.bar.lock:
            self.bar.clear_line()
            written = self.stream.write(text)
            if text.endswith("\n"):
                self.bar.draw(force=True)
            return written

    def flush(self) -> None:
        self.stream.flush()


class Progress:
    """`with Progress("ingest", total) as bar: bar.advance(note=name)`."""

    def __init__(self, label: str, total: int | None, *, stream: TextIO | None = None,
                 interactive: bool | None = None, plain_every: float | None = PLAIN_EVERY_SECONDS
                 ) -> None:
        self.label, self.total = label, total
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.plain_every = plain_every  # None: no periodic plain lines (the caller prints its own)
        self.done = 0
        self.note = ""
        self.lock = threading.RLock()
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._last_plain = self.started
        self._drawn = False
        self._swapped: list[tuple[logging.StreamHandler[TextIO], TextIO, int]] = []

    # --- lifecycle ---
    def __enter__(self) -> Progress:
        if self.interactive:
            quiet = logging.getLogger().level > logging.DEBUG
            for handler in logging.getLogger().handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream is self.stream:
                    self._swapped.append((handler, handler.stream, handler.level))
                    handler.setStream(_AboveTheBar(self, self.stream))
                    if quiet:
                        handler.setLevel(max(handler.level, logging.WARNING))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.finish()

    def finish(self) -> None:
        with self.lock:
            for handler, stream, level in self._swapped:
                handler.setStream(stream)
                handler.setLevel(level)
            self._swapped.clear()
            if self.interactive:
                if self._drawn:
                    self.draw(force=True)
                    self.stream.write("\n")
                    self.stream.flush()
                    self._drawn = False
            elif self.plain_every is not None:
                self._plain_line()

    # --- updates ---
    def advance(self, count: int = 1, *, note: str = "") -> None:
        self.update(self.done + count, note=note)

    def update(self, done: int, *, note: str = "") -> None:
        with self.lock:
            self.done = done
            if note:
                self.note = note
            if self.interactive:
                self.draw()
            elif self.plain_every is not None and \
                    time.monotonic() - self._last_plain >= self.plain_every:
                self._plain_line()

    def echo(self, text: str) -> None:
        """A line of its own (a failure, a warning) above the bar."""
        with self.lock:
            self.clear_line()
            self.stream.write(text + "\n")
            if self.interactive and self._drawn:
                self.draw(force=True)
            self.stream.flush()

    # --- drawing ---
    def _counts(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = f"{self.done}/{self.total}" if self.total is not None else f"{self.done}"
        if self.total:
            text += f" {100 * self.done // self.total:>3}%"
        text += f"  {format_duration(elapsed)}"
        if self.total and rate > 0 and self.done < self.total:
            text += f", about {format_duration((self.total - self.done) / rate)} left"
        return text

    def render(self, width: int) -> str:
        counts = self._counts()
        head = f"{self.label} "
        bar = ""
        if self.total:
            size = max(10, min(30, width // 4))
            filled = size * min(self.done, self.total) // self.total
            bar = "[" + "#" * filled + "-" * (size - filled) + "] "
        line = f"{head}{bar}{counts}"
        room = width - len(line) - 3
        if self.note and room > 8:
            note = self.note if len(self.note) <= room else self.note[: room - 1] + "…"
            line += f"  {note}"
        return line[: width - 1]

    def draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        width = shutil.get_terminal_size((100, 24)).columns
        self.stream.write("\r\033[K" + self.render(width))
        self.stream.flush()
        self._drawn = True

    def clear_line(self) -> None:
        if self.interactive and self._drawn:
            self.stream.write("\r\033[K")

    def _plain_line(self) -> None:
        self._last_plain = time.monotonic()
        self.stream.write(f"{self.label}: {self._counts()}\n")
        self.stream.flush()


def reindex_with_progress(index_dir: Path, archive: Path, pending_dir: Path) -> int:
    """`arsip reindex` with a bar: documents counted as they are handed to the writer (in
    steps of a few percent), then the one commit that writes the index files."""
    from arsip.sidecar import iter_sidecar_ids
    from index.rebuild import rebuild

    total = sum(1 for _ in iter_sidecar_ids(archive))
    step = min(1000, max(50, total // 20))  # about twenty steps

    with Progress("reindex", total) as bar:
        def advance(count: int) -> None:
            bar.advance(count, note="writing the index files" if bar.done + count >= total
                        else "")

        return rebuild(index_dir, archive, batch_size=step, progress=advance,
                       pending_dir=pending_dir)
