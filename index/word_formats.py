"""Whoosh's Positions and Frequency formats, with a short way from text to postings for our
own tokenizer (index.analysis.WordTokenizer).

Indexing a field asks its format for each term's frequency, weight and encoded positions;
whoosh's formats get them from a stream of Token objects (the tokenizer's generator, then a
filter dropping stopped tokens, then one dictionary update per token and field). For our
tokenizer, which stops no token and gives every token a boost of 1.0, the same postings come
from the words themselves: the same regular expression, the same forms, positions in order.
Any other analyzer, or a call with options (highlighting, queries), takes whoosh's own way.
The encoded values are whoosh's: readers see no difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.formats import Format, Frequency, Positions
from whoosh.system import pack_uint

from index.analysis import WordTokenizer, folded, rooted

Posting = tuple[str, int, float, bytes]  # term, frequency, weight, encoded value


def _forms_at(value: str, analyzer: WordTokenizer) -> dict[str, list[int]]:
    """Each form in `value` and its positions, as the tokenizer would give them."""
    form = rooted if analyzer.rooted else folded
    positions: dict[str, list[int]] = {}
    for pos, word in enumerate(analyzer.expression.findall(value)):
        found = positions.get(text := form(word))
        if found is None:
            positions[text] = [pos]
        else:
            found.append(pos)
    return positions


def _ours(value: Any, analyzer: Any, kwargs: dict[str, Any]) -> bool:
    """Index mode, our tokenizer, a string: the short way gives whoosh's postings."""
    return type(analyzer) is WordTokenizer and isinstance(value, str) and \
        kwargs in ({}, {"mode": "index"})


class _ShortWay(Format):
    """word_values the short way for WordTokenizer; `_encoded(poslist)` is the value."""

    def _encoded(self, poslist: list[int]) -> bytes:
        raise NotImplementedError

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Posting]:
        if not _ours(value, analyzer, kwargs):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encoded = self._encoded
        for text, poslist in _forms_at(value, analyzer).items():
            freq = len(poslist)
            yield text, freq, float(freq) * boost, encoded(poslist)


class WordPositions(_ShortWay, Positions):
    """Positions, the short way for WordTokenizer: the positions, encoded as whoosh does."""

    def _encoded(self, poslist: list[int]) -> bytes:
        return bytes(self.encode(poslist))


class WordFrequency(_ShortWay, Frequency):
    """Frequency, the short way for WordTokenizer: the frequency, packed as whoosh does."""

    def _encoded(self, poslist: list[int]) -> bytes:
        return bytes(pack_uint(len(poslist)))


def with_word_formats(field: Any) -> Any:
    """`field` (a TEXT field with whoosh's Positions or Frequency) with the format of the same
    kind that knows the short way."""
    kinds = {Positions: WordPositions, Frequency: WordFrequency}
    kind = kinds.get(type(field.format))
    if kind is None:  # Characters, PositionBoosts, ...: what they add, the short way has not
        raise TypeError(f"no short way for a field with the format {field.format!r}")
    field.format = kind(field_boost=field.format.field_boost, **field.format.options)
    return field
