"""pdfplumber (pdfminer.six): a second, pure-Python PDF parser for files PDFium rejects.

PDFium refuses some PDFs with broken cross-reference tables that pdfminer repairs; there
pdfplumber's layout-aware text is worth its ~100 ms per page. Runs inside the extraction child,
whose watchdog limits its time.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1

from arsip.errors import CorruptDocument, EncryptedDocument, TooLargeDocument
from workers.extract import progress

log = logging.getLogger(__name__)


def claimed_pages(pdf: Any) -> int | None:
    """The page count the page tree claims, read without walking the tree."""
    try:
        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # noqa: BLE001 - a broken tree claims nothing; walking it will tell
        return None


def page_texts(path: Path, *, max_pages: int) -> list[str]:
    """Text of each page; raises CorruptDocument when pdfminer cannot read the file either."""
    try:
        with pdfplumber.open(str(path)) as pdf:
            claimed = claimed_pages(pdf)
            if claimed is not None and claimed > max_pages:
                raise TooLargeDocument(f"the PDF claims {claimed} pages, over the limit of "
                                       f"{max_pages} (max_pages)")
            texts = []
            for number, page in enumerate(pdf.pages, start=1):
                if number > max_pages:
                    raise TooLargeDocument(f"the PDF has more than {max_pages} pages (max_pages)")
                progress.beat(f"page {number}: pdfminer")
                texts.append(page.extract_text() or "")
                page.close()
            return texts
    except (TooLargeDocument, EncryptedDocument):
        raise
    except PDFPasswordIncorrect as exc:
        raise EncryptedDocument("the PDF is password protected") from exc
    except Exception as exc:
        log.info("pdfplumber: %s: %s", path.name, exc)
        raise CorruptDocument(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
