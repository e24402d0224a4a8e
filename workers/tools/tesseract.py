"""tesseract: one page image in, words and their confidence out (in this process, through
tesserocr); the page's orientation (OSD) through pytesseract; the installed languages from the
`tesseract` command. Every call has a time limit; tesseract's complaints are logged here."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from arsip.errors import MissingDependency, OcrFailed, OcrTimeout
from workers.tools.cores import CoreSlots

log = logging.getLogger(__name__)

# One thread per tesseract process: OCR runs one process per core instead. On 2 cores this was
# measured 7-10x faster than tesseract's own OpenMP threading, which mostly spins.
os.environ["OMP_THREAD_LIMIT"] = "1"

CONFIDENT = 60.0  # a word read with at least this confidence counts as read
OSD_TIMEOUT_SECONDS = 30.0  # OSD looks at a reduced page: it takes about a second


_cores: CoreSlots | None = None  # shared by the worker's extraction children; None: no limit
_still_waiting: Callable[[], None] = lambda: None  # noqa: E731


def share_cores(cores: CoreSlots | None, still_waiting: Callable[[], None]) -> None:
    """Run tesseract only while holding one of `cores` (see workers.tools.cores), across all the
    processes that share them; `still_waiting` is called every few seconds of waiting."""
    global _cores, _still_waiting
    _cores, _still_waiting = cores, still_waiting


def _core() -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext() if _cores is None else _cores.hold(_still_waiting)


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None  # mean word confidence 0-100, None when no word was read
    words: int
    confident_chars: int = 0  # letters and digits in words read with confidence >= CONFIDENT
    median_height: float | None = None  # median height in pixels of the words read


@dataclass(frozen=True)
class Orientation:
    rotate: int  # degrees to turn the image counter-clockwise so that its text stands upright
    confidence: float  # tesseract's orientation confidence (about 2 is a guess, 10+ is sure)


def _require_tesseract() -> None:
    if shutil.which("tesseract") is None:
        raise MissingDependency(
            "tesseract is not installed",
            advice="Install it: `sudo apt-get install tesseract-ocr tesseract-ocr-ind "
            "tesseract-ocr-eng` (Debian/Ubuntu)",
        )


def installed_languages() -> set[str]:
    """Languages tesseract can load; raises MissingDependency when tesseract is absent."""
    _require_tesseract()
    try:  # not through pytesseract: importing it (and numpy) cost the worker 90 ms at start
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise MissingDependency(
            f"tesseract does not answer: {exc}",
            advice="Reinstall tesseract-ocr and check `tesseract --list-langs`",
        ) from exc
    # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):', one a line
    lines = listed.splitlines()
    start = next((i + 1 for i, line in enumerate(lines) if line.startswith("List of")), 0)
    return {line.strip() for line in lines[start:] if line.strip()}


def check_languages(languages: str) -> None:
    """Fail once, at start-up, when a configured language pack is missing."""
    have = installed_languages()
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise MissingDependency(
            f"tesseract language(s) {', '.join(missing)} not installed "
            f"(installed: {', '.join(sorted(have)) or 'none'})",
            advice=f"Install them (`sudo apt-get install {packages}`) or change `languages`",
        )
    if importlib.util.find_spec("tesserocr") is None:
        raise MissingDependency("the tesserocr package (tesseract's library, which reads the "
                                "pages) is not installed",
                                advice="Reinstall arsip: `pip install tesserocr`")


def engine_check(languages: str) -> str:
    """Load the page-reading engine with these languages; its version, or OcrFailed."""
    with _engine(languages, 3):
        return engine_version()


def ocr_picture(image: Image.Image, *, languages: str, timeout: float,
                dpi: int | None = None, psm: int = 3) -> OcrResult:
    """Read one page image with tesseract under a time limit.

    tesseract runs inside this process (through tesserocr, its C++ API), on an engine kept from
    page to page: no process start and no model load per page (0.13 s for ind+eng), and the
    word table comes without a file round trip. Engines are not shared between threads."""
    with _core(), _engine(languages, psm) as api:
        started = time.monotonic()
        _set_image(api, image)
        if dpi:
            api.SetSourceResolution(dpi)
        if not api.Recognize(timeout=max(1, int(timeout * 1000))):
            if time.monotonic() - started >= timeout * 0.9:
                raise OcrTimeout(f"tesseract took more than {timeout:.0f} s on one page")
            raise OcrFailed("tesseract could not recognise the page")
        table = api.GetTSVText(0)
        api.Clear()  # the page's own structures; the models stay loaded
        columns = _tsv_columns(table)
        _reread_codes(image, columns, languages)
    return _assemble(columns)


def _set_image(api: Any, image: Image.Image) -> None:
    """Give tesseract the image's pixels as they are. (tesserocr's SetImage first writes the
    image out as a BMP file in memory for leptonica to read back: 0.03-0.06 s per A4 page.) The
    resolution is the image's own, or 96 dpi as that BMP said; the caller may set its own."""
    if image.mode != "L":
        api.SetImage(image)
        return
    api.SetImageBytes(image.tobytes(), image.width, image.height, 1, image.width)
    dpi = image.info.get("dpi")
    api.SetSourceResolution(max(1, round(float(dpi[0]))) if dpi else 96)


# A reference number (INV/2026/0042, SP/015/XI/2026, DN-2026-8248) read with less confidence than
# this is read again from an enlarged crop of the word, as one line: a misread number is a
# document nobody finds by it. Measured on generated scans: 'SP/015/XI1/2026' (70) read again
# as 'SP/015/X1/2026' (90), which search matches (it forgives I/1).
# Joined by / or - (amounts such as Rp1.488.000 are not numbers to find a document by).
CODE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.]*(?:[/-][A-Za-z0-9.]+)+")
REREAD_BELOW = 85.0
REREAD_SCALES = (2, 3)
MAX_REREADS = 4  # per page: a page full of unsure codes is a bad page, not a few numbers
REREAD_GAIN = 5.0  # the new reading must be at least this much surer


def _reread_codes(image: Image.Image, columns: dict[str, list[Any]], languages: str) -> None:
    unsure = [i for i, word in enumerate(columns["text"])
              if len(word) >= 6 and 0 <= columns["conf"][i] < REREAD_BELOW
              and CODE_WORD.fullmatch(word) and any(ch.isdigit() for ch in word)]
    if not unsure:
        return
    with _engine(languages, 7) as line_reader:  # psm 7: the image is one line of text
        for i in unsure[:MAX_REREADS]:
            left, top, width, height = (int(columns[k][i]) for k in ("left", "top", "width",
                                                                     "height"))
            pad = max(4, height // 2)
            crop = image.crop((max(0, left - pad), max(0, top - pad),
                               min(image.width, left + width + pad),
                               min(image.height, top + height + pad)))
            for scale in REREAD_SCALES:
                _set_image(line_reader, crop.resize((crop.width * scale, crop.height * scale),
                                                    Image.Resampling.LANCZOS))
                # The margin may catch a neighbour's edge (". SP/015/X1/2026"): the one
                # number-like word of the reading is the word.
                codes = [w for w in line_reader.GetUTF8Text().split() if CODE_WORD.fullmatch(w)]
                confidence = float(line_reader.MeanTextConf())
                word = codes[0] if len(codes) == 1 else ""
                if word and confidence >= columns["conf"][i] + REREAD_GAIN:
                    log.debug("tesseract: %r (%.0f) read again as %r (%.0f)",
                              columns["text"][i], columns["conf"][i], word, confidence)
                    columns["text"][i], columns["conf"][i] = word, confidence
                if columns["conf"][i] >= REREAD_BELOW:
                    break  # sure enough now
            line_reader.Clear()


_TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left",
                "top", "width", "height", "conf", "text")


def _tsv_columns(table: str) -> dict[str, list[Any]]:
    """tesseract's TSV word table (no header row) as columns, like pytesseract's DICT output."""
    columns: dict[str, list[Any]] = {name: [] for name in _TSV_COLUMNS}
    for row in table.splitlines():
        cells = row.split("\t", len(_TSV_COLUMNS) - 1)
        if len(cells) < len(_TSV_COLUMNS):
            continue
        for name, cell in zip(_TSV_COLUMNS, cells, strict=True):
            columns[name].append(cell if name == "text" else _number(cell))
    return columns


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return -1.0


_engines: dict[tuple[str, int], list[Any]] = {}
_engines_lock = threading.Lock()


@contextlib.contextmanager
def _engine(languages: str, psm: int) -> Iterator[Any]:
    """A loaded tesseract engine for these languages, this thread's alone while in use."""
    key = (languages, psm)
    with _engines_lock:
        free = _engines.setdefault(key, [])
        api = free.pop() if free else None
    if api is None:
        api = _new_engine(languages, psm)
    try:
        yield api
    finally:
        with _engines_lock:
            _engines[key].append(api)


def _new_engine(languages: str, psm: int) -> Any:
    import tesserocr

    try:
        return tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=languages,
                                       psm=psm)
    except RuntimeError as exc:
        raise OcrFailed(f"tesseract could not load the languages {languages!r} from "
                        f"{tessdata_dir()}: {exc}") from exc


@functools.cache
def tessdata_dir() -> str:
    """Where the installed tesseract keeps its language models (TESSDATA_PREFIX wins)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    _require_tesseract()
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                             timeout=30, check=False)
    found = re.search(r'"([^"]+)"', listing.stdout + listing.stderr)
    if found is None:
        raise MissingDependency("tesseract does not say where its languages are",
                                advice="Set TESSDATA_PREFIX to its tessdata folder")
    return found.group(1)


def engine_version() -> str:
    """The version of the tesseract library that reads pages (tesserocr's own build)."""
    import tesserocr

    return str(tesserocr.tesseract_version()).split()[1]


def detect_orientation(image: Path, *, timeout: float = OSD_TIMEOUT_SECONDS,
                       dpi: int | None = None) -> Orientation | None:
    """Tesseract's orientation and script detection; None when it cannot tell (too little
    text, no osd language pack, or out of time)."""
    import pytesseract  # imported by the extraction child that meets the first scan

    config = f"--dpi {dpi}" if dpi else ""
    try:
        with _core():
            osd = pytesseract.image_to_osd(str(image), config=config, timeout=timeout,
                                           output_type=pytesseract.Output.DICT)
    except RuntimeError as exc:
        if "timeout" not in str(exc).lower():
            raise
        log.info("tesseract: orientation detection took more than %.0f s", timeout)
        return None
    except pytesseract.TesseractError as exc:
        log.debug("tesseract: no orientation: %s", str(exc.message or exc).strip()[:200])
        return None
    try:
        # tesseract's "Rotate" is clockwise; Pillow turns counter-clockwise.
        return Orientation(rotate=(360 - int(osd["rotate"])) % 360,
                           confidence=float(osd["orientation_conf"]))
    except (KeyError, TypeError, ValueError):
        log.debug("tesseract: unreadable OSD answer %r", osd)
        return None


def _assemble(data: dict[str, list]) -> OcrResult:
    """Rebuild text with tesseract's own block/paragraph/line structure."""
    lines: list[str] = []
    current: tuple[int, int, int] | None = None
    words: list[str] = []
    confidences: list[float] = []
    heights: list[int] = []
    confident_chars = 0
    last_block = None
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if key != current:
            if words:
                lines.append(" ".join(words))
            if last_block is not None and key[:2] != last_block:
                lines.append("")
            current, words, last_block = key, [], key[:2]
        words.append(word)
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if conf >= 0:
            confidences.append(conf)
        if conf >= CONFIDENT:
            confident_chars += sum(1 for ch in word if ch.isalnum())
            heights.append(int(data["height"][i]))
    if words:
        lines.append(" ".join(words))
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrResult("\n".join(lines), mean, len(confidences), confident_chars,
                     statistics.median(heights) if heights else None)
