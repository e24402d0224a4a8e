"""Which document type: the rules' weighted scores, the heading counting double.

The heading is the first lines of the text, without the subject line of a letter (`Perihal:
Pemberitahuan Tagihan` is what a letter is about, not what it is). The title, a short line of
the heading without a colon (`KWITANSI`, `PAYMENT RECEIPT`, `SURAT JALAN / DELIVERY ORDER`),
counts once more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.rules import RuleSet

HEADING_LINES = 8
TITLE_LINES = 10
TITLE_MAX_WORDS = 5
SUBJECT_LINE = re.compile(r"^\s*(perihal|hal|subject|subjek|re|regarding|tentang|ref)\s*[:.]",
                          re.IGNORECASE)
NOT_A_TITLE = re.compile(r"[:@]|\d|^\s*(kepada|yth|dear|to|attn|up)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TypeDecision:
    slug: str
    score: float
    scores: dict[str, float]
    matched: list[str]


def title_line(lines: list[str], rules: RuleSet) -> str | None:
    """The first short heading line, without a colon or digits, that names some type."""
    for line in lines[:TITLE_LINES]:
        if len(line.split()) > TITLE_MAX_WORDS or NOT_A_TITLE.search(line):
            continue
        if any(rule.find(line) is not None for t in rules.types for rule in t.rules):
            return line
    return None


def score_types(text: str, rules: RuleSet) -> TypeDecision:
    lower = text.lower()
    lines = [line.strip() for line in lower.splitlines() if line.strip()]
    heading = "\n".join(line for line in lines[:HEADING_LINES] if not SUBJECT_LINE.match(line))
    title = title_line(lines, rules)
    scores: dict[str, float] = {}
    matched: dict[str, list[str]] = {}
    for type_rule in rules.types:
        total = 0.0
        hits = []
        for rule in type_rule.rules:
            hit = rule.find(lower)
            if hit is None:
                continue
            factor = 2 if rule.find(heading) is not None else 1
            in_title = title is not None and rule.find(title) is not None
            weight = rule.weight * (factor + in_title)
            total += weight
            hits.append(f"{rule.algorithm} {rule.match!r} (+{weight:g}"
                        + (", in the title)" if in_title else ")"))
        scores[type_rule.slug] = total
        matched[type_rule.slug] = hits
    priority = {t.slug: t.priority for t in rules.types}
    best = max(scores, key=lambda slug: (scores[slug], priority[slug]))
    if scores[best] < rules.min_type_score:
        return TypeDecision("other", scores[best], scores, [])
    return TypeDecision(best, scores[best], scores, matched[best])
