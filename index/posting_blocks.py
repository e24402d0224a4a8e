"""A commit's sorted postings written into whoosh's W3 posting blocks, a term at a time.

whoosh's FieldWriter.add_postings hands each posting to the field writer's `add`, which hands
it to the postings writer's `add_posting`, which checks its types and appends it to the block
in progress: three Python calls a posting, 186,000 postings for 400 documents. Here the loop
appends to the block itself, with the same checks for a full block and the same statistics
(weights, field lengths), so the blocks and term infos written are exactly whoosh's. Any other
codec or postings writer gets whoosh's own loop.

Most terms of a commit's segment have one block (a word in fewer than 128 of its documents):
finishing such a term, whoosh makes some twenty calls (the block's statistics one method at a
time, its header, length and data in three writes, a seek to learn where the term ended);
`_finish_one_block_term` writes the same bytes in one go.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

from whoosh.codec.base import FieldWriter
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PostingsWriter
from whoosh.compat import dumps
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte

from index.small_blocks import COMPRESS_FROM_BYTES, SmallBlocksPlainWriter

Posting = tuple[str, bytes, int, float, bytes | None]  # field, term, document, weight, value


def add_sorted_postings(fieldwriter: Any, schema: Any, lengths: Any,
                        postings: Iterable[Posting]) -> None:
    """What fieldwriter.add_postings(schema, lengths, postings) does, for postings sorted by
    field, term and document (a pool's order)."""
    if type(fieldwriter) is not W3FieldWriter:
        FieldWriter.add_postings(fieldwriter, schema, lengths, postings)
        return
    length_of = lengths.doc_field_length if lengths else (lambda docnum, fieldname: 0)
    start_term = fieldwriter.start_term

    def finish_term() -> None:
        if type(block) is SmallBlocksPlainWriter and not block._blockcount and \
                len(block._ids) >= max(1, block._inlinelimit):  # whoosh would inline fewer
            _finish_one_block_term(fieldwriter, block)
        else:
            fieldwriter.finish_term()

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


def _finish_one_block_term(fieldwriter: Any, block: Any) -> None:
    """fieldwriter.finish_term() for a term whose postings all fit in its first block: the
    block (W3PostingsWriter.finish_postings, then SmallBlocksPlainWriter._write_block with
    last=True) and the term's entry in the terms table, with the same bytes."""
    ids, weights, values = block._ids, block._weights, block._values
    info = block._terminfo
    # W3TermInfo.add_block, on a term info that has seen no block yet
    info._weight += sum(weights)
    info._df += len(ids)
    info._minlength = block._minlength
    info._maxlength = max(info._maxlength, block._maxlength)
    info._maxweight = max(info._maxweight, block._maxweight)
    info._minid = ids[0]
    info._maxid = ids[-1]
    # the block's data: ids as deltas, weights and values as small as whoosh makes them
    previous = 0
    deltas = []
    for docnum in ids:
        deltas.append(docnum - previous)
        previous = docnum
    first = weights[0]
    if all(w == 1.0 for w in weights):
        mini_weights: Any = None
    elif all(w == first for w in weights):
        mini_weights = first
    else:
        mini_weights = tuple(weights)
    fixed = block._format.fixed_value_size()
    if fixed is None or fixed < 0:
        mini_values: Any = tuple(values)
    elif fixed == 0:
        mini_values = None
    else:
        mini_values = b"".join(values)
    data = dumps((tuple(deltas), mini_weights, mini_values), 2)
    compression = block._compression if len(data) >= COMPRESS_FROM_BYTES else 0
    if compression:
        data = zlib.compress(data, compression)
    header = dumps((len(ids), ids[-1], block._maxweight, compression,
                    length_to_byte(block._minlength), length_to_byte(block._maxlength)), 2)
    written = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(header) + len(data))), header,
                        data))
    block._postfile.write(written)
    info.set_extent(block._startoffset, len(written))
    block._terminfo = None  # between terms: start_postings makes the next block
    # W3FieldWriter.finish_term
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + fieldwriter._btext,
                            info.to_bytes())
