"""The document's own date, in Indonesian and English forms, never a due date or the future.

Every date in the text is a candidate; its label decides how much it counts. The label is the
text just before the date on its line (what follows the last value, at most a few words):

  own        names this kind of document: `Invoice Date` on an invoice, `Tanggal Kirim` on a
             delivery note, `Pay date` on a payslip, `Tanggal Cetak` on a bank statement
  plain      just a date word: `Tanggal`, `Tgl.`, `Date`, `Hari/Tanggal`, `Date of issue`
  qualified  a date word with something else: `Tgl. Pemeriksaan`, `Date of inspection`
  foreign    names another document: `PO Date` on an invoice, `faktur … tgl.` on a receipt
  bad        due, birth, validity, period, delivery-by and next-meeting dates, and both ends
             of a range (`1 Oktober 2026 - 31 Oktober 2026`)

A place-and-date line (`Jakarta, 27 Nopember 2026`) counts like a plain label. A weekday
before the date (`Selasa, 13 Oktober 2026`) is skipped, not taken for a place. Among equals
the earlier line wins.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

from workers.classify.lowered import Lowered

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
    # Foreign invoices arrive too (Dutch, German, French); the names Indonesian and English
    # already share are above.
    "maart": 3, "augustus": 8,  # nl
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "dezember": 12,  # de
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,  # fr
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

# Each pattern names its groups; numbers glued to other digits or separators (account and
# invoice numbers) never match.
PATTERNS = [
    re.compile(rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s.-]+(?P<m>{_MONTH})\.?,?[\s.-]+"
               rf"(?P<y>\d{{4}})(?![\w])", re.IGNORECASE),
    # `August 3, 2014`; text layers also give `August 3 , 2014`
    re.compile(rf"(?<![\w])(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?,)?\s+"
               rf"(?P<y>\d{{4}})(?![\w])", re.IGNORECASE),
    re.compile(r"(?<![\w/.-])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\w/-]|\.\d)"),
    re.compile(r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
               r"(?![\w/-]|\.\d)"),
    # OCR reads one separator of 17.07.2026 as a colon or another sign: 17:07.2026, 17/07.2026
    re.compile(r"(?<![\w/.-])(?<!\d:)(?P<a>\d{1,2})(?P<sep>[-/.:])(?P<b>\d{1,2})(?!(?P=sep))[-/.]"
               r"(?P<y>\d{4})(?![\w/-]|\.\d)"),
]

# The same, for lower-cased ASCII text (workers.classify.lowered): the month names' patterns
# search it several times faster without IGNORECASE.
LOWERED_PATTERNS = [Lowered(p).twin if p.flags & re.IGNORECASE else p for p in PATTERNS]

WEEKDAY = re.compile(
    r"\b(senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?\s*,?\s*$",
    re.IGNORECASE,
)
DATE_WORDS = re.compile(r"\b(tanggal|tgl|date|dated|tertanggal|made on|signed on|dibuat pada|"
                        r"ditandatangani pada|diterbitkan|issued)\b", re.IGNORECASE)
# Words that may stand next to a date word without making it someone else's date.
NEUTRAL_WORDS = {"tanggal", "tgl", "date", "dated", "tertanggal", "hari", "issue", "issued",
                 "terbit", "diterbitkan", "dokumen", "document", "of", "the", "this", "ini", "on",
                 "made", "signed", "dibuat", "pada", "ditandatangani", "no", "nomor"}
BAD = re.compile(
    r"jatuh\s*tempo|\bdue\b|\btempo\b|lahir|birth|\bdob\b|berlaku|valid|expir|periode|period|"
    r"s/d|s\.d\b|sampai|until|hingga|\bfrom\b|dari tanggal|paid on|dibayar|batas|deadline|"
    r"berikutnya|\bnext\b|selanjutnya|mulai|sejak|terhitung|commenc|\bstart|joined|\bmasuk\b|"
    r"required|requested|diminta|\btiba\b|arrival|\beta\b|\betd\b|paling lambat|"
    r"selambat|\bby\b|\bbefore\b|sebelum",
    re.IGNORECASE,
)
# What a label says about whose date it is.
TYPE_WORDS = {
    "invoice": r"faktur|invoice|\binv\b|tagihan|billing",
    "receipt": r"terima|received|receipt|kwitansi|kuitansi|kas masuk|pembayaran|payment",
    "payslip": r"\bbayar\b|pembayaran|\bpay\b|payment|gaji|salary|payroll",
    "purchase_order": r"\bp\.?\s?o\b|\border\b|pesanan|pemesanan",
    "delivery_note": r"kirim|pengiriman|delivery|dispatch|\bsj\b|surat jalan|shipment|shipped|"
                     r"\bdo\b",
    "bank_statement": r"cetak|statement|rekening|mutasi|laporan",  # Tgl. Laporan: its own
    "report": r"laporan|report|disusun|prepared",
    "letter": r"\bsurat\b|letter",
    "contract": r"perjanjian|agreement|kontrak|contract|made on|dibuat pada|ditandatangani|signed",
}
_TYPE_RES = {slug: re.compile(words, re.IGNORECASE) for slug, words in TYPE_WORDS.items()}
RANGE_BETWEEN = re.compile(r"^\s*(-|–|—|s/d|s\.d\.?|sampai(\s+dengan)?|hingga|to|until|through|"
                           r"thru)\s*$", re.IGNORECASE)  # after a weekday is taken off the end
PLACE_DATE_LINE = re.compile(r"^\s*[A-Z][A-Za-z .]{2,30},\s*$")
PLACE_AT_END = re.compile(r"[A-Z][a-z]+,\s*$")
LABEL_WORDS = 5

# A date stamp (`DITERIMA 20 FEB 2024`, `RECEIVED 16 SEP 2024`) prints the day, the month's
# abbreviation in capitals and the year; on a scan its word is often lost to the ink's colour
# or angle, and the date, higher on the page, would beat the document's own unlabelled date.
# Without a label, that shape counts as much less as twenty lines further down.
STAMPED = re.compile(r"\d{1,2}[\s.-]+[A-Z]{3}\.?[\s.-]+\d{4}")
STAMP_PENALTY = 0.2
SCORES = {"own": 4.0, "plain": 3.0, "place": 3.0, "qualified": 1.5, "none": 0.0,
          "foreign": -1.0, "bad": -5.0, "range": -5.0}
WHY = {"own": "labelled as this document's date", "plain": "next to a date label",
       "place": "place-and-date line", "qualified": "next to a qualified date label",
       "none": "found", "foreign": "labelled as another document's date",
       "bad": "next to a due/birth/period/delivery label", "range": "one end of a range"}


@dataclass(frozen=True)
class DateCandidate:
    value: date
    text: str
    line: int
    score: float
    why: str
    label: str = ""


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
            if month > 12 >= day:  # 04/28/2026 can only be month-first (and 28/04 day-first)
                day, month = month, day
        else:
            month, day = int(groups["m"]), int(groups["d"])
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


# OCR reads a zero as the letter O next to digits: `O1 January 2026`, `2O26`, `1O/11/2026`.
ANY_DIGIT = re.compile(r"\d")
YEAR_DIGITS = re.compile(r"\d{4}")
OCR_ZERO = re.compile(r"(?<![A-Za-z])[Oo](?=\d)|(?<=\d)[Oo](?![A-Za-z])")


def date_matches(line: str) -> list[re.Match[str]]:
    """Every date-shaped piece of one line, left to right (same length, offsets kept)."""
    if not ANY_DIGIT.search(line):  # every pattern needs a year's digits: most lines go here
        return []
    line = OCR_ZERO.sub("0", line)
    if not YEAR_DIGITS.search(line):  # and every pattern needs four digits in a row
        return []
    return sorted((m for pattern in PATTERNS for m in pattern.finditer(line)),
                  key=lambda m: m.start())


def label_of(before: str) -> str:
    """The label in front of a date: the words after the last value, at most a few."""
    words: list[str] = []
    for token in reversed(before.split()):
        if any(ch.isdigit() for ch in token) or len(words) == LABEL_WORDS:
            break
        words.append(token)
    return " ".join(reversed(words))


def label_kind(label: str, doc_type: str | None) -> str:
    """own, plain, qualified, foreign, bad or none (see the module's docstring)."""
    if not label:
        return "none"
    if BAD.search(label):
        return "bad"
    letters = [ch for ch in label if ch.isalpha()]
    looks_like_label = bool(letters) and (letters[0].isupper() or label.rstrip().endswith(":"))
    has_date_word = DATE_WORDS.search(label) is not None
    owner = _TYPE_RES.get(doc_type or "")
    if owner is not None and owner.search(label) and looks_like_label and \
            (has_date_word or label.rstrip().endswith(":")):
        return "own"
    if any(rx.search(label) for slug, rx in _TYPE_RES.items() if slug != doc_type):
        return "foreign"
    if not (has_date_word and looks_like_label):
        return "none"
    words = set(re.findall(r"[a-z]+", label.lower()))
    return "plain" if words <= NEUTRAL_WORDS else "qualified"


def _is_place_date(before: str) -> bool:
    return bool(PLACE_DATE_LINE.match(before) or PLACE_AT_END.search(before))


def find_dates(text: str, *, today: date | None = None, order: str = "DMY",
               max_lines: int = 400, doc_type: str | None = None) -> list[DateCandidate]:
    """Every plausible date in `text`, best first (`doc_type` tells own labels from others)."""
    today = today or date.today()
    out: list[DateCandidate] = []
    lines = text.splitlines()[:max_lines]
    for number, line in enumerate(lines):
        matches = date_matches(line)
        in_range: set[int] = set()
        for first, second in itertools.pairwise(matches):
            if RANGE_BETWEEN.match(WEEKDAY.sub("", line[first.end():second.start()])):
                in_range.update((first.start(), second.start()))
        for match in matches:
            value = _to_date(match, order)
            if value is None or value > today or value.year < 1950:
                continue
            before = WEEKDAY.sub("", line[: match.start()])
            label = label_of(before)
            kind = label_kind(label, doc_type)
            if kind in ("none", "qualified", "foreign") and _is_place_date(before):
                kind = "place" if not BAD.search(label) else "bad"
            if match.start() in in_range:
                kind = "range"
            score = 1.0 - min(number, 60) / 100.0 + SCORES[kind]
            why = WHY[kind]
            if kind == "none" and STAMPED.fullmatch(match.group(0)):
                score -= STAMP_PENALTY
                why = "shaped like a received stamp"
            out.append(DateCandidate(value, match.group(0), number + 1, score, why, label))
    out.sort(key=lambda c: (-c.score, c.line))
    return out


def best_date(candidates: list[DateCandidate]) -> DateCandidate | None:
    """The best of find_dates' candidates that is not a due date."""
    return next((c for c in candidates if not DUE_LABEL.search(c.label)), None)


# A due date's label: `Jatuh Tempo`, `Tgl. Jatuh Tempo`, `Batas Pembayaran`, `Due Date`,
# `Payment due`, `Pay by`, and the French, Dutch and German words on foreign invoices.
DUE_LABEL = re.compile(
    r"jatuh\s*tempo|batas\s*(waktu\s*)?pembayaran|bayar\s*sebelum|tenggat|"
    r"\bdue\b|pay(ment)?\s*by|date\s*limite|[ée]ch[ée]ance|vervaldatum|f[äa]llig",
    re.IGNORECASE,
)
_DUE_LABEL = Lowered(DUE_LABEL)
DUE_LOOKAHEAD_LINES = 2
DUE_LABEL_MAX_WORDS = 3  # a label alone on its line, not a table's header (`No Item PIC Due`)
NOT_DUE = re.compile(r"\bdue\s+to\b|overdue|past\s*due|lewat", re.IGNORECASE)


@dataclass(frozen=True)
class DueDate:
    value: date
    text: str
    line: int
    label: str


def due_date(text: str, *, order: str = "DMY", max_lines: int = 400) -> DueDate | None:
    """The date a payment is due, from the first line labelled so (`Jatuh Tempo: 12 Des
    2026`, `Due Date 2026-12-12`); a label alone on its line takes the date just below it.
    Future dates are welcome here, unlike a document's own date."""
    lines = text.splitlines()[:max_lines]
    labelled = _DUE_LABEL.line_numbers(lines)  # one search, not one a line
    for number, line in enumerate(lines):
        if number not in labelled or not DUE_LABEL.search(line) or NOT_DUE.search(line):
            continue
        for match in date_matches(line):
            label = label_of(WEEKDAY.sub("", line[: match.start()]))
            value = _to_date(match, order)
            if value is not None and DUE_LABEL.search(label) and value.year >= 1950:
                return DueDate(value, match.group(0), number + 1, label)
        if date_matches(line) or len(re.findall(r"[^\W\d_]+", line)) > DUE_LABEL_MAX_WORDS:
            continue
        for offset, below in enumerate(lines[number + 1:number + 1 + DUE_LOOKAHEAD_LINES], 2):
            found = date_matches(below)
            if found and not DUE_LABEL.search(below) and not DATE_WORDS.search(below):
                value = _to_date(found[0], order)
                if value is not None and value.year >= 1950:
                    return DueDate(value, found[0].group(0), number + offset,
                                   line.strip().rstrip(":"))
    return None
