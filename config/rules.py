"""Rule files: document types, correspondents and tags, validated when loaded.

A bad rule file fails at start-up naming the file, the line and the entry, never later per
document. tomllib gives no line numbers for values, so the line is found by scanning the file's
text: the entry's `[[type]]`/`[[tag]]` header, then the offending value inside that entry.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

import regex
import tomllib
from rapidfuzz import fuzz

from arsip.errors import ConfigError
from config.literal_prefilter import Needs, may_match, required_literals

Algorithm = Literal["any", "all", "literal", "regex", "fuzzy", "none"]
ALGORITHMS = ("any", "all", "literal", "regex", "fuzzy", "none")
REGEX_TIMEOUT_SECONDS = 0.5
FUZZY_THRESHOLD = 88.0


@functools.lru_cache(maxsize=4096)
def _whole_word(word: str) -> Any:
    """`word` as a whole word (an `any`/`all` rule's word), compiled once."""
    return regex.compile(rf"\b{regex.escape(word)}\b")


WORD_CHARS = regex.compile(r"\w+")


@functools.lru_cache(maxsize=16)
def _words_of(text: str) -> frozenset[str]:
    """The text's words (maximal runs of word characters), found once for every rule."""
    return frozenset(WORD_CHARS.findall(text))


def _has_whole_word(word: str, text: str) -> bool:
    """`\bword\b` in `text`. A word made of word characters only is such a match exactly
    when it is one of the text's words: a set lookup instead of a search of the text for each
    rule's word (a third of classifying a document was these searches)."""
    if word not in text:  # most words are not in the text at all
        return False
    if WORD_CHARS.fullmatch(word):
        return word in _words_of(text)
    return _whole_word(word).search(text) is not None


@dataclass(frozen=True)
class Rule:
    """One match: an algorithm and what it looks for, with a weight for scoring."""

    algorithm: Algorithm
    match: str
    weight: float = 1.0
    compiled: Any = field(default=None, compare=False, repr=False)
    needs: Needs | None = field(default=None, compare=False, repr=False)  # regex: a prefilter

    def find(self, text: str) -> str | None:
        """The matched excerpt in lower-cased `text`, or None."""
        if self.algorithm == "none" or not self.match:
            return None
        if self.algorithm == "regex":
            if not may_match(self.needs, text):
                return None
            try:
                found = self.compiled.search(text, timeout=REGEX_TIMEOUT_SECONDS)
            except TimeoutError:
                return None
            return found.group(0) if found else None
        if self.algorithm == "literal":
            return self.match if self.match in text and self.compiled.search(text) else None
        if self.algorithm == "fuzzy":
            result = fuzz.partial_ratio_alignment(self.match, text)
            if result is not None and result.score >= FUZZY_THRESHOLD:
                return text[result.dest_start:result.dest_end]
            return None
        words = self.match.split()
        hits = [w for w in words if _has_whole_word(w, text)]
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
    """A correspondent or a tag: a name and the rules that recognise it (a tag also comes with
    the document types it lists)."""

    name: str
    rules: tuple[Rule, ...]
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    types: tuple[TypeRule, ...]
    correspondents: tuple[NamedRule, ...]
    tags: tuple[NamedRule, ...]
    min_type_score: float

    @property
    def type_slugs(self) -> list[str]:
        return [t.slug for t in self.types]

    def tags_of_types(self) -> dict[str, tuple[str, ...]]:
        """For each type, the tags a document of that type gets (tags.toml's `types`)."""
        return {slug: tuple(tag.name for tag in self.tags if slug in tag.types)
                for slug in self.type_slugs}


def entry_line(source: str, table: str, index: int, needle: str | None = None) -> int | None:
    """The 1-based line of the `index`-th (0-based) `[[table]]` entry of a TOML text, or of
    the first line inside that entry that holds `needle` as a TOML string or key."""
    lines = source.splitlines()
    header = regex.compile(rf"^\s*\[\[\s*{regex.escape(table)}\s*\]\]")
    starts = [n for n, line in enumerate(lines) if header.match(line)]
    if index >= len(starts):
        return None
    start = starts[index]
    end = next((n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")
                and not lines[n].lstrip().startswith("[{")), len(lines))
    if needle is not None:
        forms = [json.dumps(needle, ensure_ascii=False), f"'{needle}'", f"{needle} ="]
        for n in range(start, end):
            if any(form in lines[n] for form in forms):
                return n + 1
    return start + 1


def _regex_flags(pattern: str) -> int:
    """A rule's regex runs on lower-cased text, case-insensitively. A pattern with no capital
    letter and no Unicode property needs no IGNORECASE there (which costs the regex module up
    to five times the time on alternations of words), and finds exactly the same."""
    if pattern == pattern.lower() and "\\p" not in pattern:
        return regex.MULTILINE
    return regex.IGNORECASE | regex.MULTILINE


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
    if not math.isfinite(weight):  # TOML reads inf and nan; a score cannot be either
        raise ConfigError(f"{where}: weight must be a finite number, not {weight!r}",
                          advice="Give a weight such as 1, 2 or 0.5")
    compiled: Any = None
    needs: Needs | None = None
    if algorithm == "regex":
        needs = required_literals(match, _regex_flags(match))
        try:
            compiled = regex.compile(match, _regex_flags(match))
        except regex.error as exc:
            raise ConfigError(f"{where}: invalid regex {match!r}: {exc}",
                              advice="Fix the expression, or use algorithm = \"literal\"") from exc
    elif algorithm == "literal":
        compiled = regex.compile(rf"(?<!\w){regex.escape(match.lower())}(?!\w)")
    return Rule(cast(Algorithm, algorithm), match.lower() if algorithm != "regex" else match,
                weight, compiled, needs)


def _load_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed file and its text (to find the line of a bad entry)."""
    try:
        source = path.read_text(encoding="utf-8")
        return tomllib.loads(source), source
    except UnicodeDecodeError as exc:
        raise ConfigError(f"rule file {path} is not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rule file {path} is not valid TOML: {exc}",
                          advice="Fix the line named above") from exc


class _Locator:
    """Names `file:line` for an entry of one rule file, and re-raises errors with it."""

    def __init__(self, path: Path, source: str, table: str) -> None:
        self.path, self.source, self.table = path, source, table

    def where(self, index: int, needle: str | None = None) -> str:
        line = entry_line(self.source, self.table, index, needle)
        return f"{self.path}:{line}" if line else str(self.path)

    def rules_of(self, entry: dict[str, Any], index: int, label: str) -> tuple[Rule, ...]:
        """The entry's rules; a bad one fails naming the file, its line and the entry."""
        raw_rules = entry.get("rules", [])
        if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
            raise ConfigError(f"{self.where(index, 'rules')}: {label}: rules must be a list "
                              "of { algorithm = …, match = … } tables")
        if "match" in entry:
            raw_rules = [*raw_rules, {"algorithm": entry.get("algorithm", "any"),
                                      "match": entry["match"]}]
        rules = []
        for i, raw in enumerate(raw_rules):
            try:
                rules.append(make_rule(raw, f"{label}, rule {i + 1}"))
            except ConfigError as exc:
                needle = str(raw.get("match", "")) or None
                raise ConfigError(f"{self.where(index, needle)}: {exc.message}",
                                  advice=exc.advice or None) from exc
        return tuple(rules)


def _known_types(value: Any, slugs: list[str], locate: _Locator, index: int, label: str, *,
                 strict: bool) -> tuple[str, ...]:
    """A tag's `types`: in the user's file each must be a type the rules define; the shipped
    file's tags for types the user's own types.toml does not have are left out."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{locate.where(index, 'types')}: {label}: types must be a list of "
                          "type slugs")
    for slug in value:
        if slug not in slugs and strict:
            raise ConfigError(f"{locate.where(index, slug)}: {label}: unknown type {slug!r}",
                              advice=f"Use one of {', '.join(slugs)}")
    return tuple(slug for slug in value if slug in slugs)


def _shipped(name: str) -> Path:
    return Path(str(resources.files("config") / "rules" / name))


def _pick(rules_dir: Path | None, name: str) -> Path:
    if rules_dir is not None and (rules_dir / name).is_file():
        return rules_dir / name
    return _shipped(name)


def load_rules(rules_dir: Path | None = None) -> RuleSet:
    """Shipped rules, each file replaced by the user's copy in `rules_dir` where present."""
    types_path = _pick(rules_dir, "types.toml")
    types_doc, types_source = _load_toml(types_path)
    locate = _Locator(types_path, types_source, "type")
    types: list[TypeRule] = []
    for i, entry in enumerate(types_doc.get("type", [])):
        slug = entry.get("slug")
        if not isinstance(slug, str) or not regex.fullmatch(r"[a-z0-9_]+", slug):
            raise ConfigError(f"{locate.where(i, 'slug')}: type #{i + 1}: slug must be "
                              "lower-case letters, digits and _", advice="e.g. slug = \"tax_form\"")
        try:
            priority = int(entry.get("priority", 50))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{locate.where(i, 'priority')}: type {slug!r}: priority must be "
                              "a whole number") from exc
        types.append(TypeRule(slug, str(entry.get("name", slug)), priority,
                              locate.rules_of(entry, i, f"type {slug!r}")))
    if not any(t.slug == "other" for t in types):
        types.append(TypeRule("other", "Other", 0, ()))
    slugs = [t.slug for t in types]
    named: dict[str, list[NamedRule]] = {}
    for file_name, key in (("correspondents.toml", "correspondent"), ("tags.toml", "tag")):
        path = _pick(rules_dir, file_name)
        doc, source = _load_toml(path)
        locate = _Locator(path, source, key)
        items = []
        for i, entry in enumerate(doc.get(key, [])):
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ConfigError(f"{locate.where(i)}: {key} #{i + 1} has no name")
            aliases = [{"algorithm": "literal", "match": a} for a in entry.get("aliases", [])]
            of_types = _known_types(entry.get("types", []), slugs, locate, i, f"{key} {name!r}",
                                    strict=path != _shipped(file_name))
            rules = locate.rules_of({**entry, "rules": [*entry.get("rules", []), *aliases]}, i,
                                    f"{key} {name!r}")
            if not rules and not of_types:
                rules = (make_rule({"algorithm": "literal", "match": name}, path.name),)
            items.append(NamedRule(name.strip(), rules, of_types))
        named[key] = items
    return RuleSet(tuple(types), tuple(named["correspondent"]), tuple(named["tag"]),
                   float(types_doc.get("min_score", 2.0)))
