"""Images (PNG, JPEG, TIFF with many pages, GIF, WebP, BMP, JPEG 2000, HEIC, AVIF): OCR frame
by frame, each turned upright by its EXIF orientation and flattened to gray on white."""

from __future__ import annotations

import functools
import logging
import math
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from arsip.errors import CorruptDocument, TooLargeDocument, UnsupportedDocument
from config.settings import Settings
from workers.extract import progress
from workers.extract.model import Extraction
from workers.extract.pageocr import OCR_MAX_PIXELS
from workers.extract.pagepool import PagePool, ocr_later

log = logging.getLogger(__name__)

A4_WIDTH_INCHES = 8.27
MULTI_FRAME_MIMES = {"image/tiff"}  # other formats' extra frames are animation, not pages


@functools.cache
def heic_supported() -> bool:
    """HEIC photos (iPhones) need libheif, which pillow-heif bundles; registered with Pillow
    when the first photo comes, not in every extraction process (12 ms of its start)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - pillow-heif is a dependency; without it HEIC fails
        return False
    register_heif_opener()
    return True


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


def open_image(path: Path, mime: str, settings: Settings) -> Image.Image:
    """The image, opened lazily, or a BadDocument explaining why it cannot be."""
    if mime == "image/heic" and not heic_supported():
        raise UnsupportedDocument("HEIC photos need the pillow-heif package, which is missing")
    Image.MAX_IMAGE_PIXELS = settings.max_pixels  # Pillow's own bomb guard, set to our limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    except UnidentifiedImageError as exc:
        raise UnsupportedDocument(f"the image format of {mime} cannot be read") from exc
    except Image.DecompressionBombError as exc:
        raise TooLargeDocument(
            f"the image is far over the limit of {settings.max_pixels:,} pixels (max_pixels); "
            f"Pillow refused it as a possible decompression bomb ({exc})"
        ) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptDocument(f"the image cannot be read: {exc}") from exc


def _frames(image: Image.Image, mime: str) -> Iterator[Image.Image]:
    if mime in MULTI_FRAME_MIMES:
        yield from ImageSequence.Iterator(image)
    else:
        yield image


def page_image(frame: Image.Image, number: int) -> Image.Image:
    """One frame decoded, turned upright by its EXIF orientation, as 8-bit gray on white."""
    try:
        if frame.format in ("JPEG", "MPO") and frame.width * frame.height > OCR_MAX_PIXELS:
            # Decode a huge photo at a reduced size straight away: less time, less memory.
            factor = math.sqrt(OCR_MAX_PIXELS / (frame.width * frame.height))
            frame.draft("L", (int(frame.width * factor), int(frame.height * factor)))
        from workers.extract.imageprep import to_gray  # numpy: only where images are read

        upright = ImageOps.exif_transpose(frame)
        return to_gray(upright)
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptDocument(f"page {number} of the image cannot be decoded: {exc}") from exc


def extract_image(path: Path, mime: str, settings: Settings) -> Extraction:
    extraction = Extraction(kind="image", mime=mime)
    image = open_image(path, mime, settings)
    with image, tempfile.TemporaryDirectory(prefix="arsip-") as tmp, \
            PagePool(settings.ocr_process_count) as pool:
        damage: str | None = None
        try:
            for number, frame in enumerate(_frames(image, mime), start=1):
                if number > settings.max_pages:
                    raise TooLargeDocument(f"the image has more than {settings.max_pages} pages "
                                           "(max_pages)")
                if frame.width * frame.height > settings.max_pixels:
                    raise TooLargeDocument(
                        f"the image is {frame.width}×{frame.height} pixels, over the limit of "
                        f"{settings.max_pixels:,} (max_pixels)"
                    )
                progress.beat(f"page {number}: decode")
                pool.add(ocr_later(page_image(frame, number), number, frame_dpi(frame),
                                    settings, Path(tmp)))
        except (OSError, EOFError) as exc:  # a truncated multi-page TIFF fails between frames
            if getattr(exc, "errno", None) is not None:
                raise  # the system's fault (disk full), not the image's
            damage = str(exc)
        extraction.pages = pool.pages()
        if damage is not None:
            if not extraction.pages:
                raise CorruptDocument(f"the image cannot be decoded: {damage}")
            extraction.notes.append(f"the image is damaged after page {len(extraction.pages)} "
                                    f"({damage}); the pages before it were read")
    return extraction

