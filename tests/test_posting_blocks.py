"""Postings handed on without a Python call apiece (index.segment_writer's pool as a list,
index.posting_blocks' loop and one-block terms): every term reads back as from whoosh's own
writer, with the same term statistics (which ranking's block skipping uses), also when the pool
spills to disk; and the segment files are byte for byte those whoosh's own adding and flushing
write, with terms of several blocks, deletions and a merge."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import SegmentWriter

from bench._sidecars import Corpus
from index.schema import open_index
from index.segment_writer import LengthsOnceWriter, segment_writer
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


class _WhooshWay(LengthsOnceWriter):
    """Our writer with whoosh's own adding and flushing: its PostingPool.add per posting and
    FieldWriter.add_postings (the same small uncompressed blocks)."""

    add_document = SegmentWriter.add_document
    _flush_segment = SegmentWriter._flush_segment


def _segment_files(index_dir: Path, records: list[dict[str, Any]], archive: Path, *,
                   writer_class: type[SegmentWriter], limitmb: float) -> list[tuple[str, bytes]]:
    random.seed(11)  # whoosh names segments with random: the same names both times
    ix = open_index(index_dir)
    try:
        # 260 documents in one segment: common terms fill several 128-posting blocks; then
        # 60 that replace 30 of them (deletions); then a merge of everything (add_reader).
        for batch, optimize in ((records[:260], False), (records[230:290], False), ([], True)):
            writer = writer_class(ix, limitmb=limitmb, compound=False)
            for record in batch:
                writer.update_document(**index_fields(record, archive))
            writer.commit(merge=False, optimize=optimize)
    finally:
        ix.close()
    # By what each file is (its name less the segment's random id: a pool that spills draws
    # names for its runs from the same random numbers) and what it holds.
    return sorted((p.name.partition(".")[2], p.read_bytes()) for p in index_dir.iterdir()
                  if p.suffix != ".toc" and "WRITELOCK" not in p.name)


@pytest.mark.parametrize("limitmb", [128, 0.2])
def test_segment_files_byte_for_byte_as_whoosh_s_own_way_writes_them(
        tmp_path: Path, limitmb: float) -> None:
    records = [record for record, _ in Corpus(9).records(290)]
    ours = _segment_files(tmp_path / "ours", records, tmp_path / "archive",
                          writer_class=LengthsOnceWriter, limitmb=limitmb)
    whoosh_way = _segment_files(tmp_path / "whoosh", records, tmp_path / "archive",
                                writer_class=_WhooshWay, limitmb=limitmb)
    assert any(kind == "pst" for kind, _ in ours) and len(ours) > 10
    assert ours == whoosh_way
    ix = open_index(tmp_path / "ours", create=False)
    try:
        with ix.reader() as reader:  # the case the block loop is for did come up
            assert max(reader.doc_frequency(f, t) for f, t in reader.all_terms()) > 128
    finally:
        ix.close()
