"""PDFium through pypdfium2: page text, what a page draws, and page rendering, serialised
(pdfium is not thread-safe). Run inside the extraction child process (a crash here kills only
that child); the time limit on these calls is the child's watchdog (workers.extract.isolation).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from arsip.errors import CorruptDocument, EncryptedDocument

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.RLock()
MAX_OBJECTS = 5000  # a page's drawing is inspected this far; the rest cannot change the answer


@dataclass(frozen=True)
class PageContent:
    """What a page draws besides text."""

    images: int
    paths: int  # vector drawing: lines, boxes, or text drawn as outlines
    image_cover: float  # share of the page covered by images (0-1, overlaps counted twice)

    @property
    def drawn(self) -> bool:
        return bool(self.images or self.paths)


def declares_encryption(path: Path) -> bool:
    """Whether the file has an /Encrypt entry (in its trailer or cross-reference stream, which
    are never compressed)."""
    with open(path, "rb") as fh:
        return any(b"/Encrypt" in block for block in iter(lambda: fh.read(1 << 20), b""))


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF (with an empty user password where it has one) or raise BadDocument."""
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            text = str(exc)
            log.info("pdfium: %s: %s", path.name, text)
            # PDFium's last error is a global that a failure may leave unset: believe "password"
            # only of a file that declares encryption.
            if "password" in text.lower() and declares_encryption(path):
                raise EncryptedDocument("the PDF is password protected") from exc
            raise CorruptDocument("the PDF cannot be opened: PDFium finds its structure broken "
                                  f"({text.rstrip('.')})") from exc
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


def page_content(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    """Images and vector paths on the page (inside forms too), and how much images cover."""
    with PDFIUM_LOCK:
        page = pdf[index]
        try:
            width, height = page.get_size()
            images = paths = 0
            covered = 0.0
            for number, obj in enumerate(page.get_objects(max_depth=4)):
                if number >= MAX_OBJECTS:
                    break
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    images += 1
                    left, bottom, right, top = obj.get_bounds()
                    w = min(right, width) - max(left, 0.0)
                    h = min(top, height) - max(bottom, 0.0)
                    covered += max(w, 0.0) * max(h, 0.0)
                elif obj.type in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING):
                    paths += 1
        finally:
            page.close()
    area = width * height
    return PageContent(images, paths, min(1.0, covered / area) if area > 0 else 0.0)


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
