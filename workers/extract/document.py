"""The risky part of extraction, run in a child process: PDFs and images through C libraries."""

from __future__ import annotations

import logging
from pathlib import Path

from config.settings import Settings
from workers.extract.image import extract_image
from workers.extract.model import Extraction
from workers.extract.pdf import extract_pdf

PDF_MIME = "application/pdf"

# pdfminer logs every object it parses at INFO; only its warnings are worth the pipe.
logging.getLogger("pdfminer").setLevel(logging.WARNING)


def read_document(path: Path, mime: str, settings: Settings) -> Extraction:
    """Text of a PDF or an image, page by page."""
    if mime == PDF_MIME:
        return extract_pdf(path, settings)
    return extract_image(path, mime, settings)
