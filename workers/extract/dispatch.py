"""Choose the extractor for a file by what it is, within the configured limits."""

from __future__ import annotations

from pathlib import Path

from arsip.errors import EmptyDocument, TooLargeDocument, UnsupportedDocument
from config.settings import Settings
from workers.extract.detect import sniff
from workers.extract.isolation import extract_isolated
from workers.extract.model import Extraction
from workers.extract.textfile import extract_text_file

IMAGE_MIMES = {"image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp", "image/webp",
               "image/jp2", "image/heic", "image/avif"}


def extract_text(path: Path, settings: Settings) -> Extraction:
    """Text of every page of the file at `path`, or a BadDocument explaining why not.

    PDFs and images are parsed in a child process (workers.extract.isolation): a crash of a C
    library there quarantines this document as corrupt and leaves the worker running.
    """
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocument("the file is empty (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise TooLargeDocument(
            f"the file is {size / 1048576:.0f} MB, over the limit of {settings.max_file_mb:g} MB "
            "(max_file_mb)"
        )
    mime = sniff(path)
    if mime == "application/pdf" or mime in IMAGE_MIMES:
        return extract_isolated(path, mime, settings)
    if mime == "text/plain":
        return extract_text_file(path)
    raise UnsupportedDocument(f"the file type is not supported ({mime})")
