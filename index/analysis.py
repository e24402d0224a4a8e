"""Text analysis for Indonesian and English: roots for both, accents folded, codes kept whole.

Whoosh has no Indonesian stemmer. Sastrawi (Nazief-Adriani with a root dictionary) maps
`pembayaran`, `dibayarkan` → `bayar` and `pengiriman`, `dikirim` → `kirim`; a word it leaves
unchanged (English, names, codes) goes to Porter's English stemmer instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map
from whoosh.util.text import rcompile

_stemmer: Any = None


def _sastrawi() -> Any:
    global _stemmer
    if _stemmer is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        _stemmer = StemmerFactory().create_stemmer()
    return _stemmer


# Sastrawi changes a word only by removing one of these prefixes or suffixes, or an infix
# after its first consonant (g-em-etar); any other word it returns unchanged, and asking it
# costs about half a millisecond per distinct word (most of a reindex's analysis time).
_PREFIXES = ("di", "ke", "se", "be", "te", "me", "pe", "ku", "kau")
_SUFFIXES = ("lah", "kah", "tah", "pun", "ku", "mu", "nya", "is", "isme", "i", "kan", "an")
_INFIXES = ("el", "em", "er", "in")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")
_VOWELS = frozenset("aiueo")


def _sastrawi_may_change(word: str) -> bool:
    if not word.isascii() or word.startswith(_PREFIXES) or word.endswith(_SUFFIXES):
        return True
    return word[0] in _CONSONANTS and word[1:3] in _INFIXES and word[3:4] in _VOWELS


@lru_cache(maxsize=200_000)
def root(word: str) -> str:
    """The Indonesian root where Sastrawi finds one, else the English stem."""
    if not word.isalpha() or len(word) < 4:
        return word
    if not _sastrawi_may_change(word):
        return str(porter_stem(word))
    indonesian = _sastrawi().stem(word)
    if indonesian and indonesian != word:
        return str(indonesian)
    return str(porter_stem(word))


class BilingualStemFilter(Filter):
    """Replaces each token's text with its Indonesian root or English stem. (Indexes made
    before WordTokenizer keep this filter in their stored schema: it stays importable.)"""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BilingualStemFilter)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        wanted: frozenset[str] | None = None
        first = True
        for token in tokens:
            if first:  # one Token object for the whole stream, with the analyzer's kwargs
                wanted, first = getattr(token, "wanted", None), False
            if not token.stopped:
                if wanted is None or may_root_to(token.text, wanted):
                    token.text = root(token.text)
                else:
                    token.text = ""
            yield token


def may_root_to(word: str, roots: frozenset[str]) -> bool:
    """False only if root(word) is certainly none of `roots`: a Sastrawi root without its
    first letter (which a prefix may recode: menyapu → sapu) is inside the word, and a Porter
    stem but for its last two letters starts the word. Highlighting passes the query's roots
    (`analyzer(text, wanted=roots)`) so that it roots only the words that can match."""
    return any(r[1:] in word or word.startswith(r[:-2]) for r in roots)


WORD = r"\w+(?:\.?\w+)*"  # numbers with dots kept whole: 1.250.000


@lru_cache(maxsize=200_000)
def folded(word: str) -> str:
    """Lower-cased, accents folded (café → cafe)."""
    return word.lower().translate(accent_map)


@lru_cache(maxsize=200_000)
def rooted(word: str) -> str:
    """Folded, then its root."""
    return root(folded(word))


class WordTokenizer(Tokenizer):
    """The words of a text, folded and (`rooted_words`) rooted, in one pass.

    The same tokens as RegexTokenizer(WORD) | LowercaseFilter() | CharsetFilter(accent_map)
    [| BilingualStemFilter()] in every mode (positions, character offsets, the query parser's
    tokenize=False, highlighting's `wanted`), at half the cost: one generator instead of four
    and each distinct word's form computed once. Indexing spends most of its analysis here.
    """

    def __init__(self, rooted_words: bool) -> None:
        self.rooted = rooted_words
        self.expression = rcompile(WORD)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordTokenizer) and other.rooted == self.rooted

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.rooted))

    def _form(self, word: str, wanted: frozenset[str] | None) -> str:
        if not self.rooted:
            return folded(word)
        if wanted is None:
            return rooted(word)
        plain = folded(word)
        return root(plain) if may_root_to(plain, wanted) else ""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Any]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        wanted = kwargs.get("wanted")
        if not tokenize:
            token.original = value
            token.text = self._form(value, wanted)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        form = None if self.rooted and wanted is not None else rooted if self.rooted else folded
        for pos, match in enumerate(self.expression.finditer(value)):
            word = match.group(0)
            token.text = form(word) if form is not None else self._form(word, wanted)
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


_HAS_LETTER = rcompile(r"[^\W\d_]")
_WORDS = rcompile(WORD)


def distinct_forms(text: str) -> str:
    """Each word of the text with a letter in it, once, folded, not rooted (`pembayaran`,
    `sekolah`, `tag1han`; not `1.250.000`): the `words` field's value. Prefixes, wildcards,
    fuzzy terms and corrections need the words as typed, not their roots (a typo's root can be
    another word's: `sekola` roots to `kola`; `tagihan~` must find OCR's `tag1han`), and none
    of them uses how often a word occurs: the field was given the whole text, and analysing
    every word of it again was a third of the index writer's work. A word without a letter
    (an amount, a date, a number) is never rooted, `content` holds it as typed, and no query
    word with a letter is within two edits of one that matters."""
    forms = {folded(word) for word in set(_WORDS.findall(text))}
    return " ".join(sorted(form for form in forms if _HAS_LETTER.search(form)))


def bilingual_analyzer() -> Any:
    """Words (numbers with dots kept whole: 1.250.000), lower-cased, accents folded, rooted."""
    return WordTokenizer(rooted_words=True)


def plain_analyzer() -> Any:
    """The same words unstemmed, for prefixes and wildcards as typed (`pemb*`, `tagih*`)."""
    return WordTokenizer(rooted_words=False)
