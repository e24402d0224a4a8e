"""OCR of one page image: read it as it is, level; where that reads poorly, read it enlarged
(small text) or turned (a page scanned sideways or upside down) and keep the best reading.

An upright, readable page costs one tesseract pass plus ~0.1 s to check its skew: the extra
passes (orientation detection ~1 s, re-reads) are spent only on pages that read poorly.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from config.settings import Settings
from workers.extract import progress
from workers.extract.model import PageText
from workers.tools.tesseract import OcrResult, detect_orientation, ocr_picture

log = logging.getLogger(__name__)

# Tesseract's time and memory grow with pixels (~17 bytes each at this size): 16 M pixels keep it
# under 300 MB. A4 at 300 dpi is 8.7 M pixels; A3 is read at 290 dpi.
OCR_MAX_PIXELS = 16_000_000
GOOD_CONFIDENCE = 75.0  # a first reading at least this sure is kept without trying more
SMALL_TEXT_PIXELS = 16  # words lower than this read better from an enlarged copy
TARGET_TEXT_PIXELS = 32
MAX_UPSCALE = 4.0
MIN_WORDS_TO_TURN = 3  # a page that read as (almost) nothing is not turned: there is no text
OSD_SURE = 2.0  # tesseract's orientation confidence above which its answer is taken alone
OSD_MAX_SIDE = 2000  # orientation detection looks at a copy this size: faster, as reliable


@dataclass
class Reading:
    result: OcrResult
    rotation: int = 0
    scale: float = 1.0
    skew: float = 0.0

    @property
    def score(self) -> int:
        return self.result.confident_chars

    @property
    def good(self) -> bool:
        return self.result.confidence is not None and self.result.confidence >= GOOD_CONFIDENCE


@dataclass
class PageOcr:
    """Reads one page image (orientation detection keeps its temporary file in `tmp`)."""

    settings: Settings
    tmp: Path
    label: str
    dpi: int

    def read(self, image: Image.Image, *, rotation: int = 0, scale: float = 1.0,
             straighten: bool = True) -> Reading:
        from workers.extract.imageprep import deskew, skew_angle, turn, upscale  # numpy: scans

        started = time.perf_counter()
        page = turn(image, rotation)
        if scale != 1.0:
            page = upscale(page, scale)
        angle = skew_angle(page) if straighten else 0.0
        if angle:
            page = deskew(page, angle)
        prepared = time.perf_counter()
        result = self._ocr(page, round(self.dpi * scale))
        log.debug("%s: rotation %d, scale %g, skew %g: confidence %s, %d words "
                  "(prepare %.2f s, tesseract %.2f s)", self.label, rotation, scale, angle,
                  None if result.confidence is None else round(result.confidence),
                  result.words, prepared - started, time.perf_counter() - prepared)
        return Reading(result, rotation, scale, angle)

    def orientation_candidates(self, image: Image.Image) -> list[int]:
        """Turns worth trying: tesseract's answer when it is sure, else every other one."""
        factor = max(1, math.ceil(max(image.size) / OSD_MAX_SIDE))
        sample = image.reduce(factor) if factor > 1 else image
        path = self.tmp / "osd.pgm"
        sample.save(path)
        progress.beat(f"{self.label}: orientation")
        started = time.perf_counter()
        found = detect_orientation(path, dpi=max(1, round(self.dpi / factor)))
        path.unlink()
        log.debug("%s: orientation %s (%.2f s)", self.label, found, time.perf_counter() - started)
        if found is not None and found.confidence >= OSD_SURE:
            return [found.rotate] if found.rotate else []
        return [180, 90, 270]

    def _ocr(self, page: Image.Image, dpi: int) -> OcrResult:
        progress.beat(f"{self.label}: OCR")
        return ocr_picture(page, languages=self.settings.languages,
                           timeout=self.settings.ocr_timeout_seconds, dpi=dpi)


def ocr_page(image: Image.Image, *, number: int, dpi: int, settings: Settings,
             tmp: Path) -> PageText:
    """Text of one page image (8-bit gray) by OCR, read the way that reads best."""
    from workers.extract.imageprep import fit_pixels  # numpy: imported where a scan is read

    flags: list[str] = []
    image, factor = fit_pixels(image, min(OCR_MAX_PIXELS, settings.max_pixels))
    if factor < 1.0:
        dpi = max(10, round(dpi * factor))
        flags.append("reduced_resolution")
    reader = PageOcr(settings, tmp, f"page {number}", dpi)
    best = reader.read(image)
    if best.skew and best.result.words < MIN_WORDS_TO_TURN:
        level = reader.read(image, straighten=False)  # never lose a page to the straightening
        if level.score > best.score:
            best = level
    best = _try_enlarged(reader, image, best)
    if not best.good and best.result.words >= MIN_WORDS_TO_TURN:
        for rotation in reader.orientation_candidates(image):
            candidate = reader.read(image, rotation=rotation, scale=best.scale)
            if candidate.score > best.score:
                best = candidate
            if best.good:
                break
    result = best.result
    flags += [name for name, on in (("rotated", best.rotation), ("deskewed", best.skew),
                                    ("upscaled", best.scale > 1)) if on]
    return PageText(
        number=number, text=result.text, method="ocr",
        confidence=None if result.confidence is None else round(result.confidence, 1),
        rotation=best.rotation, skew=best.skew, dpi=round(dpi * best.scale), flags=flags,
    )


def _try_enlarged(reader: PageOcr, image: Image.Image, best: Reading) -> Reading:
    """Small text (a low-resolution image) reads better enlarged, within the pixel budget."""
    height = best.result.median_height
    if height is None or height >= SMALL_TEXT_PIXELS:
        return best
    budget = math.sqrt(OCR_MAX_PIXELS / (image.width * image.height))
    scale = min(MAX_UPSCALE, TARGET_TEXT_PIXELS / max(height, 1.0), budget)
    if scale < 1.5:
        return best
    candidate = reader.read(image, scale=round(scale, 2))
    return candidate if candidate.score > best.score else best
