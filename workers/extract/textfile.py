"""Plain-text files: UTF-8, UTF-16/32 with a BOM (or UTF-16 without), or cp1252, never mangled."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from workers.extract.detect import utf16_without_bom
from workers.extract.model import Extraction, PageText

BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                           rb"[\xf0-\xf4][\x80-\xbf]{3}")
UTF8_INVALID = re.compile(rb"[\x80-\xff]")


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 (or cp1252) cannot as cp1252, and cp1252's five holes as
    Latin-1, so that no byte is ever lost as U+FFFD."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start:error.end]
    return "".join(_cp1252_char(b) for b in chunk), error.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


codecs.register_error("arsip-cp1252", _cp1252_bytes)


def decode_text(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace"), encoding
    utf16 = utf16_without_bom(raw[:4096])
    if utf16 is not None:
        return raw.decode(utf16, errors="replace"), utf16
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray cp1252 bytes (text pasted together) stays UTF-8.
    valid = len(UTF8_SEQUENCE.findall(raw))
    stray = len(UTF8_INVALID.findall(UTF8_SEQUENCE.sub(b"", raw)))
    if valid and valid * 4 >= stray:
        return raw.decode("utf-8", errors="arsip-cp1252"), "utf-8 (with cp1252 bytes)"
    return raw.decode("cp1252", errors="arsip-cp1252"), "cp1252"


def extract_text_file(path: Path) -> Extraction:
    text, encoding = decode_text(path.read_bytes())
    extraction = Extraction(kind="text", mime="text/plain")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    extraction.pages.append(PageText(number=1, text=text, method="plain"))
    extraction.notes.append(f"encoding {encoding}")
    return extraction
