"""Rule files: document types, correspondents and tags, validated when loaded.

A bad rule file fails at start-up naming the file and the entry, never later per document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

import regex
import tomllib
from rapidfuzz import fuzz

from arsip.errors import ConfigError

Algorithm = Literal["any", "all", "literal", "regex", "fuzzy", "none"]
ALGORITHMS = ("any", "all", "literal", "regex", "fuzzy", "none")
REGEX_TIMEOUT_SECONDS = 0.5
FUZZY_THRESHOLD = 88.0


@dataclass(frozen=True)
class Rule:
    """One match: an algorithm and what it looks for, with a weight for scoring."""

    algorithm: Algorithm
    match: str
    weight: float = 1.0
    compiled: Any = field(default=None, compare=False, repr=False)

    def find(self, text: str) -> str | None:
        """The matched excerpt in lower-cased `text`, or None."""
        if self.algorithm == "none" or not self.match:
            return None
        if self.algorithm == "regex":
            try:
                found = self.compiled.search(text, timeout=REGEX_TIMEOUT_SECONDS)
            except TimeoutError:
                return None
            return found.group(0) if found else None
        if self.algorithm == "literal":
            return self.match if self.compiled.search(text) else None
        if self.algorithm == "fuzzy":
            result = fuzz.partial_ratio_alignment(self.match, text)
            if result is not None and result.score >= FUZZY_THRESHOLD:
                return text[result.dest_start:result.dest_end]
            return None
        words = self.match.split()
        hits = [w for w in words if regex.search(rf"\b{regex.escape(w)}\b", text)]
        if self.algorithm == "any":
            return hits[0] if hits else None
        return " ".join(hits) if hits and len(hits) == len(words) else None


@dataclass(frozen=True)
class TypeRule:
    slug: str
    name: str
    priority: int
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class NamedRule:
    """A correspondent or a tag: a name and the rules that recognise it."""

    name: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleSet:
    types: tuple[TypeRule, ...]
    correspondents: tuple[NamedRule, ...]
    tags: tuple[NamedRule, ...]
    min_type_score: float

    @property
    def type_slugs(self) -> list[str]:
        return [t.slug for t in self.types]


def make_rule(raw: dict[str, Any], where: str) -> Rule:
    algorithm = str(raw.get("algorithm", "any"))
    if algorithm not in ALGORITHMS:
        raise ConfigError(f"{where}: unknown algorithm {algorithm!r}",
                          advice=f"Use one of {', '.join(ALGORITHMS)}")
    match = str(raw.get("match", ""))
    try:
        weight = float(raw.get("weight", 1.0))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: weight must be a number") from exc
    compiled: Any = None
    if algorithm == "regex":
        try:
            compiled = regex.compile(match, regex.IGNORECASE | regex.MULTILINE)
        except regex.error as exc:
            raise ConfigError(f"{where}: invalid regex {match!r}: {exc}",
                              advice="Fix the expression, or use algorithm = \"literal\"") from exc
    elif algorithm == "literal":
        compiled = regex.compile(rf"(?<!\w){regex.escape(match.lower())}(?!\w)")
    return Rule(cast(Algorithm, algorithm), match.lower() if algorithm != "regex" else match,
                weight, compiled)


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rule file {path} is not valid TOML: {exc}",
                          advice="Fix the line named above") from exc


def _rules_of(entry: dict[str, Any], where: str) -> tuple[Rule, ...]:
    raw_rules = entry.get("rules", [])
    if "match" in entry:
        raw_rules = [*raw_rules, {"algorithm": entry.get("algorithm", "any"),
                                  "match": entry["match"]}]
    return tuple(make_rule(r, f"{where}, rule {i + 1}") for i, r in enumerate(raw_rules))


def _shipped(name: str) -> Path:
    return Path(str(resources.files("config") / "rules" / name))


def _pick(rules_dir: Path | None, name: str) -> Path:
    if rules_dir is not None and (rules_dir / name).is_file():
        return rules_dir / name
    return _shipped(name)


def load_rules(rules_dir: Path | None = None) -> RuleSet:
    """Shipped rules, each file replaced by the user's copy in `rules_dir` where present."""
    types_path = _pick(rules_dir, "types.toml")
    types_doc = _load_toml(types_path)
    types: list[TypeRule] = []
    for i, entry in enumerate(types_doc.get("type", [])):
        where = f"{types_path}: type #{i + 1}"
        slug = entry.get("slug")
        if not isinstance(slug, str) or not regex.fullmatch(r"[a-z0-9_]+", slug):
            raise ConfigError(f"{where}: slug must be lower-case letters, digits and _",
                              advice="e.g. slug = \"tax_form\"")
        types.append(TypeRule(slug, str(entry.get("name", slug)), int(entry.get("priority", 50)),
                              _rules_of(entry, f"{where} ({slug})")))
    if not any(t.slug == "other" for t in types):
        types.append(TypeRule("other", "Other", 0, ()))
    named: dict[str, list[NamedRule]] = {}
    for file_name, key in (("correspondents.toml", "correspondent"), ("tags.toml", "tag")):
        path = _pick(rules_dir, file_name)
        doc = _load_toml(path)
        items = []
        for i, entry in enumerate(doc.get(key, [])):
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ConfigError(f"{path}: {key} #{i + 1} has no name")
            aliases = [{"algorithm": "literal", "match": a} for a in entry.get("aliases", [])]
            rules = _rules_of({**entry, "rules": [*entry.get("rules", []), *aliases]},
                              f"{path}: {key} {name!r}")
            if not rules:
                rules = (make_rule({"algorithm": "literal", "match": name}, path.name),)
            items.append(NamedRule(name.strip(), rules))
        named[key] = items
    return RuleSet(tuple(types), tuple(named["correspondent"]), tuple(named["tag"]),
                   float(types_doc.get("min_score", 2.0)))
