"""A search's field lengths read once per segment and field, not once per scored document.

Ranking (BM25F) needs each scored document's field length. Whoosh reads it from the segment's
length column one document at a time, and the index is read through plain files (no mmap,
index.schema): a seek and a one-byte read for every posting scored, 22,000 of them for a
two-word query at 100,000 documents. The column is one byte a document, so the whole of it is
read at the first length asked for (100 KB for 100,000 documents) and the answers are taken
from there: the same bytes, decoded by whoosh's own table, so the same scores.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

_ASK = object()  # a column laid out otherwise than one byte a document: asked as whoosh asks


class _LengthsInMemory:
    """A segment's per-document reader whose doc_field_length answers from memory."""

    def __init__(self, reader: W3PerDocReader) -> None:
        self._reader = reader
        self._columns: dict[str, Any] = {}  # bytes, None (no column) or _ASK

    def _column(self, fieldname: str) -> Any:
        """The field's length bytes, None when the field has no length column."""
        if fieldname not in self._columns:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                self._columns[fieldname] = None
            elif getattr(column, "_fixedlen", None) == 1:
                self._columns[fieldname] = column._dbfile.get(column._basepos, column._count)
            else:
                self._columns[fieldname] = _ASK
        return self._columns[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """As W3PerDocReader.doc_field_length: `default` without a column, None for a length
        byte of 0 (whoosh's own answer)."""
        if docnum > self._reader._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._reader._doccount}")
        column = self._column(fieldname)
        if column is None:
            return default
        if column is _ASK:
            return self._reader.doc_field_length(docnum, fieldname, default)
        lbyte = column[docnum] if docnum < len(column) else 0
        return byte_to_length(lbyte) if lbyte else None

    def __getattr__(self, name: str) -> Any:
        if name == "_reader":  # not set yet (a copy being made): no endless lookup
            raise AttributeError(name)
        return getattr(self._reader, name)


def lengths_in_memory(searcher: Any) -> None:
    """Make the searcher's segments answer field lengths from memory (see the module)."""
    for leaf, _offset in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        if type(perdoc) is W3PerDocReader:  # another codec, or wrapped already: as it is
            leaf._perdoc = _LengthsInMemory(perdoc)
