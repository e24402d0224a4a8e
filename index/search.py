"""The searcher: parse a query, filter, sort, highlight. It never opens the writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from whoosh import highlight, query
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.qparser.plugins import FuzzyTermPlugin

from arsip.errors import IndexError_, QueryError
from index.schema import open_index

DEFAULT_FIELDS = ["title", "content", "codes", "correspondent", "number"]
MARK_OPEN, MARK_CLOSE = "**", "**"


@dataclass(frozen=True)
class Filters:
    type: str | None = None
    correspondent: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class _Marker(highlight.Formatter):
    """Matches wrapped in ** … **, readable in a terminal and in JSON alike."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"{MARK_OPEN}{highlight.get_text(text, token, replace)}{MARK_CLOSE}"


def parse_query(text: str, schema: Any) -> query.Query:
    text = text.strip()
    if text in ("", "*"):
        return query.Every()
    parser = MultifieldParser(DEFAULT_FIELDS, schema, group=OrGroup.factory(0.9))
    parser.add_plugin(DateParserPlugin(basedate=datetime.now(), free=False))
    parser.add_plugin(FuzzyTermPlugin())
    try:
        parsed = parser.parse(text)
    except Exception as exc:
        raise QueryError(f"cannot understand the query {text!r}: {exc}") from exc
    errors = [q for q in parsed.leaves() if isinstance(q, query.qcore._NullQuery)] \
        if hasattr(query, "qcore") else []
    if parsed is query.NullQuery or (errors and len(errors) == len(list(parsed.leaves()))):
        raise QueryError(f"the query {text!r} has nothing to search for")
    return parsed


def filter_query(filters: Filters) -> query.Query | None:
    parts: list[query.Query] = []
    if filters.type:
        parts.append(query.Term("type", filters.type.lower()))
    if filters.correspondent:
        parts.append(query.Or([
            query.Term("correspondent_exact", filters.correspondent.lower()),
            query.And([query.Term("correspondent", w) for w in _analyse(filters.correspondent)]),
        ]))
    if filters.tag:
        parts.append(query.Term("tag", filters.tag.lower()))
    if filters.date_from or filters.date_to:
        start = datetime.combine(filters.date_from, datetime.min.time()) \
            if filters.date_from else None
        end = datetime.combine(filters.date_to + timedelta(days=1), datetime.min.time()) \
            - timedelta(microseconds=1) if filters.date_to else None
        parts.append(query.DateRange("created", start, end))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def _analyse(text: str) -> list[str]:
    from index.schema import build_schema

    analyzer = build_schema()["correspondent"].analyzer
    return [t.text for t in analyzer(text)] or [text.lower()]


def search(index_dir: Path, text: str, *, filters: Filters = Filters(), limit: int = 10,
           sort: str = "relevance") -> list[dict[str, Any]]:
    """Hits as plain dicts: id, path, title, type, correspondent, created, tags, score, snippet."""
    try:
        ix = open_index(index_dir, create=False)
    except FileNotFoundError as exc:
        raise IndexError_(f"there is no index at {index_dir} yet",
                          advice="Drop a file into the inbox, or run `arsip reindex`") from exc
    with ix.searcher() as searcher:
        parsed = parse_query(text, ix.schema)
        extra = filter_query(filters)
        kwargs: dict[str, Any] = {"limit": limit, "filter": extra, "terms": True}
        if sort == "date":
            kwargs["sortedby"] = "created"
            kwargs["reverse"] = True
        results = searcher.search(parsed, **kwargs)
        results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=60)
        results.fragmenter.charlimit = None  # look past the first 32 KB of long documents
        results.formatter = _Marker()
        hits = []
        for hit in results:
            snippet = hit.highlights("content", top=2) or hit.highlights("title") or \
                (hit.get("content") or "")[:160].replace("\n", " ")
            created = hit.get("created")
            hits.append({
                "id": hit["id"],
                "path": hit["path"],
                "title": hit.get("title") or "",
                "type": hit.get("type") or "other",
                "correspondent": hit.get("correspondent") or None,
                "created": created.date().isoformat() if created else None,
                "tags": [t for t in (hit.get("tag") or "").split(",") if t],
                "score": round(float(hit.score or 0.0), 3),
                "snippet": " ".join(snippet.split()),
            })
    ix.close()
    return hits
