"""Images (PNG, JPEG, TIFF with many pages, GIF, WebP, BMP, JPEG 2000): OCR frame by frame."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from arsip.errors import CorruptDocument, TooLargeDocument, UnsupportedDocument
from config.settings import Settings
from workers.extract.model import Extraction, PageText
from workers.tools.tesseract import ocr_image

A4_WIDTH_INCHES = 8.27


def to_gray(frame: Image.Image) -> Image.Image:
    """8-bit grayscale, with transparency flattened onto white paper."""
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    if frame.mode == "CMYK":
        return frame.convert("RGB").convert("L")
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        return frame.point(lambda v: v / 256).convert("L")
    return frame.convert("L")


def frame_dpi(frame: Image.Image) -> int:
    """The image's own resolution, or a guess from its width for images that have none."""
    dpi = frame.info.get("dpi")
    if dpi:
        try:
            value = round(float(dpi[0]))
        except (TypeError, ValueError, IndexError):
            value = 0
        if 70 <= value <= 1200:
            return value
    return max(70, min(600, round(frame.width / A4_WIDTH_INCHES)))


def extract_image(path: Path, mime: str, settings: Settings) -> Extraction:
    extraction = Extraction(kind="image", mime=mime)
    Image.MAX_IMAGE_PIXELS = settings.max_pixels  # Pillow's own bomb guard, set to our limit
    try:
        image = Image.open(path)
    except UnidentifiedImageError as exc:
        raise UnsupportedDocument(f"the image format of {mime} cannot be read") from exc
    except Image.DecompressionBombError as exc:
        raise TooLargeDocument(
            f"the image is far over the limit of {settings.max_pixels:,} pixels (max_pixels); "
            f"Pillow refused it as a possible decompression bomb ({exc})"
        ) from exc
    with image, tempfile.TemporaryDirectory(prefix="arsip-") as tmp:
        frames = ImageSequence.Iterator(image) if mime == "image/tiff" else [image]
        for number, frame in enumerate(frames, start=1):
            if number > settings.max_pages:
                raise TooLargeDocument(f"the image has more than {settings.max_pages} pages")
            pixels = frame.width * frame.height
            if pixels > settings.max_pixels:
                raise TooLargeDocument(
                    f"the image is {frame.width}×{frame.height} pixels, over the limit of "
                    f"{settings.max_pixels:,} (max_pixels)"
                )
            try:
                gray = to_gray(frame)
            except (OSError, ValueError) as exc:
                raise CorruptDocument(f"page {number} of the image cannot be decoded: {exc}") \
                    from exc
            page_file = Path(tmp) / f"page-{number}.pgm"
            gray.save(page_file)
            result = ocr_image(page_file, languages=settings.languages,
                               timeout=settings.ocr_timeout_seconds, dpi=frame_dpi(frame))
            page_file.unlink()
            extraction.pages.append(PageText(
                number=number, text=result.text, method="ocr",
                confidence=None if result.confidence is None else round(result.confidence, 1),
            ))
    return extraction
