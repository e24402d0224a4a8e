"""PDFium through pypdfium2: page text and page rendering, serialised (pdfium is not
thread-safe)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from arsip.errors import CorruptDocument, EncryptedDocument

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.RLock()


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF (with an empty user password where it has one) or raise BadDocument."""
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            text = str(exc)
            if "password" in text.lower():
                raise EncryptedDocument("the PDF is password protected") from exc
            raise CorruptDocument(f"the PDF cannot be opened ({text.rstrip('.')})") from exc
    try:
        yield pdf
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def page_count(pdf: pdfium.PdfDocument) -> int:
    with PDFIUM_LOCK:
        return len(pdf)


def page_text(pdf: pdfium.PdfDocument, index: int) -> tuple[str, float, float]:
    """The page's own text layer and its size in points."""
    with PDFIUM_LOCK:
        page = pdf[index]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
        finally:
            page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n"), width, height


def render_page_gray(pdf: pdfium.PdfDocument, index: int, *, scale: float) -> Image.Image:
    """Render one page to an 8-bit grayscale image at `scale` (dpi / 72)."""
    with PDFIUM_LOCK:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
            try:
                image = bitmap.to_pil()
                image.load()
                return image.convert("L") if image.mode != "L" else image.copy()
            finally:
                bitmap.close()
        finally:
            page.close()
