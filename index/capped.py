"""Relevance ranking with a bounded amount of work.

Whoosh scores every matching document in Python (tens of microseconds each), and for a word
that most documents contain its block-quality skipping cannot help: in a 100,000-document
archive `arsip search pembayaran` would score 70,000 documents, seconds of work. The ranked
search here stops after scoring `cap` candidates and ranks those: the segments written last
(the newest documents) first. A query with fewer matches than `cap` — anything with a rare
word, a code, a filter that narrows it — is ranked exactly as before.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta
from typing import Any

from whoosh import collectors, query, sorting

SCORED_CAP = 5_000


class _Enough(Exception):
    """Raised inside the collector once it has scored `cap` documents."""


class CappedTopCollector(collectors.TopCollector):
    def __init__(self, limit: int, cap: int) -> None:
        # replace=0: whoosh's matcher replacement drops, once it has `limit` hits, the parts of
        # a query it judges unable to beat them, and judged wrongly here: the top 3 of
        # `tagihan created:2023` or `tagihan pembayaran` were not the first 3 of the top 500.
        super().__init__(limit=limit, replace=0)
        self.cap = cap
        self.scored = 0
        self.capped = False
        self.skipped_blocks = False  # whether a segment could skip blocks of weak matches

    def set_subsearcher(self, subsearcher: Any, offset: int) -> None:
        super().set_subsearcher(subsearcher, offset)
        self.skipped_blocks = self.skipped_blocks or self._use_block_quality()

    def _collect(self, global_docnum: int, score: float) -> Any:
        """TopCollector's, but a tie goes to the lower document number whichever was seen
        first (segments are visited newest first), so an uncapped ranking is whoosh's own."""
        if self.scored >= self.cap:
            self.capped = True
            raise _Enough
        self.scored += 1
        self.total += 1
        items = self.items
        item = (score, 0 - global_docnum)
        if len(items) < self.limit:
            heapq.heappush(items, item)
            return 0 - score
        if item > items[0]:
            heapq.heapreplace(items, item)
            self.minscore = items[0][0]
            return 0 - score
        return 0


def ranked_search(searcher: Any, parsed: query.Query, *, limit: int,
                  filter_query: query.Query | None, cap: int = SCORED_CAP) -> Any:
    """`searcher.search(parsed, limit=limit, filter=filter_query)`, scoring at most `cap`
    documents; `results.capped` says whether it stopped early."""
    if filter_query is not None:
        # The filter as a part of the query, its documents at a constant score (the same for
        # every hit: the order does not change). As whoosh's `filter`, it was checked against
        # every match of the query's words, tens of thousands for a common word; intersected,
        # the words' postings skip to the filter's documents (`tagihan` from January to June
        # at 100,000 documents: 0.20 -> 0.15 s).
        parsed = query.And([parsed, query.ConstantScoreQuery(filter_query)])
    top = CappedTopCollector(limit, cap)
    top.prepare(searcher, parsed, searcher.context())
    try:
        for subsearcher, offset in reversed(list(searcher.leaf_searchers())):
            top.set_subsearcher(subsearcher, offset)
            top.collect_matches()
    except _Enough:
        pass
    finally:
        top.finish()
    results = top.results()
    results.capped = top.capped
    return results


def exact_count(results: Any) -> int:
    """How many documents matched in all. A capped search has not seen them all; and once the
    top `limit` are found, a segment whose matcher can skip blocks of weak matches never sees
    those. Whoosh recounts in that case only when the segment searched last could skip, and
    otherwise gave the count of what it had scored as the total."""
    top = results.collector
    if isinstance(top, CappedTopCollector) and \
            (top.capped or (top.skipped_blocks and top.total >= top.limit)):
        return sum(1 for _ in top.all_ids())
    return len(results)


# Date order looks at recent documents first: windows of this many days back from now.
RECENT_WINDOWS_DAYS = (92, 366, 3 * 366)


def newest_first(searcher: Any, parsed: query.Query, *, limit: int,
                 filter_query: query.Query | None, now: datetime) -> tuple[Any, bool]:
    """The `limit` newest matches (by `created`), sorting as few matches as it can.

    Sorting every match of a common word by date costs a quarter of a second at 100,000
    documents. The newest matches are usually recent, so the search looks in the last months
    first and widens only when fewer than `limit` match there: the answer is the same, since
    anything outside a window is older than everything in it (arsip dates every document: by its
    content, else by its file).
    Returns (results, complete): complete is False when a window answered, so that len(results)
    counts only the window's matches."""
    newest = sorting.FieldFacet("created", reverse=True)
    for days in RECENT_WINDOWS_DAYS:
        window = query.NumericRange("created_day", (now - timedelta(days=days)).toordinal(),
                                    None)
        results = searcher.search(query.And([parsed, window]), limit=limit,
                                  filter=filter_query, sortedby=newest)
        if results.scored_length() >= limit:
            return results, False
    return searcher.search(parsed, limit=limit, filter=filter_query, sortedby=newest), True


def count_matches(searcher: Any, parsed: query.Query, filter_query: query.Query | None) -> int:
    """Every match, counted without scoring or sorting them."""
    return len(searcher.search(parsed, limit=None, filter=filter_query, scored=False))
