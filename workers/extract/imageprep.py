"""Page images made ready for tesseract: 8-bit gray on white, within a pixel budget, level."""

from __future__ import annotations

import itertools
import math

import numpy as np
from PIL import Image, ImageChops, ImageOps

SKEW_SAMPLE_PIXELS = 1000  # the longer side of the copy skew is measured on
MAX_SKEW_DEGREES = 5.0  # beyond this a page is rotated, not skewed; tesseract copes with less
MIN_SKEW_DEGREES = 0.5  # less than this is not worth resampling the page for
SKEW_GAIN = 1.08  # the levelled profile must be this much sharper than the page as it is
# Colour dropout. A stamp or a highlighter stroke over a printed number is coloured ink: in plain
# grayscale (luma) a red stamp is as dark as a grey pen and merges with the black digits under it.
# Colour ink (chroma, max - min of R, G, B, above the camera's noise and the paper's tint) is read
# at its lightest channel instead, and bright colour ink as paper, as a scanner's "colour dropout"
# does: red and blue stamp ink vanishes and the black text under it stands alone. Dark coloured
# writing (a blue ballpoint) stays legible: the lightest channel of dark ink is still dark. So
# does a dark navy stamp, which stays in the way.
DROPOUT_CHROMA = 48  # below this a pixel counts as neutral: paper tint, JPEG colour noise
DROPOUT_FULL_CHROMA = 96  # from here on a pixel is read at its lightest channel
DROPOUT_SHARE = 0.001  # pages with less colour ink than this share are converted plainly
DROPOUT_SAMPLE_PIXELS = 512  # the longer side of the copy the colour check looks at
DROPOUT_DARK_INK = 120  # coloured ink whose lightest channel is below this is writing: kept
DROPOUT_BRIGHT_SPAN = 80  # ink this much lighter than DROPOUT_DARK_INK goes to paper white
DROPOUT_REACH = 2  # pixels a coloured stroke's weight reaches out to its JPEG-blurred rim


def to_gray(frame: Image.Image) -> Image.Image:
    """8-bit grayscale, with transparency flattened onto white paper, and coloured ink (stamps)
    dropped out to pale where the page has some (see drop_colour)."""
    if frame.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
            frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(paper, rgba)
        return drop_colour(flat.convert("RGB")) if frame.mode in ("RGBA", "RGBa", "PA", "P") \
            else flat.convert("L")
    if frame.mode in ("RGB", "CMYK", "YCbCr", "P"):
        return drop_colour(frame.convert("RGB"))
    if frame.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        return frame.point(lambda v: v / 256).convert("L")
    return frame.convert("L")


def _sample(rgb: Image.Image) -> np.ndarray:
    factor = math.ceil(max(rgb.size) / DROPOUT_SAMPLE_PIXELS)
    return np.asarray(rgb.reduce(factor) if factor > 1 else rgb, dtype=np.int16)


def has_colour_ink(rgb: Image.Image) -> bool:
    """Whether a reduced copy of the page has a share of clearly coloured pixels (a stamp, a
    logo, a highlighter): costs a few milliseconds, and spares gray pages in colour files."""
    pixels = _sample(rgb)
    chroma = pixels.max(axis=2) - pixels.min(axis=2)
    return bool((chroma >= DROPOUT_CHROMA).mean() >= DROPOUT_SHARE)


def _open_rows(weight: np.ndarray, half: int) -> np.ndarray:
    """Morphological opening along the rows: runs narrower than 2 * half + 1 pixels go."""
    eroded = weight.copy()
    for _ in range(half):
        np.minimum(eroded[:, 1:], eroded[:, :-1].copy(), out=eroded[:, 1:])
        np.minimum(eroded[:, :-1], eroded[:, 1:].copy(), out=eroded[:, :-1])
    for _ in range(half):
        np.maximum(eroded[:, 1:], eroded[:, :-1].copy(), out=eroded[:, 1:])
        np.maximum(eroded[:, :-1], eroded[:, 1:].copy(), out=eroded[:, :-1])
    return eroded


def _reach(weight: np.ndarray, pixels: int) -> Image.Image:
    """The weight grown by `pixels` in every direction, as an image."""
    for _ in range(pixels):
        np.maximum(weight[1:], weight[:-1].copy(), out=weight[1:])
        np.maximum(weight[:-1], weight[1:].copy(), out=weight[:-1])
        np.maximum(weight[:, 1:], weight[:, :-1].copy(), out=weight[:, 1:])
        np.maximum(weight[:, :-1], weight[:, 1:].copy(), out=weight[:, :-1])
    return Image.fromarray(weight, "L")


def drop_colour(rgb: Image.Image) -> Image.Image:
    """Gray from RGB with colour dropout: neutral pixels keep their luma; coloured ones are
    lifted towards their lightest channel, fully from DROPOUT_FULL_CHROMA on, and the strokes of
    bright colour ink (a stamp pad's) on to white. A few tenths of a second on a colour A4 page
    at 300 dpi (Pillow's channel operations, numpy for the shifts); a page without colour ink
    costs only the check."""
    luma = rgb.convert("L")
    if not has_colour_ink(rgb):
        return luma
    channels = rgb.split()
    high = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    chroma = ImageChops.subtract(high, ImageChops.darker(ImageChops.darker(channels[0],
                                                                          channels[1]),
                                                        channels[2]))
    ramp = [min(255, max(0, (v - DROPOUT_CHROMA) * 255 // (DROPOUT_FULL_CHROMA - DROPOUT_CHROMA)))
            for v in range(256)]
    weight = np.array(chroma.point(ramp))
    del chroma
    # Which channel is the lightest: the strokes of one ink keep theirs along a run, the colour
    # fringes of sub-pixel text flip from orange to blue from one side of a stem to the other.
    lightest = [np.array(ImageChops.difference(c, high)) == 0 for c in channels]
    del channels
    # Coloured runs narrower than three pixels are no ink: the one-pixel colour fringes of
    # sub-pixel (ClearType) text and of colour-misregistered scans. Lifting them thinned black
    # text (a screenshot invoice lost 3 points of word recall). Only runs of five pixels and
    # more with one lightest channel (a stamp's strokes at 200 dpi and up) are taken to white:
    # doing that to all runs that wide cost that invoice 12 points (its small text's fringes).
    #
    # JPEG keeps colour at half resolution: the rims of a stamp's strokes come out dark with
    # little colour. Reaching DROPOUT_REACH pixels out lets the rims follow their stroke; a
    # neutral pixel (black text beside the stamp) has nothing to be lifted by (its max is its
    # luma), so the reach costs the text nothing.
    ink = _open_rows(weight, 1)
    strokes = np.zeros_like(ink)
    for mask in lightest:
        np.maximum(strokes, _open_rows(np.where(mask, ink, 0).astype(np.uint8), 2), out=strokes)
    del lightest
    stroke = _reach(strokes, DROPOUT_REACH)
    ink_weight = _reach(ink, DROPOUT_REACH)
    # Dark colour ink (lightest channel below DROPOUT_DARK_INK: a ballpoint) is not whitened.
    white = high.point([(255 - v) * min(max(v - DROPOUT_DARK_INK, 0), DROPOUT_BRIGHT_SPAN)
                        // DROPOUT_BRIGHT_SPAN for v in range(256)])
    faded = ImageChops.add(luma, ImageChops.multiply(ImageChops.subtract(high, luma), ink_weight))
    return ImageChops.add(faded, ImageChops.multiply(white, stroke))


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
