"""Classification: type, correspondent, document date, title, tags, language."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from config.rules import RuleSet
from workers.classify.correspondent import find_correspondent
from workers.classify.dates import document_date, find_dates
from workers.classify.doctype import score_types
from workers.classify.fields import document_number, first_meaningful_line, language, subject_line


@dataclass
class Classification:
    type: str
    correspondent: str | None
    created: str | None  # YYYY-MM-DD
    created_source: str  # "content" or "file"
    title: str
    tags: list[str]
    number: str | None
    language: str | None
    reasons: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def classify(text: str, *, rules: RuleSet, file_name: str, file_mtime: float,
             folder_tags: list[str], date_order: str = "DMY",
             today: date | None = None) -> Classification:
    """Decide what a document is from its text; every decision keeps its reason."""
    reasons: dict[str, Any] = {}
    decision = score_types(text, rules)
    reasons["type"] = {"chosen": decision.slug, "matched": decision.matched,
                       "scores": {k: v for k, v in decision.scores.items() if v}}

    found = find_correspondent(text, rules.correspondents, doc_type=decision.slug)
    correspondent = found[0] if found else None
    reasons["correspondent"] = found[1] if found else "no configured name, letterhead or signature"

    best = document_date(text, today=today, order=date_order, doc_type=decision.slug)
    if best is not None:
        created, source = best.value.isoformat(), "content"
        reasons["date"] = {
            "chosen": f"{best.text!r} on line {best.line} ({best.why})",
            "candidates": [f"{c.value} {c.text!r} line {c.line} score {c.score:.2f} ({c.why})"
                           for c in find_dates(text, today=today, order=date_order,
                                               doc_type=decision.slug)[:8]],
        }
    else:
        created, source = datetime.fromtimestamp(file_mtime).date().isoformat(), "file"
        reasons["date"] = {"chosen": "no date in the content: the file's modification time"}

    number = document_number(text)
    type_name = next((t.name for t in rules.types if t.slug == decision.slug), decision.slug)
    title = subject_line(text)
    reasons["title"] = "subject line" if title else ""
    if not title and number and decision.slug != "other":
        title = f"{type_name.split(' / ')[0]} {number}"
        reasons["title"] = "type and document number"
    if not title:
        skip = {correspondent.lower()} if correspondent else set()
        title = first_meaningful_line(text, skip)
        reasons["title"] = "first meaningful line"
    if not title:
        title = file_name.rsplit(".", 1)[0] or "untitled"
        reasons["title"] = "file name"

    tags = list(dict.fromkeys(folder_tags))
    lower = text.lower()
    for tag in rules.tags:
        if any(rule.find(lower) for rule in tag.rules) and tag.name not in tags:
            tags.append(tag.name)
    return Classification(
        type=decision.slug, correspondent=correspondent, created=created, created_source=source,
        title=title, tags=tags, number=number, language=language(text), reasons=reasons,
    )
