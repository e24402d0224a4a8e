"""Which document type: the rules' weighted scores, the heading counting double."""

from __future__ import annotations

from dataclasses import dataclass

from config.rules import RuleSet

HEADING_LINES = 8


@dataclass(frozen=True)
class TypeDecision:
    slug: str
    score: float
    scores: dict[str, float]
    matched: list[str]


def score_types(text: str, rules: RuleSet) -> TypeDecision:
    lower = text.lower()
    heading = "\n".join(line for line in lower.splitlines() if line.strip())
    heading = "\n".join(heading.splitlines()[:HEADING_LINES])
    scores: dict[str, float] = {}
    matched: dict[str, list[str]] = {}
    for type_rule in rules.types:
        total = 0.0
        hits = []
        for rule in type_rule.rules:
            hit = rule.find(lower)
            if hit is None:
                continue
            weight = rule.weight * (2 if rule.find(heading) is not None else 1)
            total += weight
            hits.append(f"{rule.algorithm} {rule.match!r} (+{weight:g})")
        scores[type_rule.slug] = total
        matched[type_rule.slug] = hits
    priority = {t.slug: t.priority for t in rules.types}
    best = max(scores, key=lambda slug: (scores[slug], priority[slug]))
    if scores[best] < rules.min_type_score:
        return TypeDecision("other", scores[best], scores, [])
    return TypeDecision(best, scores[best], scores, matched[best])
