"""Title, document number and language, read from the text."""

from __future__ import annotations

import re
from datetime import date

from workers.classify.lowered import Lowered

SUBJECT = re.compile(r"^\s*(perihal|hal|subject|subjek|re|regarding|tentang)\s*[:.]\s*(?P<v>.+)$",
                     re.IGNORECASE | re.MULTILINE)
NUMBER = re.compile(
    r"(?<![A-Za-z])(?:nomor|no(?![A-Za-z])\.?|number|#|ref(?:erence)?\.?)\s*"
    r"(?:faktur|invoice|surat\s*jalan|surat|po|order|dokumen|"
    r"kwitansi|kuitansi|receipt|sj|do|struk|slip|bukti|nota|laporan|report|kontrak|contract|"
    r"agreement|perjanjian|spk|pesanan|statement)?\s*(?:no\.?|#)?\s*[:.#]?\s*"
    r"(?P<v>[A-Z0-9][A-Z0-9]*(?:[/.\-][A-Z0-9]+)+|[A-Z]{0,5}\d[A-Z0-9]{3,})",
    re.IGNORECASE,
)
NUMBER_LABEL_FIRST = re.compile(
    r"(?:invoice|faktur|po|order|surat|kwitansi|receipt|delivery|sj|factuur|facture|rechnungs?)"
    r"\s*(?:no\.?|number|nomor|nummer|n°|nr\.?|#)\s*[:.#]?\s*#?\s*"
    r"(?P<v>[A-Z0-9][A-Z0-9_/.\-]{2,})",
    re.IGNORECASE,
)
# The number right after the document's title: `Invoice INV/2023/03/0008`, `Purchase Order
# PO-2026-3303`.
NUMBER_AFTER_TITLE = re.compile(
    r"^\s*(?:[^\d\n/:]{2,30}/\s*)?(?:tax\s+|sales\s+|commercial\s+)?"
    r"(?:invoice|faktur|purchase\s+order|receipt|"
    r"kwitansi|delivery\s+(?:note|order)|surat\s+jalan)\s*[:#]?\s+"
    r"(?P<v>[A-Z0-9]+(?:[/.\-_][A-Z0-9]+)+|[A-Z]{1,5}\d{4,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A code after a label of its own on a heading line: `Nota : KWT/2508/III/2026`, `Kode:
# BRO-2607-71`, `Reference : STM/202604/018343`.
NUMBER_AFTER_LABEL = re.compile(
    r"^\s*(?:nota|bill|kode|code|ref(?:erensi|erence)?\.?|nomor|no\.?)\s*[:.]\s*"
    r"(?P<v>[A-Z0-9]+(?:[/.\-_][A-Z0-9]+)+|[A-Z]{0,5}\d{5,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A number label alone on its line, the value alone on the next (a form's two-line cell):
# `Booking ID` / `IBZY2087`, `Nomor Faktur` / `FKT-2026-0042`.
NUMBER_BELOW_LABEL = re.compile(
    r"^\s*(?:(?:invoice|faktur|booking|reservation|reservasi|receipt|kwitansi|kuitansi|surat|"
    r"document|dokumen)\s*(?:no\.?|number|nomor|id|nr\.?|#|ref(?:erence)?|code|kode)|"
    r"(?:nomor|no\.?|number)\s*(?:faktur|invoice|surat|kwitansi|dokumen|document)?)"
    r"\s*[:.#]?\s*\n\s*(?P<v>[A-Z0-9]+(?:[/.\-_][A-Z0-9]+)*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Another document's number: the order a delivery note or an invoice refers to.
ORDER_LABEL = re.compile(r"\bp\.?\s?o\b|pesanan|purchase\s*order|your\s*order|customer\s*po",
                         re.IGNORECASE)
# `No.` after these is someone's account or phone number, not the document's.
NOT_THE_DOCUMENTS = re.compile(r"\b(account|acct|a/c|rek(ening)?|telp?|phone|fax|hp|wa|npwp|"
                               r"nik|induk|kendaraan|polisi|customer|pelanggan)\b\.?"
                               r"\s*$", re.IGNORECASE)

ID_WORDS = {"yang", "dan", "di", "dengan", "untuk", "dari", "ini", "pada", "kepada", "nomor",
            "tanggal", "sebesar", "kami", "atas", "dalam", "tidak", "akan", "telah", "sudah"}
EN_WORDS = {"the", "and", "of", "to", "for", "with", "this", "from", "on", "is", "are", "your",
            "we", "our", "date", "please", "amount", "will", "has", "been"}


ROMAN_MONTHS = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
YEAR = re.compile(r"(19|20)\d\d")


def repair_code(value: str) -> str:
    """Undo the usual OCR confusions in a reference number, one segment at a time.

    `079/PKS/X1/2026` → `079/PKS/XI/2026` (a Roman month read with a digit one, only in a
    number that also has a year), `0R-2026-5891` → `OR-2026-5891` (a zero among letters),
    `INV/2O26/0042` → `INV/2026/0042` (a letter O or l among digits). Anything else is kept.
    """
    parts = re.split(r"([/.\-])", value)
    dated = any(YEAR.fullmatch(p) for p in parts)
    out = []
    for part in parts:
        fixed = part
        if dated and re.fullmatch(r"[IVXivx1l|]{2,4}", part) and re.search(r"[IVXivx]", part) \
                and re.search(r"[1l|]", part):
            candidate = re.sub(r"[1l|]", "I", part.upper())
            fixed = candidate if candidate in ROMAN_MONTHS else part
        elif re.fullmatch(r"[A-Za-z0]{2,3}", part) and part.count("0") == 1:
            fixed = part.replace("0", "O")
        elif re.fullmatch(r"[0-9OolI]{3,}", part) and sum(ch.isdigit() for ch in part) >= 2 \
                and re.search(r"[OolI]", part):
            fixed = part.translate(str.maketrans("OolI", "0011"))
        out.append(fixed)
    return "".join(out)


# A number standing alone on its line, or after the title (`PURCHASE ORDER 4500012345`), or
# after a colon whose label OCR put on another line (`: SP/769/XI/2026`).
LONE_NUMBER = re.compile(
    r"^\s*(?:[A-Z][A-Z /&()-]{2,40}\s+)?[:#]?\s*"
    r"(?P<v>[A-Z0-9]+(?:[/.\-][A-Z0-9]+)+|[A-Z]{0,4}\d{6,})\s*$",
)
NOT_A_NUMBER = re.compile(
    r"^(\d{1,3}([.,]\d{3})+([.,]\d{1,2})?|\d+[.,]\d{2}|\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|"
    r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3})$"
)


def _lone_number(lines: list[str]) -> str | None:
    for line in [ln for ln in lines if ln.strip()][:25]:
        match = LONE_NUMBER.match(line)
        if not match:
            continue
        value = match["v"].strip(".-/")
        if sum(ch.isdigit() for ch in value) >= 3 and len(value) >= 5 and \
                not NOT_A_NUMBER.match(value):
            return value
    return None


NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-]((?:19|20)\d\d)|"
                          r"((?:19|20)\d\d)[/.\-](\d{1,2})[/.\-](\d{1,2})")


def _is_a_date(value: str) -> bool:
    """`12/11/2026`, `2026-11-12`: a real date either way round (`2026/11/0042` is none)."""
    match = NUMERIC_DATE.fullmatch(value)
    if match is None:
        return False
    a, b, y, y2, m2, d2 = match.groups()
    tries = [(int(y), int(b), int(a)), (int(y), int(a), int(b))] if y else \
        [(int(y2), int(m2), int(d2))]
    for year, month, day in tries:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return True
    return False


# In the order they are tried, searched in lower-cased text where they can be (lowered.py).
_NUMBER_PATTERNS = [Lowered(p) for p in (NUMBER_AFTER_TITLE, NUMBER_LABEL_FIRST, NUMBER,
                                         NUMBER_AFTER_LABEL, NUMBER_BELOW_LABEL)]
_AFTER_TITLE, _BELOW_LABEL = _NUMBER_PATTERNS[0], _NUMBER_PATTERNS[-1]


def document_number(text: str, doc_type: str | None = None) -> str | None:
    """The document's own number (invoice no., nomor surat, PO no.), as printed; an order
    number counts only on a purchase order when the type is known."""
    lines = text.splitlines()[:60]
    head = "\n".join(lines)
    lower = head.lower()
    for pattern in _NUMBER_PATTERNS:
        for match in pattern.finditer(head, lower):
            value = head[match.start("v"):match.end("v")].strip(".-/")  # as written
            if _is_a_date(value) or (pattern is _BELOW_LABEL and NOT_A_NUMBER.match(value)):
                continue  # a date after `No` (a label above a table's date), an amount
            line_start = head.rfind("\n", 0, match.start()) + 1
            if NOT_THE_DOCUMENTS.search(head[line_start:match.start()]):
                continue
            label = head[match.start():match.start("v")]
            if doc_type not in (None, "purchase_order") and pattern is not _AFTER_TITLE \
                    and ORDER_LABEL.search(label):
                continue
            digits = sum(ch.isdigit() for ch in value)
            if digits >= 2 and len(value) >= 4 and \
                    (digits >= 5 or any(ch.isalpha() for ch in value)):
                return repair_code(value)
    lone = _lone_number(lines)
    return repair_code(lone) if lone else None


def subject_line(text: str) -> str | None:
    match = SUBJECT.search("\n".join(text.splitlines()[:80]))
    if match:
        value = match["v"].strip(" .:-")
        if len(value) >= 3:
            return value[:120]
    return None


def first_meaningful_line(text: str, skip: set[str]) -> str | None:
    for line in text.splitlines()[:30]:
        line = line.strip()
        letters = sum(ch.isalpha() for ch in line)
        if letters < 4 or letters < len(line) * 0.5 or line.lower() in skip:
            continue
        return line[:120]
    return None


def language(text: str) -> str | None:
    words = re.findall(r"[a-z]+", text.lower()[:20000])
    id_score = sum(1 for w in words if w in ID_WORDS)
    en_score = sum(1 for w in words if w in EN_WORDS)
    if id_score == en_score == 0:
        return None
    return "id" if id_score >= en_score else "en"
