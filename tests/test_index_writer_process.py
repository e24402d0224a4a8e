"""The index writer runs in a child process: a child that dies loses no document."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from arsip.errors import Transient
from config.settings import Settings
from index import writer_process
from index.writer_process import commit_pending, stop_writer, writer_pid
from intake.state import StateLayout
from tests.conftest import arsip_json, run_arsip


def test_a_killed_writer_child_is_replaced_and_its_documents_are_committed(
        home: Path, tmp_path: Path) -> None:
    for word in ("kenarisatu", "kenaridua"):
        letter = tmp_path / f"surat-{word}.txt"
        letter.write_text(f"Surat pemberitahuan\n\nKata yang dicari: {word}\n")
        run_arsip(home, "ingest", str(letter), "--wait")
    settings = Settings(home=home)
    layout = StateLayout.of(settings)
    ids = sorted(hit["id"] for word in ("kenarisatu", "kenaridua")
                 for hit in arsip_json(home, "search", word))
    assert len(ids) == 2

    def commit() -> int:
        return commit_pending(settings.index_path, layout.index_pending, settings.archive_path,
                              batch_size=10, interval=0.0, more_coming=layout.documents_in_flight)

    try:
        (layout.index_pending / ids[0]).touch()  # as after `arsip edit`: due again
        assert commit() == 1
        child = writer_pid()
        assert child is not None and child != os.getpid()
        os.kill(child, signal.SIGKILL)

        (layout.index_pending / ids[1]).touch()
        with pytest.raises(Transient, match="index writer process ended"):
            commit()
        assert (layout.index_pending / ids[1]).exists()  # still due: nothing was lost
        assert commit() == 1  # the retry starts a new child
        assert writer_pid() not in (None, child)
        assert list(layout.index_pending.iterdir()) == []
    finally:
        stop_writer()
    assert writer_process.writer_pid() is None
    assert [h["id"] for h in arsip_json(home, "search", "kenaridua")] == [ids[1]]
