"""Whoosh's segment writer, with each document's field lengths read once per commit, and
postings handed on without a Python call apiece.

When a commit writes the postings, whoosh asks the new segment's length column for the
document's field length once per posting: a document with 300 distinct words in its content
asks 300 times for the same number, each time through a column reader that unpacks it from
the file. For 400 documents that was 238,000 lookups; answered once per document, the commit
took 1.50 s instead of 1.83 s. The answers are the same every time. Its small posting blocks
are written uncompressed (index.small_blocks).

Adding a document sends each of its postings (a field's term in it: ~470 a document here)
to the postings pool, and a commit sends each one on to the postings file. whoosh makes each
step a method call: the pool's, which estimates the posting's size, and the field writer's and
postings writer's, which check its types. Here the pool is a plain list while a document is
added (its size is estimated per document, and spilled to disk past the same limit), and a
commit fills the postings writer's blocks itself (index.posting_blocks). The same postings, in
the same order, in the same blocks: the index files are the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.index import Index
from whoosh.writing import LockError, SegmentWriter

from index.posting_blocks import add_sorted_postings
from index.small_blocks import write_small_blocks_plain
from index.waiting_writers import announced_wait


class _LengthsReadOnce:
    """A per-document reader whose doc_field_length answers each (doc, field) once."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        length = self._lengths.get(key)
        if length is None:
            length = self._lengths[key] = self._reader.doc_field_length(docnum, fieldname,
                                                                        default)
        return length

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


# What whoosh's PostingPool reckons a posting takes in memory, roughly, for spilling a pool
# to disk at the same limit: a 28 + 4 * 5 byte tuple, a field name, a term, a number, a float
# and a value of about ten bytes each.
POSTING_BYTES = 200


class LengthsOnceWriter(SegmentWriter):
    def __init__(self, ix: Index, **options: Any) -> None:
        super().__init__(ix, **options)
        write_small_blocks_plain(self)

    def per_document_reader(self) -> Any:
        return _LengthsReadOnce(super().per_document_reader())

    def add_document(self, **fields: Any) -> None:
        """whoosh's add_document, with the pool's add a plain list append (whoosh's looks it up
        once per document); the size is counted after the document."""
        pool = self.pool
        before = len(pool.current)
        pool.add = pool.current.append
        try:
            super().add_document(**fields)
        finally:
            del pool.add
        pool.currentsize += (len(pool.current) - before) * POSTING_BYTES
        if pool.currentsize > pool.limit:
            pool.save()

    def _flush_segment(self) -> None:
        """whoosh's _flush_segment, with the postings written by add_sorted_postings."""
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        add_sorted_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


def segment_writer(ix: Index, *, timeout: float = 0.0, **options: Any) -> SegmentWriter:
    """A writer for `ix` (one process), as `ix.writer(**options)` gives, with that shortcut.
    A writer that has to wait for the lock says so (index.waiting_writers) while it waits."""
    try:
        return LengthsOnceWriter(ix, timeout=0.0, **options)
    except LockError:
        if timeout <= 0:
            raise
    with announced_wait(Path(ix.storage.folder)):
        return LengthsOnceWriter(ix, timeout=timeout, **options)
