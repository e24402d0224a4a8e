"""The text fields' formats (index.word_formats): the postings whoosh's own formats make from
our tokenizer, term for term, and whoosh's way whenever it is asked for more."""

from __future__ import annotations

from typing import Any

import pytest
from whoosh.formats import Frequency, Positions

from bench._sidecars import Corpus
from index.analysis import bilingual_analyzer, plain_analyzer
from index.schema import build_schema
from index.word_formats import WordFrequency, WordPositions, with_word_formats

ODD = ["", "   ", "Café CAFÉ café naïve", "1.250.000 Rp 1.250.000,00 INV/2026/0042 27.11.2026",
       "pembayaran dibayarkan Pembayaran PEMBAYARAN bayar", "a b a b a", "x_y 2026_11 ß ﬁnance"]


def _texts() -> list[str]:
    return ODD + [record["content"] for record, _ in Corpus(7).records(60)]


def _both(ours: Any, theirs: Any, analyzer: Any, text: str, **kwargs: Any) -> None:
    expected = sorted(theirs.word_values(text, analyzer, **kwargs))
    assert sorted(ours.word_values(text, analyzer, **kwargs)) == expected


def test_same_postings_as_whoosh_s_formats() -> None:
    for analyzer in (bilingual_analyzer(), plain_analyzer()):
        for boost in (1.0, 2.0):
            for text in _texts():
                _both(WordPositions(field_boost=boost), Positions(field_boost=boost), analyzer,
                      text, mode="index")
                _both(WordFrequency(field_boost=boost), Frequency(field_boost=boost), analyzer,
                      text, mode="index")


def test_other_analyzers_and_options_take_whoosh_s_way() -> None:
    from whoosh.analysis import StandardAnalyzer

    text = "The payments were paid; pembayaran dibayarkan"
    _both(WordPositions(), Positions(), StandardAnalyzer(), text, mode="index")
    roots = frozenset({"bayar"})
    _both(WordPositions(), Positions(), bilingual_analyzer(), text, mode="index", wanted=roots)
    _both(WordPositions(), Positions(), bilingual_analyzer(), ["pre", "split"], mode="index")


def test_formats_the_short_way_cannot_follow_are_refused() -> None:
    from whoosh.fields import TEXT

    with pytest.raises(TypeError, match="no short way"):
        with_word_formats(TEXT(analyzer=bilingual_analyzer(), chars=True))


def test_the_schema_s_text_fields_use_them() -> None:
    schema = build_schema()
    assert type(schema["content"].format) is WordPositions
    assert type(schema["title"].format) is WordPositions
    assert schema["title"].format.field_boost == 2.0
    assert type(schema["words"].format) is WordFrequency
