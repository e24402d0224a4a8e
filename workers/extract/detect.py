"""What a file is, from its first bytes rather than its name."""

from __future__ import annotations

from pathlib import Path

IMAGE_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"BM", 0, "image/bmp"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", 0, "image/jp2"),
    (b"\xff\x4f\xff\x51", 0, "image/jp2"),
]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".eml", ".log", ""}


def sniff(path: Path) -> str:
    """A MIME type for the file, or 'application/octet-stream' when unknown."""
    with open(path, "rb") as fh:
        head = fh.read(2048)
    if not head:
        return "application/x-empty"
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypheif"):
        return "image/heic"
    for signature, offset, mime in IMAGE_SIGNATURES:
        if head[offset:offset + len(signature)] == signature:
            return mime
    if _looks_like_text(head):
        return "text/plain"
    return "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) * 0.02
