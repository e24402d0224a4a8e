"""Is a PDF page's own text layer worth keeping, or garbage that only looks like text?"""

from __future__ import annotations

import unicodedata
from collections import Counter
from enum import Enum

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


def judge_layer(text: str) -> Layer:
    """Each distinct character is judged once, weighted by its count: a page has a few dozen
    distinct characters among thousands (judging every one was half of reading a born-digital
    PDF)."""
    counts = Counter(text)
    visible = good = judged = wordlike = 0
    for ch, n in counts.items():
        if ch.isspace():
            continue
        visible += n
        if _plausible(ch):
            good += n
        if ch not in LEADERS:
            judged += n
            if _wordlike(ch):
                wordlike += n
    if not visible:
        return Layer.EMPTY
    if visible >= MIN_JUDGED_CHARS and (
            text.count("(cid:") * 6 > visible * 0.1 or good / visible < MIN_GOOD_RATIO
            or (judged > 0 and wordlike / judged < MIN_WORD_RATIO)):
        return Layer.GARBAGE
    return Layer.SHORT if visible < MIN_TEXT_CHARS else Layer.GOOD


def text_layer_usable(text: str) -> bool:
    """False for an empty or short layer, and for garbage from fonts without a Unicode map."""
    return judge_layer(text) is Layer.GOOD


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
