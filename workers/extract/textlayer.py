"""Is a PDF page's own text layer worth keeping, or garbage that only looks like text?"""

from __future__ import annotations

import unicodedata
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
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return Layer.EMPTY
    if len(chars) >= MIN_JUDGED_CHARS and _garbage(text, chars):
        return Layer.GARBAGE
    return Layer.SHORT if len(chars) < MIN_TEXT_CHARS else Layer.GOOD


def text_layer_usable(text: str) -> bool:
    """False for an empty or short layer, and for garbage from fonts without a Unicode map."""
    return judge_layer(text) is Layer.GOOD


def _garbage(text: str, chars: list[str]) -> bool:
    if text.count("(cid:") * 6 > len(chars) * 0.1:
        return True
    good = sum(1 for ch in chars if _plausible(ch))
    if good / len(chars) < MIN_GOOD_RATIO:
        return True
    judged = [ch for ch in chars if ch not in LEADERS]
    wordlike = sum(1 for ch in judged if ch.isalnum() or unicodedata.category(ch)[0] == "M")
    return bool(judged) and wordlike / len(judged) < MIN_WORD_RATIO


def _plausible(ch: str) -> bool:
    if ch == "\ufffd":
        return False
    category = unicodedata.category(ch)
    if category in ("Co", "Cc", "Cs", "Cn"):  # private use, control, surrogate, unassigned
        return False
    return category[0] in "LNPSM"


def word_count(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))
