"""Who sent the document: a configured name, else the letterhead, never the addressee."""

from __future__ import annotations

import re

from config.rules import NamedRule

LEGAL_FORMS = ("PT", "CV", "UD", "PD", "Tbk", "Persero", "Ltd", "Limited", "Inc", "LLC",
               "GmbH", "Corp", "Corporation", "Co", "Company", "Pte", "Koperasi", "Yayasan")
COMPANY = re.compile(
    r"\b(PT|CV|UD|PD|Tbk|Ltd|Limited|Inc|LLC|GmbH|Corp|Corporation|Company|Pte|Koperasi|"
    r"Yayasan|Bank)\b\.?", re.IGNORECASE,
)
SENDER_LABEL = re.compile(
    r"^\s*(dari|from|pengirim|sender|vendor|supplier|penjual|seller)\s*[:.]\s*(?P<name>.+)$",
    re.IGNORECASE,
)
ADDRESSEE = re.compile(
    r"^\s*(kepada|yth|bill\s*to|ship\s*to|sold\s*to|to\s*:|pembeli|buyer|customer|pelanggan|"
    r"penerima|recipient|dear|attn|up\.)", re.IGNORECASE,
)
NOT_A_NAME = re.compile(
    r"(faktur|invoice|kwitansi|receipt|surat|letter|perjanjian|agreement|slip|laporan|report|"
    r"statement|rekening|pesanan|purchase|delivery|tanggal|date|nomor|telp|phone|fax|email|"
    r"www\.|http|jl\.|jalan|npwp)", re.IGNORECASE,
)


def normalise_name(raw: str) -> str:
    """`PT. Sinar Abadi`, `PT Sinar Abadi` and `SINAR ABADI, PT` → `PT Sinar Abadi`."""
    name = re.sub(r"\s+", " ", raw).strip(" ,.;:-–—|")
    trailing = re.match(r"^(?P<body>.+?),\s*(?P<form>PT|CV|UD|Tbk)\.?$", name, re.IGNORECASE)
    if trailing:
        name = f"{trailing['form']} {trailing['body']}"
    name = re.sub(r"\b(PT|CV|UD|PD)\.\s*", lambda m: m.group(1).upper() + " ", name,
                  flags=re.IGNORECASE)
    words = []
    shout = name.upper() == name
    for word in name.split(" "):
        bare = word.strip(".,()")
        if bare.upper() in {"PT", "CV", "UD", "PD", "TBK", "LLC", "GMBH", "PTE"}:
            fixed = {"TBK": "Tbk", "GMBH": "GmbH", "PTE": "Pte"}.get(bare.upper(), bare.upper())
            words.append(word.replace(bare, fixed))
        elif shout and len(bare) > 3:
            words.append(word.capitalize())
        else:
            words.append(word)
    return " ".join(words).strip()


def configured(text_lower: str, correspondents: tuple[NamedRule, ...]) -> tuple[str, str] | None:
    for item in correspondents:
        for rule in item.rules:
            hit = rule.find(text_lower)
            if hit:
                return item.name, f"rule {rule.algorithm} {rule.match!r} matched {hit!r}"
    return None


def from_letterhead(text: str, max_lines: int = 15) -> tuple[str, str] | None:
    """The sender from a `From:` line, or the first company-like line of the letterhead."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines[:40]:
        labelled = SENDER_LABEL.match(line)
        if labelled and len(labelled["name"].strip()) >= 3:
            return normalise_name(labelled["name"]), f"labelled sender line {line!r}"
    in_addressee = 0
    for line in lines[:max_lines]:
        if ADDRESSEE.match(line):
            in_addressee = 3  # the addressee block: this line and the next two
            continue
        if in_addressee:
            in_addressee -= 1
            continue
        if COMPANY.search(line) and not NOT_A_NAME.search(line) and 3 <= len(line) <= 70:
            return normalise_name(line), f"letterhead line {line!r}"
    return None


def find_correspondent(text: str, correspondents: tuple[NamedRule, ...]) -> tuple[str, str] | None:
    return configured(text.lower(), correspondents) or from_letterhead(text)
