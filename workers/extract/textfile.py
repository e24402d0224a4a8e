"""Plain-text files: UTF-8, UTF-16 with a BOM, or Latin-1/cp1252, never mangled."""

from __future__ import annotations

import codecs
from pathlib import Path

from workers.extract.model import Extraction, PageText


def decode_text(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def extract_text_file(path: Path) -> Extraction:
    text, encoding = decode_text(path.read_bytes())
    extraction = Extraction(kind="text", mime="text/plain")
    extraction.pages.append(PageText(number=1, text=text.replace("\r\n", "\n"), method="plain"))
    extraction.notes.append(f"encoding {encoding}")
    return extraction
