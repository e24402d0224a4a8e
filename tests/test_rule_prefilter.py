"""A regex rule is searched only in texts that hold a literal every match of it contains."""

from __future__ import annotations

import random
import re

import pytest
import regex

from config.literal_prefilter import may_match, required_literals
from config.rules import load_rules


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"(sudah|telah) (di)?terima dari|^\s*diterima dari", {"terima dari", "diterima dari"}),
    (r"\bnpwp\b|faktur pajak|\bppn\b|\bpph\b", {"npwp", "faktur pajak", "ppn", "pph"}),
    (r"invoice\s*(no|number|#|date)", {"invoice"}),
    (r"(?:kwitansi)+ no", {"kwitansi"}),
    (r"(?=abc)d", {"d"}),  # a lookahead's text is not certain to be in the match: not used
    (r"a|b*", None),  # a branch that can match without a literal
    (r"(x)?y?", None),
    (r"\d+/\d+", {"/"}),
    (r"(?i)invoice", None),  # ignores case: a lower-case literal proves nothing
    (r"x(?i:invoice)", {"x"}),
    (r"(?:invoice){e<=1}", None),  # the regex module's fuzzy match: no prefilter at all
    (r"\p{Lu}nvoice", None),
    (r"(unclosed", None),
    (r"no[[:space:]]faktur", None),  # a POSIX class: the regex module reads it as one class
    (r"[[:digit:]]+/[[:digit:]]+", None),
    ("(?x)abc\xa0def", None),  # verbose: the regex module skips the no-break space
    ("x(?x:abc\xa0def)", {"x"}),
    (r"[a-z--q]voice", None),  # a set operation
])
def test_the_literals_a_pattern_cannot_match_without(pattern: str,
                                                      needs: set[str] | None) -> None:
    found = required_literals(pattern, regex.MULTILINE)
    assert (set(found) if found is not None else None) == needs


def test_a_pattern_that_ignores_case_or_is_verbose_has_no_prefilter() -> None:
    assert required_literals("invoice", regex.IGNORECASE) is None
    assert required_literals("invoice", regex.VERBOSE) is None


@pytest.mark.parametrize(("pattern", "text"), [
    (r"no[[:space:]]faktur", "no faktur"),
    (r"[[:digit:]]+/[[:digit:]]+", "nomor 12/34"),
    ("(?x)abc\xa0def", "abcdef"),
])
def test_patterns_the_two_parsers_read_differently_still_find_their_matches(
        pattern: str, text: str) -> None:
    from config.rules import make_rule

    rule = make_rule({"algorithm": "regex", "match": pattern}, "test")
    assert regex.search(pattern, text) is not None
    assert rule.find(text) is not None


def _shipped_regexes() -> list[str]:
    rules = load_rules()
    every = [r for t in rules.types for r in t.rules] + [r for t in rules.tags for r in t.rules]
    return [r.match for r in every if r.algorithm == "regex"]


def test_the_prefilter_never_hides_a_match_of_a_shipped_rule() -> None:
    """Texts made of the rule's own words and characters match often; each match must pass."""
    rng = random.Random(11)
    patterns = _shipped_regexes()
    assert len(patterns) >= 20
    matched = 0
    for pattern in patterns:
        compiled = regex.compile(pattern, regex.MULTILINE)
        needs = required_literals(pattern, regex.MULTILINE)
        pieces = [*re.findall(r"[a-z]+", pattern), *"  \n.:#/-0123456789abcdeiknoprstuy"]
        for _ in range(3000):
            text = "".join(rng.choice(pieces) + rng.choice(["", " ", "\n"])
                           for _ in range(rng.randint(1, 12)))
            if compiled.search(text):
                matched += 1
                assert may_match(needs, text), (pattern, text)
    assert matched > 1000  # the texts did test the rules


def test_rules_decide_as_before_on_the_shipped_rules() -> None:
    rules = load_rules()
    texts = ["Telah terima dari: PT Sinar Abadi\nuang sejumlah Rp 1.250.000",
             "KWITANSI\nNo. 12\nGuna membayar tagihan", "Salary slip\nNet pay 5.000.000",
             "Surat pesanan\nVendor: CV Maju", "Rekening giro 123\nBalance brought forward",
             "nothing to see here"]
    for rule in (r for t in rules.types for r in t.rules if r.algorithm == "regex"):
        for text in texts:
            plain = rule.compiled.search(text.lower())
            assert rule.find(text.lower()) == (plain.group(0) if plain else None)
