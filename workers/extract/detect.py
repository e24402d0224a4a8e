"""What a file is, from its first bytes rather than its name."""

from __future__ import annotations

from pathlib import Path

IMAGE_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"II+\x00", 0, "image/tiff"),  # BigTIFF
    (b"MM\x00+", 0, "image/tiff"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"BM", 0, "image/bmp"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", 0, "image/jp2"),
    (b"\xff\x4f\xff\x51", 0, "image/jp2"),
]

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff")


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
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    for signature, offset, mime in IMAGE_SIGNATURES:
        if head[offset:offset + len(signature)] == signature:
            return mime
    if _looks_like_text(head):
        return "text/plain"
    return "application/octet-stream"


def _iso_media(head: bytes) -> str:
    """HEIC/AVIF photos and other ISO media files, by the brands in their 'ftyp' box."""
    size = int.from_bytes(head[:4], "big")
    box = head[8:min(max(size, 16), len(head))]
    brands = {box[i:i + 4] for i in range(0, len(box) - 3, 4)} - {b"\x00\x00\x00\x00"}
    if brands & AVIF_BRANDS:
        return "image/avif"
    if brands & HEIF_BRANDS:
        return "image/heic"
    return "application/octet-stream"


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 without a byte-order mark."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    if odd >= pairs * 0.4 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.4 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith(TEXT_BOMS) or utf16_without_bom(head) is not None:
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) * 0.02
