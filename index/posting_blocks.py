"""A commit's sorted postings written into whoosh's W3 posting blocks, a term at a time.

whoosh's FieldWriter.add_postings hands each posting to the field writer's `add`, which hands
it to the postings writer's `add_posting`, which checks its types and appends it to the block
in progress: three Python calls a posting, 186,000 postings for 400 documents. Here the loop
appends to the block itself, with the same checks for a full block and the same statistics
(weights, field lengths), so the blocks and term infos written are exactly whoosh's. Any other
codec or postings writer gets whoosh's own loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh.codec.base import FieldWriter
from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter

Posting = tuple[str, bytes, int, float, bytes | None]  # field, term, document, weight, value


def add_sorted_postings(fieldwriter: Any, schema: Any, lengths: Any,
                        postings: Iterable[Posting]) -> None:
    """What fieldwriter.add_postings(schema, lengths, postings) does, for postings sorted by
    field, term and document (a pool's order)."""
    if type(fieldwriter) is not W3FieldWriter:
        FieldWriter.add_postings(fieldwriter, schema, lengths, postings)
        return
    length_of = lengths.doc_field_length if lengths else (lambda docnum, fieldname: 0)
    start_term, finish_term = fieldwriter.start_term, fieldwriter.finish_term
    last_field: str | None = None
    last_term: bytes | None = None
    block: Any = None
    ids: Any = None
    weights: Any = None
    values: list[bytes] = []
    limit = 0
    for fieldname, btext, docnum, weight, value in postings:
        if fieldname != last_field:
            if last_term is not None:
                finish_term()
            if last_field is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            last_field, last_term = fieldname, None
            if not isinstance(fieldwriter._postwriter, W3PostingsWriter):
                raise TypeError("add_sorted_postings needs whoosh's W3 postings writer")
        if docnum == -1:  # whoosh's mark for a spelling word: not a posting
            continue
        if btext != last_term:
            if last_term is not None:
                finish_term()
            start_term(btext)
            last_term = btext
            block = fieldwriter._postwriter
            ids, weights, values, limit = block._ids, block._weights, block._values, \
                block._blocklimit
        if len(ids) >= limit:  # W3PostingsWriter.add_posting, from here on
            block._write_block()
            ids, weights, values = block._ids, block._weights, block._values
        ids.append(docnum)
        weights.append(weight)
        if weight > block._maxweight:
            block._maxweight = weight
        if value:
            values.append(value)
        length = length_of(docnum, fieldname)
        if length:
            if block._minlength is None or length < block._minlength:
                block._minlength = length
            if length > block._maxlength:
                block._maxlength = length
    if last_term is not None:
        finish_term()
    if last_field is not None:
        fieldwriter.finish_field()
