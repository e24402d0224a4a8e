"""What extraction returns: plain data, one entry per page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LOW_CONFIDENCE = 50.0  # a page read with less mean word confidence than this is flagged

# Page flags, and how they read in the sidecar's and `arsip show`'s list of flags.
FLAG_TEXT = {
    "garbage_text_layer": "its own text layer is garbage (a font without a Unicode map); "
                          "it was read by OCR instead",
    "reduced_resolution": "it is too large to read at full resolution; it was read at {dpi} dpi",
    "rotated": "it was turned {rotation}° to read it",
    "deskewed": "it was straightened by {skew:.1f}° to read it",
    "upscaled": "its text is small; it was enlarged to read it",
}


@dataclass
class PageText:
    number: int
    text: str
    method: str  # "text" (own text layer), "ocr", or "plain" (a text file)
    confidence: float | None = None  # OCR mean word confidence, 0-100
    rotation: int = 0  # degrees the page was turned counter-clockwise to read it
    skew: float = 0.0  # degrees the page was turned to straighten its lines
    dpi: int | None = None  # resolution the page was OCR'd at
    flags: list[str] = field(default_factory=list)  # keys of FLAG_TEXT

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def flag_texts(self) -> list[str]:
        texts = [f"page {self.number}: " + FLAG_TEXT[f].format(**asdict(self))
                 for f in self.flags if f in FLAG_TEXT]
        if self.blank:
            texts.append(f"page {self.number} reads as nothing: it is blank, or a picture "
                         "without text, or its text could not be read")
        elif self.confidence is not None and self.confidence < LOW_CONFIDENCE:
            texts.append(f"page {self.number} was read with low confidence "
                         f"({self.confidence:.0f}/100): its text may be wrong")
        return texts


@dataclass
class Extraction:
    kind: str  # pdf, image, text
    mime: str
    pages: list[PageText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages if p.text)

    @property
    def confidence(self) -> float | None:
        values = [p.confidence for p in self.pages if p.confidence is not None]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.method == "ocr")

    @property
    def blank_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.blank]

    @property
    def flags(self) -> list[str]:
        """What a person should know about how the text was read: blank and doubtful pages."""
        if self.pages and all(p.blank for p in self.pages):
            return ["no text was found in the document: it is blank, or pictures without text, "
                    "or its text could not be read"] + [
                t for p in self.pages for t in p.flag_texts() if "reads as nothing" not in t]
        return [t for p in self.pages for t in p.flag_texts()]

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "mime": self.mime,
            "page_count": len(self.pages),
            "ocr_pages": self.ocr_pages,
            "confidence": self.confidence,
            "blank_pages": self.blank_pages,
            "flags": self.flags,
            "pages": [
                {k: v for k, v in asdict(p).items() if k != "text"} for p in self.pages
            ],
            "notes": self.notes,
        }
