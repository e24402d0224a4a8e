"""Postings handed on without a Python call apiece (index.segment_writer's pool as a list,
index.posting_blocks' loop and one-block terms): every term reads back as from whoosh's own
writer, with the same term statistics (which ranking's block skipping uses), also when the pool
spills to disk; and the one-block terms are written byte for byte as whoosh writes them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import SegmentWriter

from bench._sidecars import Corpus
from index import posting_blocks
from index.schema import open_index
from index.segment_writer import segment_writer
from index.writer import index_fields


def _write(index_dir: Path, records: list[dict[str, Any]], archive: Path, *, ours: bool,
           limitmb: float) -> None:
    ix = open_index(index_dir)
    try:
        for start in range(0, len(records), 80):
            writer = segment_writer(ix, limitmb=limitmb) if ours else \
                SegmentWriter(ix, limitmb=limitmb)
            for record in records[start:start + 80]:
                writer.update_document(**index_fields(record, archive))
            writer.commit(merge=False)
    finally:
        ix.close()


def _contents(index_dir: Path) -> dict[tuple[str, bytes], Any]:
    ix = open_index(index_dir, create=False)
    try:
        with ix.reader() as reader:
            out: dict[tuple[str, bytes], Any] = {}
            for fieldname, text in reader.all_terms():
                info = reader.term_info(fieldname, text)
                stats = (info.weight(), info.doc_frequency(), info.min_length(),
                         info.max_length(), info.max_weight(), info.min_id(), info.max_id())
                matcher = reader.postings(fieldname, text)
                found = []
                while matcher.is_active():
                    found.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                out[(fieldname, text)] = (stats, found)
            names = list(reader.indexed_field_names())
            for docnum in range(reader.doc_count_all()):
                out[("#doc", str(docnum).encode())] = (
                    sorted(reader.stored_fields(docnum).items()),
                    [reader.doc_field_length(docnum, name) for name in names],
                )
            return out
    finally:
        ix.close()


@pytest.mark.parametrize("limitmb", [128, 0.2])  # 0.2 MB: the pool spills sorted runs to disk
def test_postings_and_statistics_as_whoosh_writes_them(tmp_path: Path, limitmb: float) -> None:
    records = [record for record, _ in Corpus(5).records(200)]
    _write(tmp_path / "ours", records, tmp_path / "archive", ours=True, limitmb=limitmb)
    _write(tmp_path / "whoosh", records, tmp_path / "archive", ours=False, limitmb=limitmb)
    ours, theirs = _contents(tmp_path / "ours"), _contents(tmp_path / "whoosh")
    assert sum(len(found) for _, found in theirs.values() if found) > 50_000
    assert ours == theirs


def _segment_files(index_dir: Path, records: list[dict[str, Any]],
                   archive: Path) -> dict[str, bytes]:
    random.seed(11)  # whoosh names segments with random: the same names both times
    ix = open_index(index_dir)
    try:
        for start in range(0, len(records), 70):
            writer = segment_writer(ix, compound=False)
            for record in records[start:start + 70]:
                writer.update_document(**index_fields(record, archive))
            writer.commit(merge=False)
    finally:
        ix.close()
    return {p.name: p.read_bytes() for p in sorted(index_dir.iterdir()) if p.suffix != ".toc"}


def test_one_block_terms_written_byte_for_byte_as_whoosh_writes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = [record for record, _ in Corpus(9).records(210)]
    fused = _segment_files(tmp_path / "fused", records, tmp_path / "archive")
    monkeypatch.setattr(posting_blocks, "_finish_one_block_term", None)  # never called now
    monkeypatch.setattr(posting_blocks, "SmallBlocksPlainWriter", type(None))
    plain = _segment_files(tmp_path / "plain", records, tmp_path / "archive")
    assert len(fused) > 20 and any(name.endswith(".pst") for name in fused)
    assert fused == plain
