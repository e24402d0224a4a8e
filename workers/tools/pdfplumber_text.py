"""pdfplumber (pdfminer.six): a second, pure-Python PDF parser for files PDFium rejects.

PDFium refuses some PDFs with broken cross-reference tables that pdfminer repairs; there
pdfplumber's layout-aware text is worth its ~100 ms per page.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect

from arsip.errors import CorruptDocument, EncryptedDocument

log = logging.getLogger(__name__)


def page_texts(path: Path, *, max_pages: int) -> list[str]:
    """Text of each page; raises CorruptDocument when pdfminer cannot read the file either."""
    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > max_pages:
                return []
            texts = []
            for page in pdf.pages:
                texts.append(page.extract_text() or "")
                page.close()
            return texts
    except PDFPasswordIncorrect as exc:
        raise EncryptedDocument("the PDF is password protected") from exc
    except Exception as exc:
        log.info("pdfplumber: %s: %s", path.name, exc)
        raise CorruptDocument(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
