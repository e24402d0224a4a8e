"""Who sent the document: a configured name, else the letterhead, never the addressee.

In order: a configured correspondent named in the letterhead area; a labelled sender line
(`Dari:`, `From:`); the first company name of the letterhead, skipping addressee blocks
(`Kepada Yth.`, `Bill to`, `Diterima dari`, and on a purchase order `Vendor`/`Supplier`);
the company under the closing (`Hormat kami,`, `Yours faithfully,`, `PIHAK PERTAMA`); and
last a configured correspondent named anywhere (a BPJS deduction on a payslip is not its
sender, so that comes after the letterhead).
"""

from __future__ import annotations

import re

from config.rules import NamedRule

LEGAL_FORMS = ("PT", "CV", "UD", "PD", "Tbk", "Persero", "Ltd", "Limited", "Inc", "LLC",
               "GmbH", "Corp", "Corporation", "Co", "Company", "Pte", "Koperasi", "Yayasan")
COMPANY = re.compile(
    r"\b(PT|CV|UD|PD|Tbk|Ltd|Limited|Inc|LLC|GmbH|Corp|Corporation|Company|Pte|Koperasi|"
    r"Yayasan|Bank)\b\.?", re.IGNORECASE,
)
# A company name starts with its Indonesian form or ends with a foreign one.
NAME_START = re.compile(r"^(PT|CV|UD|PD|Koperasi|Yayasan|Toko|Bank)\b\.?\s+\S", re.IGNORECASE)
NAME_END = re.compile(
    r"(\b(Tbk|Ltd|Limited|Inc|LLC|LLP|PLC|GmbH|AG|Corp|Corporation|Company|Co|Pte\.?\s*Ltd|"
    r"Pty\.?\s*Ltd|Sdn\.?\s*Bhd|B\.?V)\.?|,\s*(PT|CV|UD|Tbk)\.?|\(Persero\)(\s*Tbk)?)\s*$",
    re.IGNORECASE,
)
# A second company starts at its legal form, unless that form closes the first (`X, PT CV. Y`).
SECOND_NAME = re.compile(r"(?<!,)\s(?=(PT|CV|UD)\.?\s+[A-Z])")
# Two parties signing side by side, their columns joined into one line by the text layer:
# `PT. Nusantara Kemasindo KENCANA LOGISTIK INDONESIA, PT` - a name in capitals follows one that
# is not.
SHOUTED_NAME_AFTER = re.compile(r"(?<=[a-z])\s+(?=[A-Z]{2,}(?:\s+[A-Z&.]{2,})+)")
CONTACT = re.compile(
    r"\s(\(?\+?\d[\d\s().-]{5,}|telp?\b|tel\.|phone|fax|hp\b|wa\b|e-?mail|www\.|https?://|"
    r"\S+@\S+|layanan|call cent|hotline|customer service)",
    re.IGNORECASE,
)
SENDER_LABEL = re.compile(
    r"^\s*(dari|from|pengirim|sender|vendor|supplier|penjual|seller)\s*[:.]\s*(?P<name>.+)$",
    re.IGNORECASE,
)
ADDRESSEE = re.compile(
    r"^\s*(kepada|yth|bill\s*to|ship\s*to|sold\s*to|to\s*:|pembeli|buyer|customer|pelanggan|"
    r"penerima|recipient|dear|attn|attention|up\.|tagihan kepada|(di)?kirim ke|"
    r"alamat (pengiriman|kirim)|deliver(y)?\s*(to|address)|invoice to|consignee|nama nasabah|"
    r"account holder|((sudah|telah)\s+)?(di)?terima dari|received (with thanks )?from|"
    r"prepared for)",
    re.IGNORECASE,
)
PO_VENDOR = re.compile(r"^\s*(vendor|supplier|pemasok|kepada \(supplier\))", re.IGNORECASE)
NOT_A_NAME = re.compile(
    r"(faktur|invoice|kwitansi|receipt|surat|letter|perjanjian|agreement|slip|laporan|report|"
    r"statement|rekening|pesanan|purchase|delivery|tanggal|date|nomor|\bnumber\b|telp|phone|"
    r"fax|email|www\.|http|jl\.|jalan|npwp|:)", re.IGNORECASE,
)
PROSE = re.compile(r"\b(yang|dalam|untuk|selanjutnya|disebut|bertindak|atas nama|with its|"
                   r"registered|a company|kami|bahwa)\b", re.IGNORECASE)
CLOSING = re.compile(
    r"^\s*(hormat (kami|saya)|salam|yours (faithfully|sincerely|truly)|sincerely|"
    r"(kind |best )?regards|(signed )?for and on behalf of|pihak pertama|yang menerima|"
    r"received by|authori[sz]ed by|disetujui oleh|dibuat oleh|prepared by|dicatat oleh|notulis|"
    r"recorded by|minutes taken by)\b[,:.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
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


def company_in(line: str) -> str | None:
    """The company name a line consists of (columns and contact details cut off), or None."""
    for column in re.split(r"\s{3,}|\t|\s\|\s", line.strip()):
        candidate = CONTACT.split(" " + column, maxsplit=1)[0].strip(" ,;|-")
        candidate = SECOND_NAME.split(candidate, maxsplit=1)[0].strip(" ,;|")
        candidate = SHOUTED_NAME_AFTER.split(candidate, maxsplit=1)[0].strip(" ,;|")
        words = candidate.split()
        if not 2 <= len(words) <= 8 or not 4 <= len(candidate) <= 70:
            continue
        if NOT_A_NAME.search(candidate) or PROSE.search(candidate):
            continue
        if NAME_START.match(candidate) or NAME_END.search(candidate):
            return candidate
    return None


def configured(text_lower: str, correspondents: tuple[NamedRule, ...]) -> tuple[str, str] | None:
    for item in correspondents:
        for rule in item.rules:
            hit = rule.find(text_lower)
            if hit:
                return item.name, f"rule {rule.algorithm} {rule.match!r} matched {hit!r}"
    return None


def from_letterhead(text: str, max_lines: int = 15,
                    doc_type: str | None = None) -> tuple[str, str] | None:
    """The sender from a `From:` line, or the first company name of the letterhead."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines[:40]:
        labelled = SENDER_LABEL.match(line)
        if labelled and not (doc_type == "purchase_order" and PO_VENDOR.match(line)):
            name = company_in(labelled["name"]) or labelled["name"].strip()
            if len(name) >= 3 and not NOT_A_NAME.search(name):
                return normalise_name(name), f"labelled sender line {line!r}"
    in_addressee = 0
    for line in lines[:max_lines]:
        if ADDRESSEE.match(line) or (doc_type == "purchase_order" and PO_VENDOR.match(line)):
            in_addressee = 3  # the addressee block: this line and the next two
            continue
        if in_addressee:
            in_addressee -= 1
            continue
        name = company_in(line)
        if name:
            return normalise_name(name), f"letterhead line {line!r}"
    return None


def from_signature(text: str) -> tuple[str, str] | None:
    """The company named under the closing: `Hormat kami, / PT Sinar Abadi`."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        closing = CLOSING.match(line)
        if not closing:
            continue
        for candidate in [closing["rest"], *lines[i + 1:i + 5]]:
            name = company_in(candidate) if candidate else None
            if name:
                return normalise_name(name), f"company under the closing {line!r}"
    return None


def find_correspondent(text: str, correspondents: tuple[NamedRule, ...],
                       doc_type: str | None = None) -> tuple[str, str] | None:
    top = "\n".join([ln for ln in text.splitlines() if ln.strip()][:8]).lower()
    return (configured(top, correspondents) or from_letterhead(text, doc_type=doc_type)
            or from_signature(text) or configured(text.lower(), correspondents))
