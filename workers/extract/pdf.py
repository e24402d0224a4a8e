"""PDFs: each page's own text layer where it is usable, OCR of the rendered page where not."""

from __future__ import annotations

import logging
import math
import tempfile
import unicodedata
from pathlib import Path

from arsip.errors import CorruptDocument, TooLargeDocument
from config.settings import Settings
from workers.extract.model import Extraction, PageText
from workers.tools import pdfium, pdfplumber_text
from workers.tools.tesseract import ocr_image

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20
MIN_GOOD_RATIO = 0.85


def text_layer_usable(text: str) -> bool:
    """False for an empty layer, and for garbage from fonts without a Unicode map."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < MIN_TEXT_CHARS:
        return False
    if text.count("(cid:") * 6 > len(chars) * 0.1:
        return False
    good = sum(1 for ch in chars if _plausible(ch))
    return good / len(chars) >= MIN_GOOD_RATIO


def _plausible(ch: str) -> bool:
    if ch == "\ufffd":
        return False
    category = unicodedata.category(ch)
    if category in ("Co", "Cc", "Cs", "Cn"):  # private use, control, surrogate, unassigned
        return False
    return category[0] in "LNPSM"


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
    texts = pdfplumber_text.page_texts(path, max_pages=settings.max_pages)
    if not any(text_layer_usable(t) for t in texts):
        raise pdfium_error
    extraction = Extraction(kind="pdf", mime="application/pdf")
    extraction.notes.append(f"PDFium could not open the file ({pdfium_error.message}); "
                            "read with pdfminer, pages without text are not OCR'd")
    for number, text in enumerate(texts, start=1):
        extraction.pages.append(PageText(number=number, text=text.strip(), method="text"))
    return extraction


def _extract_with_pdfium(path: Path, settings: Settings) -> Extraction:
    extraction = Extraction(kind="pdf", mime="application/pdf")
    with pdfium.open_pdf(path) as pdf, tempfile.TemporaryDirectory(prefix="arsip-") as tmp:
        count = pdfium.page_count(pdf)
        if count > settings.max_pages:
            raise TooLargeDocument(
                f"the PDF has {count} pages, over the limit of {settings.max_pages} (max_pages)"
            )
        for index in range(count):  # one page at a time: never all rendered at once
            extraction.pages.append(_read_page(pdf, index, Path(tmp), settings))
    return extraction


def _read_page(pdf: object, index: int, tmp: Path, settings: Settings) -> PageText:
    text, width, height = pdfium.page_text(pdf, index)  # type: ignore[arg-type]
    if text_layer_usable(text):
        return PageText(number=index + 1, text=text.strip(), method="text")
    scale = render_scale(width, height, settings.ocr_dpi, settings.max_pixels)
    if scale * 72 < 50:
        raise TooLargeDocument(
            f"page {index + 1} measures {width / 72:.0f}×{height / 72:.0f} inches; it cannot be "
            f"rendered for OCR within max_pixels ({settings.max_pixels})"
        )
    image = pdfium.render_page_gray(pdf, index, scale=scale)  # type: ignore[arg-type]
    page_file = tmp / f"page-{index + 1}.pgm"
    image.save(page_file)
    image.close()
    result = ocr_image(page_file, languages=settings.languages,
                       timeout=settings.ocr_timeout_seconds, dpi=round(scale * 72))
    page_file.unlink()
    if not result.text.strip() and text.strip():
        return PageText(number=index + 1, text=text.strip(), method="text")
    return PageText(number=index + 1, text=result.text, method="ocr",
                    confidence=None if result.confidence is None else round(result.confidence, 1))
