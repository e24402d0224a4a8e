"""The index's word analysis: one fused tokenizer that must give exactly the tokens of
whoosh's tokenizer-and-filters chain it replaced (indexes made before it keep that chain in
their stored schema, and both must agree on every word)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.support.charset import accent_map

from index.analysis import (
    WORD,
    BilingualStemFilter,
    WordTokenizer,
    distinct_forms,
)
from tests.docsamples import Sample, letter_lines

MODES: list[dict[str, Any]] = [
    {},  # what the query parser's plain terms get
    {"positions": True, "chars": True, "mode": "index"},  # indexing content
    {"mode": "query", "tokenize": False},  # a whole query term
    {"positions": True, "keeporiginal": True, "start_pos": 3, "start_char": 5},
    {"chars": True, "wanted": frozenset({"bayar", "kirim", "tagih"})},  # highlighting
]


def texts(corpus: Path) -> list[str]:
    """Every reference text of the corpus (English, German, French), a generated Indonesian
    letter, and edge cases."""
    found = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.txt"))]
    letter = "\n".join(letter_lines(Sample("surat.txt", "txt", "pembayarannya", "Tagihan",
                                              "2026-11-27")))
    edge = ("Café crème PEMBAYARAN dibayarkan, pengiriman DIKIRIM tagihan; INV/2026/0042 "
            "1.250.000 01.234.567.8-901.000 naïve ÀÉÎ straße")
    return [*found, letter, "", "x", edge]


def tokens(analyzer: Any, text: str, options: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(t.text, t.boost, t.stopped, getattr(t, "pos", None), getattr(t, "startchar", None),
             getattr(t, "endchar", None), getattr(t, "original", None))
            for t in analyzer(text, **options)]


@pytest.mark.parametrize("rooted", [True, False], ids=["rooted", "plain"])
def test_the_fused_tokenizer_gives_the_chain_s_tokens_in_every_mode(corpus: Path,
                                                                     rooted: bool) -> None:
    chain = RegexTokenizer(WORD) | LowercaseFilter() | CharsetFilter(accent_map)
    if rooted:
        chain = chain | BilingualStemFilter()
    fused = WordTokenizer(rooted_words=rooted)
    samples = texts(corpus)
    assert sum(len(t) for t in samples) > 15_000  # the corpus is there: real text
    for options in MODES:
        for text in samples:
            assert tokens(fused, text, options) == tokens(chain, text, options), options
    words = [t.text for t in fused("PEMBAYARAN dikirim Café")]
    assert words == (["bayar", "kirim", "cafe"] if rooted else ["pembayaran", "dikirim", "cafe"])


def test_the_words_field_gets_each_word_once_as_typed(corpus: Path) -> None:
    assert distinct_forms("Pembayaran ke JAKARTA: invoice 1.250.000, pembayaran Café tag1han") \
        == "cafe invoice jakarta ke pembayaran tag1han"
    plain = WordTokenizer(rooted_words=False)
    for text in texts(corpus):
        every = {t.text for t in plain(text)}
        kept = distinct_forms(text).split()
        assert len(kept) == len(set(kept))
        assert set(kept) == {w for w in every if any(ch.isalpha() for ch in w)}
        # and the field's own analyzer reads the kept forms back unchanged
        assert [t.text for t in plain(distinct_forms(text))] == kept
