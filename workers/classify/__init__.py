"""Classification: type, correspondent, document date, title, tags, language, key fields."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from config.rules import RuleSet
from workers.classify.amounts import find_amount
from workers.classify.correspondent import find_correspondent
from workers.classify.dates import best_date, due_date, find_dates
from workers.classify.doctype import score_types
from workers.classify.fields import document_number, first_meaningful_line, language, subject_line
from workers.classify.npwp import find_npwp


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
    amount: dict[str, Any] | None = None  # {"value": 1250000.0, "currency": "IDR", "text": …}
    due_date: str | None = None  # YYYY-MM-DD
    npwp: str | None = None
    tags_of_types: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("tags_of_types")
        return data

    def key_fields(self) -> dict[str, Any]:
        """The key fields as the sidecar stores them at its top level."""
        return {"amount": self.amount, "due_date": self.due_date, "npwp": self.npwp}

    def change_type(self, slug: str) -> None:
        """A new type (the auto classifier's): its tags replace the old type's."""
        why = self.reasons.setdefault("tags", {})
        self.tags = [t for t in self.tags if t not in why.get("type", [])]
        why["type"] = [t for t in self.tags_of_types.get(slug, ()) if t not in self.tags]
        self.tags += why["type"]
        self.type = slug


def key_field_reasons(text: str, date_order: str) -> dict[str, Any]:
    """Amount, due date and NPWP, each with where it was read and why (empty when absent)."""
    reasons: dict[str, Any] = {}
    amount = find_amount(text)
    if amount is not None:
        reasons["amount"] = amount.as_dict()
    due = due_date(text, order=date_order)
    if due is not None:
        reasons["due_date"] = {"value": due.value.isoformat(), "text": due.text,
                               "line": due.line, "why": f"next to {due.label!r}"}
    npwp = find_npwp(text)
    if npwp is not None:
        reasons["npwp"] = {"value": npwp.value, "text": npwp.text, "line": npwp.line}
    return reasons


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

    candidates = find_dates(text, today=today, order=date_order, doc_type=decision.slug)
    best = best_date(candidates)
    if best is not None:
        created, source = best.value.isoformat(), "content"
        reasons["date"] = {
            "chosen": f"{best.text!r} on line {best.line} ({best.why})",
            "candidates": [f"{c.value} {c.text!r} line {c.line} score {c.score:.2f} ({c.why})"
                           for c in candidates[:8]],
        }
    else:
        created, source = datetime.fromtimestamp(file_mtime).date().isoformat(), "file"
        reasons["date"] = {"chosen": "no date in the content: the file's modification time"}

    number = document_number(text, decision.slug)
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
    tags_of_types = rules.tags_of_types()
    from_type = [t for t in tags_of_types.get(decision.slug, ()) if t not in tags]
    reasons["tags"] = {"folders": tags[:len(set(folder_tags))],
                       "rules": tags[len(set(folder_tags)):], "type": from_type}
    tags += from_type

    reasons["key_fields"] = key_field_reasons(text, date_order)
    found_fields = reasons["key_fields"]
    amount = found_fields.get("amount")
    return Classification(
        type=decision.slug, correspondent=correspondent, created=created, created_source=source,
        title=title, tags=tags, number=number, language=language(text), reasons=reasons,
        amount={k: amount[k] for k in ("value", "currency", "text")} if amount else None,
        due_date=(found_fields.get("due_date") or {}).get("value"),
        npwp=(found_fields.get("npwp") or {}).get("value"), tags_of_types=tags_of_types,
    )
