"""Page images made ready for tesseract: 8-bit gray on white, within a pixel budget, level."""

from __future__ import annotations

import itertools
import math

from PIL import Image, ImageOps

SKEW_SAMPLE_PIXELS = 1000  # the longer side of the copy skew is measured on
MAX_SKEW_DEGREES = 5.0  # beyond this a page is rotated, not skewed; tesseract copes with less
MIN_SKEW_DEGREES = 0.5  # less than this is not worth resampling the page for
SKEW_GAIN = 1.08  # the levelled profile must be this much sharper than the page as it is


def to_gray(frame: Image.Image) -> Image.Image:
    """8-bit grayscale, with transparency flattened onto white paper."""
    if frame.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
            frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    if frame.mode == "CMYK":
        return frame.convert("RGB").convert("L")
    if frame.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        return frame.point(lambda v: v / 256).convert("L")
    return frame.convert("L")


def fit_pixels(image: Image.Image, max_pixels: int) -> tuple[Image.Image, float]:
    """The image shrunk to at most max_pixels, and the factor it was shrunk by (1.0: as is)."""
    pixels = image.width * image.height
    if pixels <= max_pixels * 1.01:  # a page rendered to fit is within rounding of the budget
        return image, 1.0
    factor = math.sqrt(max_pixels / pixels)
    size = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0), factor


def upscale(image: Image.Image, factor: float) -> Image.Image:
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


def turn(image: Image.Image, degrees: int) -> Image.Image:
    """Turned counter-clockwise by a multiple of 90 degrees, without resampling."""
    method = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
              270: Image.Transpose.ROTATE_270}.get(degrees % 360)
    return image.transpose(method) if method is not None else image


def _profile_sharpness(ink: Image.Image, angle: float) -> int:
    """How sharply the ink gathers into rows when turned by `angle`: text lines give peaks."""
    turned = ink.rotate(angle, resample=Image.Resampling.NEAREST) if angle else ink
    rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()
    return sum((b - a) * (b - a) for a, b in itertools.pairwise(rows))


def skew_angle(image: Image.Image) -> float:
    """The small rotation (degrees, counter-clockwise) that levels the text lines; 0.0 when the
    page is level, or has no lines to tell by."""
    sample = image.copy()
    sample.thumbnail((SKEW_SAMPLE_PIXELS, SKEW_SAMPLE_PIXELS), Image.Resampling.BOX)
    ink = ImageOps.invert(sample).point(lambda v: 255 if v > 96 else 0)
    level = _profile_sharpness(ink, 0.0)
    if level == 0:
        return 0.0
    steps = int(MAX_SKEW_DEGREES * 2)
    best_score, best = max((_profile_sharpness(ink, a / 2), a / 2)
                           for a in range(-steps, steps + 1))
    for tenth in (-4, -3, -2, -1, 1, 2, 3, 4):
        angle = best + tenth / 10
        score = _profile_sharpness(ink, angle)
        if score > best_score:
            best_score, best = score, angle
    if abs(best) < MIN_SKEW_DEGREES or best_score < level * SKEW_GAIN:
        return 0.0
    return round(best, 1)


def paper_shade(image: Image.Image) -> int:
    """The page's own background: the commonest shade along its border. Filling the corners a
    turn uncovers with pure white on a grey photographed page made tesseract's threshold pick
    white against grey, and the whole page read as nothing."""
    width, height = image.size
    border = [image.crop(box) for box in ((0, 0, width, 2), (0, height - 2, width, height),
                                          (0, 0, 2, height), (width - 2, 0, width, height))]
    histogram = [0] * 256
    for strip in border:
        for shade, count in enumerate(strip.histogram()[:256]):
            histogram[shade] += count
    return max(range(256), key=histogram.__getitem__)


def deskew(image: Image.Image, angle: float) -> Image.Image:
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                        fillcolor=paper_shade(image))
