"""Safe path parts from untrusted text (document content, file names)."""

from __future__ import annotations

import re
import unicodedata

UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                    *(f"lpt{i}" for i in range(1, 10))}


def clean_part(value: str, *, fallback: str = "unknown", limit: int = 120) -> str:
    """One safe path part: no separators, control characters, '..', leading dots or dashes,
    no Windows-reserved names, valid UTF-8, at most `limit` bytes (the extension kept)."""
    value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    value = unicodedata.normalize("NFC", value)
    value = UNSAFE.sub(" ", value)
    value = re.sub(r"\s+", " ", value).strip(" .").lstrip("-. ")
    stem = value.rsplit(".", 1)[0]
    if not value or stem.lower() in WINDOWS_RESERVED:
        value = fallback
    encoded = value.encode("utf-8")
    if len(encoded) > limit:
        stem, dot, ext = value.rpartition(".")
        ext = f".{ext}" if dot and stem and len(ext) <= 8 else ""
        keep = limit - len(ext.encode("utf-8"))
        value = value.encode("utf-8")[:keep].decode("utf-8", "ignore").rstrip(" .") + ext
    return value or fallback
