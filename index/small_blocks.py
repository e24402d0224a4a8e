"""Posting blocks too small to gain from zlib are written as they are.

Whoosh's W3 postings writer means to leave a pickled block under 20 bytes uncompressed, but
its next line compresses every block whatever its size. Most blocks of a small segment hold
one or two postings: 27,000 of the 34,000 blocks written for 400 documents were under 80 bytes,
and zlib made them larger (by 66 KB in all) at a sixth of the commit's time. Each block records
whether it is compressed, and whoosh's reader decompresses only those that are, so an index
with both kinds reads the same.

Only the writing is changed: a segment keeps whoosh's own codec object (it is pickled into the
index's table of segments), and only the field writer is given this one to make its postings.
"""

from __future__ import annotations

import zlib
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PostingsWriter
from whoosh.compat import dumps
from whoosh.util.numeric import length_to_byte

COMPRESS_FROM_BYTES = 80  # smaller pickled blocks: zlib's header outweighs what it saves


class SmallBlocksPlainWriter(W3PostingsWriter):
    def _write_block(self, last: bool = False) -> None:
        """W3PostingsWriter._write_block, with its size threshold applied."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        comp = self._compression if len(databytes) >= COMPRESS_FROM_BYTES else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = dumps((len(ids), ids[-1], self._maxweight, comp,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)  # negative: the term's last
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _SmallBlocksPlainCodec(W3Codec):
    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return SmallBlocksPlainWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                       compression=self._compression,
                                       inlinelimit=self._inlinelimit)


def write_small_blocks_plain(writer: Any) -> None:
    """Have a whoosh SegmentWriter (W3 codec) write its small posting blocks uncompressed."""
    codec = writer.fieldwriter._codec
    if type(codec) is W3Codec:
        writer.fieldwriter._codec = _SmallBlocksPlainCodec(
            blocklimit=codec._blocklimit, compression=codec._compression,
            inlinelimit=codec._inlinelimit)
