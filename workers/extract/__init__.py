"""Text extraction: the PDF's own text layer where it has one, tesseract OCR elsewhere."""

from workers.extract.dispatch import extract_text
from workers.extract.model import Extraction, PageText

__all__ = ["Extraction", "PageText", "extract_text"]
