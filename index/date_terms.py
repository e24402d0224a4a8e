"""Date clauses in queries: `created:2026-11`, `created:[2026-01-01 to 2026-03-31]`, and
relative ones (`created:yesterday`, `created:"last month"`) rewritten into plain ranges.

Whoosh's own date plugin misreads ISO range ends and crashes on relative dates without a base
date, so arsip reads these clauses itself and hands Whoosh ranges of day numbers, on fields of
their own (`created_day`): a range over whoosh's DATETIME field cost hundreds of terms.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from arsip.errors import QueryError

CLAUSE = re.compile(r'\b(?P<field>created|added|due):(?P<value>\[[^\]]*\]|"[^"]*"|\S+)',
                    re.IGNORECASE)
ISO = re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$")
LAST_N = re.compile(r"^last (\d+) (day|week|month|year)s?$")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _relative(words: str, today: date) -> tuple[date, date] | None:
    words = " ".join(words.lower().replace("_", " ").split())
    if words in ("today", "hari ini"):
        return today, today
    if words in ("yesterday", "kemarin"):
        return today - timedelta(days=1), today - timedelta(days=1)
    if words in ("this week", "minggu ini"):
        return today - timedelta(days=today.weekday()), today
    if words in ("last week", "minggu lalu"):
        start = today - timedelta(days=today.weekday() + 7)
        return start, start + timedelta(days=6)
    if words in ("this month", "bulan ini"):
        return _month_start(today), today
    if words in ("last month", "bulan lalu"):
        end = _month_start(today) - timedelta(days=1)
        return _month_start(end), end
    if words in ("this year", "tahun ini"):
        return today.replace(month=1, day=1), today
    if words in ("last year", "tahun lalu"):
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    match = LAST_N.match(words)
    if match:
        n, unit = int(match[1]), match[2]
        days = {"day": 1, "week": 7, "month": 31, "year": 366}[unit] * n
        return today - timedelta(days=days), today
    return None


def _period(value: str, clause: str) -> tuple[date, date]:
    """The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    parts = [int(p) for p in value.split("-")]
    try:
        first = date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise QueryError(f"{clause}: {value!r} is not a date ({exc})") from exc
    if len(parts) == 3:
        return first, first
    if len(parts) == 2:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - timedelta(days=1)
    return first, date(first.year, 12, 31)


def _bound(value: str, clause: str, today: date, *, end: bool) -> str:
    value = value.strip().strip('"')
    if not value:
        return ""
    if ISO.match(value):
        span = _period(value, clause)
    else:
        relative = _relative(value, today)
        if relative is None:
            raise QueryError(f"cannot read the date {value!r} in {clause}",
                             advice="Write YYYY, YYYY-MM or YYYY-MM-DD, a range "
                             "[2026-01-01 to 2026-03-31], or today, yesterday, 'last month', "
                             "'this year', 'last 30 days'")
        span = relative
    return str((span[1] if end else span[0]).toordinal())


def rewrite_dates(text: str, today: date | None = None) -> str:
    """The query with every date clause as a range of day numbers (the `*_day` fields)."""
    today = today or date.today()

    def replace(match: re.Match[str]) -> str:
        field, value, clause = match["field"].lower(), match["value"], match.group(0)
        if value.startswith("["):
            inner = value[1:-1]
            pieces = re.split(r"\s+to\s+|^to\s+|\s+to$", inner.strip(), maxsplit=1,
                              flags=re.IGNORECASE)
            if len(pieces) != 2:
                raise QueryError(f"{clause}: write a range as [START to END]")
            first, last = pieces
        else:
            first = last = value  # a single date, month, year or relative span
        start = _bound(first, clause, today, end=False)
        stop = _bound(last, clause, today, end=True)
        return f"{field}_day:[{start} to {stop}]".replace("[ to", "[to").replace(" to ]", " to]")

    return CLAUSE.sub(replace, text)
