"""Case-insensitive patterns searched in lower-cased text, without IGNORECASE.

`re` finds no literal to skip ahead to in a case-insensitive alternation of words, and tries
each word at every position of the text: searching a lower-cased copy with a case-sensitive
twin of the pattern finds the same matches several times faster (the invoice-number label
pattern over the first 60 lines of 400 documents: 143 -> 15 ms; the money pattern over their
whole text: 149 -> 85 ms). Only for ASCII text, where lower-casing keeps every offset and
IGNORECASE means exactly that A-Z and a-z are the same (Unicode's case folding also pairs the
Kelvin sign with k and the long s with s); other text is searched with the pattern itself.

A twin's groups are lower-cased: what is shown or kept is taken from the text by the match's
offsets.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator

# What is not a letter to match: escapes (`\\S`, `\\d`) and group names (`(?P<v>`, `(?P=sep)`).
_NOT_LITERAL = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)")
# What lower-casing the text cannot follow: letters written by their codes (`\x41`, `\u0041`,
# `\N{…}`, octal), flags set inside the pattern (`(?-i:…)`, `(?i)`).
_UNSURE = re.compile(r"\\[xuUN0-7]|\(\?[aiLmsux-]+[:)]")


class Lowered:
    """A case-insensitive pattern and its case-sensitive twin for lower-cased ASCII text."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.flags & re.IGNORECASE:
            raise ValueError(f"not a case-insensitive pattern: {pattern.pattern!r}")
        source = pattern.pattern.replace("A-Z", "a-z")
        stray = re.search(r"[A-Z]", _NOT_LITERAL.sub("", source))
        if stray:  # the twin would never match it in lower-cased text
            raise ValueError(f"upper-case {stray.group(0)!r} in {pattern.pattern!r}")
        unsure = _UNSURE.search(source)
        if unsure:  # a letter by its code, or case-sensitivity switched inside the pattern
            raise ValueError(f"{unsure.group(0)!r} in {pattern.pattern!r}: search it as it is")
        self.pattern = pattern
        self.twin = re.compile(source, pattern.flags & ~re.IGNORECASE)
        # A line break reads as either end of a line: no anchors, no lookaround (see below).
        self._joinable = not any(mark in source for mark in (
            "^", "$", "\\A", "\\Z", "(?<", "(?=", "(?!", "(?>", "*+", "++", "?+", "}+"))

    def finditer(self, text: str, lower: str | None = None) -> Iterator[re.Match[str]]:
        """The matches in `text` (`lower`: text.lower(), when the caller has it already)."""
        if text.isascii():
            return self.twin.finditer(text.lower() if lower is None else lower)
        return self.pattern.finditer(text)

    def search(self, text: str, lower: str | None = None) -> re.Match[str] | None:
        if text.isascii():
            return self.twin.search(text.lower() if lower is None else lower)
        return self.pattern.search(text)

    def line_numbers(self, lines: list[str]) -> set[int]:
        """The indexes of the lines that may hold a match, from one search of all of them
        joined by line breaks instead of a search of each: every line in which
        `self.search(line)` finds a match is among them. The joined search either tries the
        position where that match starts, and matches there too (the line break after the
        line only adds ways to go on), or has passed it inside a match that spans it, and
        every line such a match spans is counted. Not for patterns that tell a line break
        from the end of a line: anchors, lookaround."""
        if not self._joinable:
            raise ValueError(f"line_numbers needs a pattern without anchors or lookaround: "
                             f"{self.pattern.pattern!r}")
        joined = "\n".join(lines)
        starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        found: set[int] = set()
        for match in self.finditer(joined):
            first = bisect.bisect_right(starts, match.start()) - 1
            last = bisect.bisect_right(starts, max(match.start(), match.end() - 1)) - 1
            found.update(range(first, last + 1))
        return found
