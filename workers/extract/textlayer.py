"""Is a PDF page's own text layer worth keeping, or garbage that only looks like text?"""

from __future__ import annotations

import unicodedata
from enum import Enum

import regex

MIN_TEXT_CHARS = 20  # fewer visible characters than this is a short layer
MIN_GOOD_RATIO = 0.85  # share of characters that must be plausible (not private-use, ...)
MIN_WORD_RATIO = 0.5  # share of letters and digits: "\"7+%-" is a font's glyph ids, not text
MIN_JUDGED_CHARS = 4  # below this a layer is too short to call garbage
LEADERS = set(".·…-‐–—_=*~|") # dot leaders and rules (a table of contents) are not garbage


class Layer(Enum):
    EMPTY = "empty"
    SHORT = "short"  # plausible, but a few characters: a page number, a stamp
    GARBAGE = "garbage"  # a font without a Unicode map: (cid:12), private-use, glyph ids
    GOOD = "good"


# Characters that are neither letters, digits, marks nor white space: the only ones that can
# be implausible or not word-like. Counting those few (punctuation, symbols, controls) instead
# of looking at every character makes judging a page 10x cheaper (half of reading a
# born-digital PDF was this judging).
NOT_WORDLIKE = regex.compile(r"[^\p{L}\p{N}\p{M}\s]")


def judge_layer(text: str) -> Layer:
    visible = sum(map(len, text.split()))  # characters that are not white space
    if not visible:
        return Layer.EMPTY
    if visible >= MIN_JUDGED_CHARS and _garbage(text, visible):
        return Layer.GARBAGE
    return Layer.SHORT if visible < MIN_TEXT_CHARS else Layer.GOOD


def text_layer_usable(text: str) -> bool:
    """False for an empty or short layer, and for garbage from fonts without a Unicode map."""
    return judge_layer(text) is Layer.GOOD


def _garbage(text: str, visible: int) -> bool:
    if text.count("(cid:") * 6 > visible * 0.1:
        return True
    odd = [ch for ch in NOT_WORDLIKE.findall(text) if not ch.isspace()]
    good = visible - sum(1 for ch in odd if not _plausible(ch))
    if good / visible < MIN_GOOD_RATIO:
        return True
    judged = visible - sum(text.count(ch) for ch in LEADERS)
    not_wordlike = sum(1 for ch in odd if ch not in LEADERS and not _wordlike(ch))
    return judged > 0 and (judged - not_wordlike) / judged < MIN_WORD_RATIO


def _wordlike(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def _plausible(ch: str) -> bool:
    if ch == "\ufffd":
        return False
    category = unicodedata.category(ch)
    if category in ("Co", "Cc", "Cs", "Cn"):  # private use, control, surrogate, unassigned
        return False
    return category[0] in "LNPSM"


def word_count(text: str) -> int:
    return sum(1 for w in text.split() if w.isalnum() or any(ch.isalnum() for ch in w))
