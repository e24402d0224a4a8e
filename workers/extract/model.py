"""What extraction returns: plain data, one entry per page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PageText:
    number: int
    text: str
    method: str  # "text" (own text layer), "ocr", or "plain" (a text file)
    confidence: float | None = None  # OCR mean word confidence, 0-100

    @property
    def blank(self) -> bool:
        return not self.text.strip()


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

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "mime": self.mime,
            "page_count": len(self.pages),
            "ocr_pages": self.ocr_pages,
            "confidence": self.confidence,
            "blank_pages": [p.number for p in self.pages if p.blank],
            "pages": [
                {k: v for k, v in asdict(p).items() if k != "text"} for p in self.pages
            ],
            "notes": self.notes,
        }
