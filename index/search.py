"""The searcher: parse a query, filter, sort, highlight. It never opens the writer."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import highlight, query, sorting, spelling
from whoosh.index import Index
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.qparser.plugins import FuzzyTermPlugin, GtLtPlugin
from whoosh.query.qcore import QueryError as WhooshQueryError

from arsip.errors import IndexError_, NotFound, QueryError
from index.amount_terms import rewrite_amounts
from index.analysis import bilingual_analyzer
from index.capped import count_matches, exact_count, newest_first, ranked_search
from index.date_terms import rewrite_dates
from index.length_columns import lengths_in_memory
from index.schema import fold_code, index_is_fresh, is_dotted_number, open_index

DEFAULT_FIELDS = ["title", "content", "words", "codes", "correspondent", "number"]
MARK = "**"
SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Filters:
    type: str | None = None
    correspondent: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class SearchResult:
    hits: list[dict[str, Any]]
    total: int
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by stage (`--timing`)


class _Marker(highlight.Formatter):
    """Matches wrapped in ** … **, readable in a terminal and in JSON alike."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK}{highlight.get_text(text, token, replace)}{MARK}"


def make_parser(schema: Any) -> MultifieldParser:
    parser = MultifieldParser(DEFAULT_FIELDS, schema, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


CODE_WORD = re.compile(r"[A-Za-z0-9]+(?:[/.\-][A-Za-z0-9]+)+")
PIECE = re.compile(r'"[^"]*"|\S+')


def quote_codes(text: str) -> str:
    """A code typed bare (INV/2026/0042, BX-275045) means that code, not any of its parts."""
    def replace(match: re.Match[str]) -> str:
        piece = match.group(0)
        if len(piece) > 2 and piece[0] == piece[-1] == '"' and CODE_WORD.fullmatch(piece[1:-1]):
            piece = piece[1:-1]  # "INV/2026/0042" quoted is the same code
        if piece.startswith('"') or ":" in piece or not CODE_WORD.fullmatch(piece) or \
                not any(ch.isdigit() for ch in piece):
            return piece
        folded = fold_code(piece)
        # A number typed as OCR misreads it (13.299.OOO): content holds the printed one whole.
        number = f' OR "{folded}"' if is_dotted_number(folded) and folded != piece.lower() else ""
        return f'(codes:{piece.lower()} OR codes:{folded} OR "{piece}"{number})'
    return PIECE.sub(replace, text)


def parse_query(text: str, schema: Any) -> query.Query:
    """The user's query, or QueryError with a readable reason."""
    text = text.strip()
    if text in ("", "*"):
        return query.Every()
    rewritten = quote_codes(rewrite_amounts(rewrite_dates(text)))
    try:
        parsed = make_parser(schema).parse(rewritten)
    except Exception as exc:
        raise QueryError(f"cannot understand the query {text!r} ({exc})") from exc
    parsed = parsed.accept(_phrases_only_on_text).normalize()
    if parsed is query.NullQuery:
        raise QueryError(f"the query {text!r} has nothing to search for")
    return parsed


POSITIONAL = {"title", "content", "correspondent"}


def _phrases_only_on_text(node: query.Query) -> query.Query:
    """Fields without positions (codes, number, tag) cannot take phrases: drop those parts."""
    if isinstance(node, query.Phrase) and node.fieldname not in POSITIONAL:
        return query.NullQuery
    return node


def filter_query(filters: Filters) -> query.Query | None:
    parts: list[query.Query] = []
    if filters.type:
        parts.append(query.Term("type", filters.type.lower()))
    if filters.correspondent:
        words = [t.text for t in bilingual_analyzer()(filters.correspondent)]
        parts.append(query.Or([
            query.Term("correspondent_exact", filters.correspondent.lower()),
            query.And([query.Term("correspondent", w) for w in words]),
        ]))
    if filters.tag:
        parts.append(query.Term("tag", filters.tag.lower()))
    if filters.date_from or filters.date_to:
        parts.append(query.NumericRange(
            "created_day", filters.date_from.toordinal() if filters.date_from else None,
            filters.date_to.toordinal() if filters.date_to else None))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def open_for_search(index_dir: Path) -> Index:
    """The index, or a readable error when there is none or it has an older schema (its
    fields are not the ones the queries use until the index writer rebuilds it)."""
    try:
        ix = open_index(index_dir, create=False)
    except (FileNotFoundError, OSError) as exc:
        raise IndexError_(f"there is no index at {index_dir} yet",
                          advice="Drop a file into the inbox, or run `arsip reindex`") from exc
    except Exception as exc:
        raise IndexError_(f"the index at {index_dir} cannot be read ({exc})") from exc
    if not index_is_fresh(index_dir):
        ix.close()
        raise IndexError_(
            f"the index at {index_dir} was built by an earlier version of arsip",
            advice="Start arsip (`arsip run`, or the index worker), which rebuilds it from the "
                   "sidecars, or run `arsip reindex`; then search again")
    return ix


def hit_dict(hit: Any) -> dict[str, Any]:
    """Exactly the fields of the command-line contract."""
    snippet = hit.highlights("content", top=2) or hit.highlights("title") or \
        (hit.get("content") or "")[:160]
    created = hit.get("created")
    return {
        "id": hit["id"],
        "path": hit["path"],
        "title": hit.get("title") or "",
        "type": hit.get("type") or "other",
        "correspondent": hit.get("correspondent") or None,
        "created": created.date().isoformat() if created else None,
        "tags": [t for t in (hit.get("tag") or "").split(",") if t],
        "score": round(float(hit.score or 0.0), 3),
        "snippet": " ".join(snippet.split()),
    }


FACETS = {"type": "type", "correspondent": "correspondent_exact", "year": "year"}
HIGHLIGHTED = ("content", "title")
MAX_NARROWED_ROOTS = 64


class _RootsOnly:
    """A field's analyzer that roots only the words that can match one of the query's roots:
    snippets re-analyse each shown document, and rooting every word of it (Sastrawi, cold in
    a fresh process) was most of a search's time."""

    def __init__(self, analyzer: Any, roots: frozenset[str]) -> None:
        self.analyzer, self.roots = analyzer, roots

    def __call__(self, value: str, **kwargs: Any) -> Any:
        return self.analyzer(value, wanted=self.roots, **kwargs)


def _narrow_highlighting(results: Any) -> dict[str, Any]:
    """Give the highlighted fields a _RootsOnly analyzer; returns the analyzers replaced."""
    schema = results.searcher.schema
    replaced: dict[str, Any] = {}
    for name in HIGHLIGHTED:
        field_type = schema[name]
        roots = frozenset(field_type.from_bytes(text) for _, text in
                          results.query_terms(expand=True, fieldname=name))
        if len(roots) <= MAX_NARROWED_ROOTS:
            replaced[name] = field_type.analyzer
            field_type.analyzer = _RootsOnly(field_type.analyzer, roots)
    return replaced


def search(index_dir: Path, text: str, *, filters: Filters = Filters(), limit: int = 10,
           sort: str = "relevance", like: str | None = None,
           facets: bool = False, count: bool = True) -> SearchResult:
    """Hits as plain dicts, with a suggestion when nothing matched and optional facet counts.

    `count=False`: `total` is only the hits returned (counting every match of a common word
    in a large archive costs as much again as finding the best ones)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    ix = open_for_search(index_dir)
    try:
        with ix.searcher() as searcher:
            lengths_in_memory(searcher)
            opened = time.perf_counter()
            extra = filter_query(filters)
            kwargs: dict[str, Any] = {"limit": limit, "filter": extra}
            if sort == "date":
                kwargs["sortedby"] = sorting.FieldFacet("created", reverse=True)
            if facets:
                kwargs["groupedby"] = {name: sorting.FieldFacet(f, allow_overlap=False)
                                       for name, f in FACETS.items()}
            if like:
                docnum = searcher.document_number(id=like)
                if docnum is None:
                    raise NotFound(f"no document with id {like!r} in the index")
                parsed: query.Query = query.And([
                    _more_like(searcher, docnum), query.Not(query.Term("id", like))])
            else:
                parsed = parse_query(text, ix.schema)
            complete = True
            try:
                if facets:  # every match counts
                    results = searcher.search(parsed, **kwargs)
                elif sort == "date":
                    results, complete = newest_first(searcher, parsed, limit=limit,
                                                     filter_query=extra, now=datetime.now())
                else:
                    results = ranked_search(searcher, parsed, limit=limit, filter_query=extra)
            except WhooshQueryError as exc:
                raise QueryError(f"cannot run the query {text!r} ({exc})") from exc
            matched = time.perf_counter()
            results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
            results.fragmenter.charlimit = None  # look past the first 32 KB of long documents
            results.formatter = _Marker()
            replaced = _narrow_highlighting(results)
            try:
                # Counting facets collects every match (whoosh then ignores the limit): only the
                # best `limit` are made into hits, each with its snippet.
                hits = [hit_dict(h) for h in itertools.islice(results, limit)]
            finally:
                for name, analyzer in replaced.items():
                    results.searcher.schema[name].analyzer = analyzer
            if not count:
                total = len(hits)
            elif complete:
                total = exact_count(results)
            else:
                total = count_matches(searcher, parsed, extra)
            out = SearchResult(hits=hits, total=total)
            shown = time.perf_counter()
            if facets:
                for name in FACETS:
                    groups = sorted(results.groups(name).items(), key=lambda kv: -len(kv[1]))
                    out.facets[name] = {
                        _facet_label(searcher, name, key, docnums): len(docnums)
                        for key, docnums in groups if key is not None}
            if not out.hits and not like and text.strip() not in ("", "*"):
                # prefix=1: suggestions keep the first letter (typos rarely change it); without
                # it, a large archive's word lists take seconds to search
                corrected = searcher.correct_query(parsed, text,
                                                   correctors=_correctors(searcher), prefix=1)
                if corrected.query != parsed:
                    out.suggestion = corrected.string
            done = time.perf_counter()
            out.timings = {"open": opened - started, "match": matched - opened,
                           "hits": shown - matched, "rest": done - shown,
                           "total": done - started, "cpu": time.process_time() - cpu_started}
            return out
    finally:
        ix.close()


class _SegmentsCorrector(spelling.Corrector):
    """whoosh's ReaderCorrector (the same words, ranked the same), finding the words within
    the edit distance segment by segment: each segment walks its word list with an automaton,
    while a reader over several segments compares the query word with every word indexed."""

    def __init__(self, reader: Any, fieldname: str) -> None:
        self.reader, self.fieldname = reader, fieldname

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Any:
        spelled = self.reader.schema[self.fieldname].spelling_fieldname(self.fieldname)
        words = {word for leaf, _ in self.reader.leaf_readers()
                 for word in leaf.terms_within(spelled, text, maxdist, prefix=prefix)}
        for word in words:
            frequency = self.reader.frequency(self.fieldname, word) or 1
            yield 0 - (maxdist + (1.0 / frequency * 0.5)), word


def _correctors(searcher: Any) -> dict[str, spelling.Corrector] | None:
    reader = searcher.reader()
    if reader.is_atomic():
        return None
    return {name: _SegmentsCorrector(reader, name) for name in searcher.schema.names()}


def _facet_label(searcher: Any, name: str, key: Any, docnums: list[int]) -> str:
    """Correspondents are grouped lower-cased; show them as a document spells them."""
    if name == "correspondent" and docnums:
        return str(searcher.stored_fields(docnums[0]).get("correspondent") or key)
    return str(key)


def _more_like(searcher: Any, docnum: int) -> query.Query:
    """Key terms of one document's content as an OR query."""
    terms = searcher.key_terms([docnum], "content", numterms=12)
    if not terms:
        return query.NullQuery
    return query.Or([query.Term("content", word, boost=weight) for word, weight in terms])
