"""PDFs: each page's own text layer where it is usable, OCR of the rendered page where not.

A page is OCR'd when its text layer is empty, short or garbage and it draws something (a scan,
text drawn as outlines), or when a short layer sits on a page-sized image (a scan with a stamp).
A page with a good text layer is never rendered.
"""

from __future__ import annotations

import logging
import math
import tempfile
from pathlib import Path

import pypdfium2 as pdfium_types

from arsip.errors import CorruptDocument, TooLargeDocument
from config.settings import Settings
from workers.extract import progress
from workers.extract.model import Extraction, PageText
from workers.extract.pageocr import OCR_MAX_PIXELS
from workers.extract.pagepool import PagePool, PageWork, ocr_later
from workers.extract.textlayer import Layer, judge_layer, word_count
from workers.tools import pdfium

log = logging.getLogger(__name__)

SCAN_CHECK_CHARS = 200  # a good layer shorter than this may be a stamp on a scan: look closer
SCAN_COVER = 0.5  # images covering this share of the page make it a scan


def render_scale(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> float:
    """dpi/72, reduced so that the rendered page stays within max_pixels."""
    scale = dpi / 72.0
    pixels = width_pt * height_pt * scale * scale
    if pixels > max_pixels:
        scale = math.sqrt(max_pixels / (width_pt * height_pt))
    return scale


def extract_pdf(path: Path, settings: Settings) -> Extraction:
    try:
        return _extract_with_pdfium(path, settings)
    except CorruptDocument as pdfium_error:
        return _extract_repaired(path, settings, pdfium_error)


def _extract_repaired(path: Path, settings: Settings, pdfium_error: CorruptDocument) -> Extraction:
    """PDFium refused the file: read its text layer with pdfminer, which repairs more."""
    from workers.tools import pdfplumber_text  # pdfminer: 46 ms to import, rarely needed

    texts = pdfplumber_text.page_texts(path, max_pages=settings.max_pages)
    if not any(judge_layer(t) is Layer.GOOD for t in texts):
        raise pdfium_error
    extraction = Extraction(kind="pdf", mime="application/pdf")
    extraction.notes.append(f"PDFium could not open the file ({pdfium_error.message}); "
                            "read with pdfminer, pages without text are not OCR'd")
    for number, text in enumerate(texts, start=1):
        extraction.pages.append(PageText(number=number, text=text.strip(), method="text"))
    return extraction


class ScratchFolder:
    """A temporary folder for the OCR of scanned pages, made when the first one needs it: a
    born-digital PDF needs none (making and removing one for each was 7 % of an extraction
    child's time, by sampling, on 400 born-digital PDFs)."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def path(self) -> Path:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="arsip-")
        return Path(self._folder.name)

    def __enter__(self) -> ScratchFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._folder is not None:
            self._folder.cleanup()


def _extract_with_pdfium(path: Path, settings: Settings) -> Extraction:
    """Pages in order; the OCR of scanned pages runs on up to one thread per tesseract slot,
    so that the next page is rendered (PDFium: one thread) while others are read. At most that
    many rendered pages wait at once: never all of them."""
    extraction = Extraction(kind="pdf", mime="application/pdf")
    with pdfium.open_pdf(path) as pdf, ScratchFolder() as tmp, \
            PagePool(settings.ocr_process_count) as pool:
        count = pdfium.page_count(pdf)
        if count > settings.max_pages:
            raise TooLargeDocument(
                f"the PDF has {count} pages, over the limit of {settings.max_pages} (max_pages)"
            )
        for index in range(count):
            progress.beat(f"page {index + 1}")
            pool.add(_read_page(pdf, index, tmp, settings))
        extraction.pages = pool.pages()
    return extraction


def _read_page(pdf: pdfium_types.PdfDocument, index: int, tmp: ScratchFolder,
               settings: Settings) -> PageWork:
    """The page's own text, or (a scan) its rendered image and the OCR still to do on it."""
    number = index + 1
    text, width, height = pdfium.page_text(pdf, index)
    layer = judge_layer(text)
    own = PageText(number=number, text=text.strip(), method="text")
    if layer is Layer.GOOD and len(text) >= SCAN_CHECK_CHARS:
        return own
    content = pdfium.page_content(pdf, index)
    if layer is Layer.GOOD and content.image_cover < SCAN_COVER:
        return own
    if layer in (Layer.EMPTY, Layer.SHORT) and not content.drawn:
        return own  # nothing to read but the text itself (or an empty page)
    if width < 1 or height < 1:
        return own
    budget = min(settings.max_pixels, OCR_MAX_PIXELS)
    scale = render_scale(width, height, settings.ocr_dpi, budget)
    progress.beat(f"page {number}: render")
    image = pdfium.render_page_gray(pdf, index, scale=scale)
    read = ocr_later(image, number, round(scale * 72), settings, tmp.path())
    reduced = scale < settings.ocr_dpi / 72.0 * 0.99
    return lambda: _better_of(read(), own, layer, reduced=reduced)


def _better_of(ocr: PageText, own: PageText, layer: Layer, *, reduced: bool) -> PageText:
    if reduced and "reduced_resolution" not in ocr.flags:
        ocr.flags.insert(0, "reduced_resolution")
    if layer is Layer.GARBAGE:
        log.info("page %d: garbage text layer %r; OCR'd instead", own.number, own.text[:40])
        ocr.flags.insert(0, "garbage_text_layer")
        return ocr
    if layer is Layer.EMPTY:
        return ocr
    return ocr if word_count(ocr.text) > word_count(own.text) else own
