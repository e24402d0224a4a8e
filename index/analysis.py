"""Text analysis for Indonesian and English: roots for both, accents folded, codes kept whole.

Whoosh has no Indonesian stemmer. Sastrawi (Nazief-Adriani with a root dictionary) maps
`pembayaran`, `dibayarkan` → `bayar` and `pengiriman`, `dikirim` → `kirim`; a word it leaves
unchanged (English, names, codes) goes to Porter's English stemmer instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
)
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

_stemmer: Any = None


def _sastrawi() -> Any:
    global _stemmer
    if _stemmer is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        _stemmer = StemmerFactory().create_stemmer()
    return _stemmer


@lru_cache(maxsize=200_000)
def root(word: str) -> str:
    """The Indonesian root where Sastrawi finds one, else the English stem."""
    if not word.isalpha() or len(word) < 4:
        return word
    indonesian = _sastrawi().stem(word)
    if indonesian and indonesian != word:
        return str(indonesian)
    return str(porter_stem(word))


class BilingualStemFilter(Filter):
    """Replaces each token's text with its Indonesian root or English stem."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BilingualStemFilter)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if not token.stopped:
                token.text = root(token.text)
            yield token


def bilingual_analyzer() -> Any:
    """Words (numbers with dots kept whole: 1.250.000), lower-cased, accents folded, rooted."""
    return (RegexTokenizer(r"\w+(\.?\w+)*") | LowercaseFilter() | CharsetFilter(accent_map)
            | BilingualStemFilter())


def plain_analyzer() -> Any:
    """The same words unstemmed, for prefixes and wildcards as typed (`pemb*`, `tagih*`)."""
    return RegexTokenizer(r"\w+(\.?\w+)*") | LowercaseFilter() | CharsetFilter(accent_map)
