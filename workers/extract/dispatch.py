"""Choose the extractor for a file by what it is, within the configured limits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from arsip.errors import EmptyDocument, TooLargeDocument, UnsupportedDocument
from config.settings import Settings
from workers.extract.detect import sniff
from workers.extract.isolation import extract_isolated
from workers.extract.model import Extraction
from workers.extract.textfile import extract_text_file

T = TypeVar("T")
IMAGE_MIMES = {"image/png", "image/jpeg", "image/tiff", "image/gif", "image/bmp", "image/webp",
               "image/jp2", "image/heic", "image/avif"}


def extract_text(path: Path, settings: Settings) -> Extraction:
    """Text of every page of the file at `path`, or a BadDocument explaining why not."""
    return extract_then(path, settings, nothing_more)[0]


def nothing_more(extraction: Extraction) -> None:
    return None


def extract_then(path: Path, settings: Settings,
                 then: Callable[[Extraction], T]) -> tuple[Extraction, T]:
    """The text of every page, and `then` of it (a picklable callable, e.g. classification).

    PDFs and images are parsed in a child process (workers.extract.isolation), where `then`
    runs too: a crash of a C library there quarantines this document as corrupt and leaves the
    worker running, and the work of several documents runs on several cores.
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
        return extract_isolated(path, mime, settings, then)
    if mime == "text/plain":
        extraction = extract_text_file(path)
        return extraction, then(extraction)
    raise UnsupportedDocument(f"the file type is not supported ({mime})")
