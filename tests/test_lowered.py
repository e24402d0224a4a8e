"""Case-insensitive patterns searched in lower-cased text (workers.classify.lowered): the same
matches as the pattern itself, and every line the pattern matches found by one search."""

from __future__ import annotations

import random
import re

import pytest

from workers.classify.amounts import MONEY
from workers.classify.dates import DUE_LABEL
from workers.classify.lowered import Lowered
from workers.classify.npwp import LABEL as NPWP_LABEL

WORDS = ["Jatuh", "TEMPO", "tempo", "Due", "due", "to", "NPWP", "Tax", "ID", "Number", "nomor",
         "Pokok", "Wajib", "Pajak", "Rp", "IDR", "1.250.000", "12,50", "USD", "Total", "pay",
         "by", "Payment", "BATAS", "pembayaran", "27-11-2026", "01.234.567.8-901.000", ":",
         "-", "Rs.", "€", "rupiah"]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6)))
                 for _ in range(rng.randint(1, 12))]
        texts.append("\n".join(lines))
    return texts


@pytest.mark.parametrize("pattern", [MONEY.pattern, DUE_LABEL, NPWP_LABEL])
def test_same_matches_as_the_pattern_itself(pattern: re.Pattern[str]) -> None:
    lowered = Lowered(pattern)
    for text in _texts(400, 1):
        expected = [(m.span(), m.group(0).lower()) for m in pattern.finditer(text)]
        assert [(m.span(), m.group(0).lower()) for m in lowered.finditer(text)] == expected
        assert (lowered.search(text) is None) == (pattern.search(text) is None)


def test_text_beyond_ascii_is_searched_with_the_pattern_itself() -> None:
    kelvin = "\u212a"  # IGNORECASE matches it with k; lower-cased, it is a plain k
    pattern = re.compile(r"\bkg\b", re.IGNORECASE)
    lowered = Lowered(pattern)
    assert [m.span() for m in lowered.finditer(f"5 {kelvin}G")] == [(2, 4)]
    assert lowered.finditer(f"5 {kelvin}G").__next__().re is pattern


def test_a_pattern_the_twin_would_miss_is_refused() -> None:
    with pytest.raises(ValueError, match="not a case-insensitive"):
        Lowered(re.compile("abc"))
    with pytest.raises(ValueError, match="upper-case 'A'"):
        Lowered(re.compile(r"[A-B]\d", re.IGNORECASE))
    Lowered(re.compile(r"(?P<v>[A-Z]+)\S(?P=v)", re.IGNORECASE))  # escapes and names are fine
    for unsure in (r"(?-i:rp)\d", r"\x41b", r"(?i)abc", r"\N{LATIN CAPITAL LETTER A}"):
        with pytest.raises(ValueError, match=r"upper-case|search it as it is"):
            Lowered(re.compile(unsure, re.IGNORECASE))


@pytest.mark.parametrize("pattern", [DUE_LABEL, NPWP_LABEL,
                                     re.compile(r"tax\s*number|pay\s+by", re.IGNORECASE)])
def test_line_numbers_holds_every_line_that_matches(pattern: re.Pattern[str]) -> None:
    lowered = Lowered(pattern)
    spanning = 0
    for text in _texts(600, 2):
        lines = text.splitlines()
        expected = {n for n, line in enumerate(lines) if pattern.search(line)}
        found = lowered.line_numbers(lines)
        assert expected <= found
        spanning += len(found - expected)  # lines reached by a match across a line break
    if pattern.pattern.startswith("tax"):
        assert spanning > 0  # the case the coverage rule is for did come up


def test_line_numbers_refuses_anchors_and_lookaround() -> None:
    with pytest.raises(ValueError, match="anchors or lookaround"):
        Lowered(re.compile(r"^total", re.IGNORECASE)).line_numbers(["Total 5"])
    for pattern in (r"(?<!sub)total", r"\Atotal", r"tax\s*+\b", r"(?>tax\s*)\b"):
        with pytest.raises(ValueError, match="anchors or lookaround"):
            Lowered(re.compile(pattern, re.IGNORECASE)).line_numbers(["Total 5"])
