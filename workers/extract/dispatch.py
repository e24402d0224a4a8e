"""Choose the extractor for a file by what it is, within the configured limits."""

from __future__ import annotations

from pathlib import Path

from arsip.errors import EmptyDocument, TooLargeDocument, UnsupportedDocument
from config.settings import Settings
from workers.extract.detect import sniff
from workers.extract.image import extract_image
from workers.extract.model import Extraction
from workers.extract.pdf import extract_pdf
from workers.extract.textfile import extract_text_file

IMAGE_MIMES = {"image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp", "image/webp",
               "image/jp2"}


def extract_text(path: Path, settings: Settings) -> Extraction:
    """Text of every page of the file at `path`, or a BadDocument explaining why not."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument("the file is empty (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise TooLargeDocument(
            f"the file is {size / 1048576:.0f} MB, over the limit of {settings.max_file_mb:g} MB "
            "(max_file_mb)"
        )
    mime = sniff(path)
    if mime == "application/pdf":
        return extract_pdf(path, settings)
    if mime in IMAGE_MIMES:
        return extract_image(path, mime, settings)
    if mime == "text/plain":
        return extract_text_file(path)
    if mime == "image/heic":
        raise UnsupportedDocument("HEIC photos are not supported yet")
    raise UnsupportedDocument(f"the file type is not supported ({mime})")
