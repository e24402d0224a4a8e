"""The document's own date, in Indonesian and English forms, never a due date or the future."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

# Each pattern names its groups; numbers glued to other digits or separators (account and
# invoice numbers) never match.
PATTERNS = [
    re.compile(rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s.-]+(?P<m>{_MONTH})\.?,?[\s.-]+"
               rf"(?P<y>\d{{4}})(?![\w])", re.IGNORECASE),
    re.compile(rf"(?<![\w])(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
               rf"(?P<y>\d{{4}})(?![\w])", re.IGNORECASE),
    re.compile(r"(?<![\w/.-])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\w/-]|\.\d)"),
    re.compile(r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
               r"(?![\w/-]|\.\d)"),
]

GOOD_LABELS = re.compile(
    r"(tanggal|tgl|date[d]?|invoice date|tanggal faktur|issued|diterbitkan|pada hari)\s*[:.]?\s*$",
    re.IGNORECASE,
)
BAD_LABELS = re.compile(
    r"(jatuh tempo|due|tempo|lahir|birth|berlaku|valid|expir|periode|period|s/d|sampai|until|"
    r"hingga|from|dari tanggal|paid on|dibayar|batas)\W*(date|tanggal|tgl)?\s*[:.]?\s*$",
    re.IGNORECASE,
)
PLACE_DATE_LINE = re.compile(r"^\s*[A-Z][A-Za-z .]{2,30},\s*$")


@dataclass(frozen=True)
class DateCandidate:
    value: date
    text: str
    line: int
    score: float
    why: str


def _to_date(match: re.Match[str], order: str) -> date | None:
    groups = match.groupdict()
    try:
        year = int(groups["y"])
        if groups.get("m") and not groups["m"].isdigit():
            month = MONTHS[groups["m"].lower()]
            day = int(groups["d"])
        elif "a" in groups and groups.get("a"):
            first, second = int(groups["a"]), int(groups["b"])
            day, month = (second, first) if order == "MDY" else (first, second)
        else:
            month, day = int(groups["m"]), int(groups["d"])
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


def find_dates(text: str, *, today: date | None = None, order: str = "DMY",
               max_lines: int = 400) -> list[DateCandidate]:
    """Every plausible date in `text`, best first."""
    today = today or date.today()
    out: list[DateCandidate] = []
    lines = text.splitlines()[:max_lines]
    for number, line in enumerate(lines):
        for pattern in PATTERNS:
            for match in pattern.finditer(line):
                value = _to_date(match, order)
                if value is None or value > today or value.year < 1950:
                    continue
                before = line[: match.start()]
                score, why = 1.0 - min(number, 60) / 100.0, "found"
                if GOOD_LABELS.search(before):
                    score, why = score + 3, "next to a date label"
                elif PLACE_DATE_LINE.match(before) or re.search(r"[A-Z][a-z]+,\s*$", before):
                    score, why = score + 3, "place-and-date line"
                if BAD_LABELS.search(before):
                    score, why = score - 5, "next to a due/birth/period label"
                out.append(DateCandidate(value, match.group(0), number + 1, score, why))
    out.sort(key=lambda c: (-c.score, c.line))
    return out


def document_date(text: str, *, today: date | None = None, order: str = "DMY") -> \
        DateCandidate | None:
    candidates = find_dates(text, today=today, order=order)
    return candidates[0] if candidates else None
