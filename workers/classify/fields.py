"""Title, document number and language, read from the text."""

from __future__ import annotations

import re

SUBJECT = re.compile(r"^\s*(perihal|hal|subject|subjek|re|regarding|tentang)\s*[:.]\s*(?P<v>.+)$",
                     re.IGNORECASE | re.MULTILINE)
NUMBER = re.compile(
    r"(?:no(?:mor)?\.?|number|#|ref(?:erence)?\.?)\s*(?:faktur|invoice|surat|po|order|dokumen|"
    r"kwitansi|receipt|sj|do)?\s*(?:no\.?|#)?\s*[:.#]?\s*"
    r"(?P<v>[A-Z0-9][A-Z0-9]*(?:[/.\-][A-Z0-9]+)+|[A-Z]{0,5}\d[A-Z0-9]{3,})",
    re.IGNORECASE,
)
NUMBER_LABEL_FIRST = re.compile(
    r"(?:invoice|faktur|po|order|surat|kwitansi|receipt|delivery|sj)\s*(?:no\.?|number|nomor|#)"
    r"\s*[:.#]?\s*(?P<v>[A-Z0-9][A-Z0-9/.\-]{2,})",
    re.IGNORECASE,
)

ID_WORDS = {"yang", "dan", "di", "dengan", "untuk", "dari", "ini", "pada", "kepada", "nomor",
            "tanggal", "sebesar", "kami", "atas", "dalam", "tidak", "akan", "telah", "sudah"}
EN_WORDS = {"the", "and", "of", "to", "for", "with", "this", "from", "on", "is", "are", "your",
            "we", "our", "date", "please", "amount", "will", "has", "been"}


def document_number(text: str) -> str | None:
    """The document's own number (invoice no., nomor surat, PO no.), as printed."""
    head = "\n".join(text.splitlines()[:60])
    for pattern in (NUMBER_LABEL_FIRST, NUMBER):
        for match in pattern.finditer(head):
            value = match["v"].strip(".-/")
            if sum(ch.isdigit() for ch in value) >= 2 and len(value) >= 4:
                return value
    return None


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
