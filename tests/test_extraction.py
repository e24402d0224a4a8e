"""Text extraction with the real tesseract, real corpus files and files made here: rotated and
skewed scans, deceptive text layers, every image kind, text encodings, encrypted PDFs, blank
pages, limits that keep a worker from stalling, and a crashing parser that costs one document."""

from __future__ import annotations

import json
import logging
import re
import shutil
import statistics
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from arsip.errors import (
    CorruptDocument,
    EncryptedDocument,
    OcrTimeout,
    TooLargeDocument,
)
from config.settings import Settings
from tests.conftest import arsip_env, arsip_json, start_arsip, stop, wait_until
from workers.extract import Extraction, extract_text, isolation
from workers.extract.detect import sniff
from workers.extract.image import heic_supported
from workers.extract.textfile import decode_text
from workers.extract.textlayer import Layer, judge_layer

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
PHOTOTEST = CORPUS / "tesseract-test" / "phototest.tif"
PHOTOTEST_WORDS = (CORPUS / "tesseract-test" / "phototest.txt").read_text()
heic_supported()  # registers pillow-heif with Pillow, which writes the HEIC samples below


def recall(reference: str, text: str) -> float:
    """Share of the reference's words that came out (bag of words, case and punctuation
    ignored), as bench/ocr_accuracy.py counts it."""
    def words(s: str) -> list[str]:
        return re.findall(r"[^\W_]+", s.lower())
    found = words(text)
    wanted = words(reference)
    hits = 0
    for word in wanted:
        if word in found:
            found.remove(word)
            hits += 1
    return hits / len(wanted)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(home=tmp_path_factory.mktemp("home"))


def phototest(mode: str = "L") -> Image.Image:
    with Image.open(PHOTOTEST) as image:
        return image.convert(mode)


def tiny_pdf(objects: list[bytes]) -> bytes:
    """A PDF from its objects (1 = catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def text_pdf(text: str, count: int = 1) -> bytes:
    """One page of Helvetica text whose page tree claims `count` pages."""
    stream = b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % text.encode("latin-1")
    return tiny_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def assert_reads_phototest(extraction: Extraction, minimum: float = 0.95) -> None:
    assert recall(PHOTOTEST_WORDS, extraction.text) >= minimum, extraction.text


# --- 1. rotated and skewed scans ------------------------------------------------------------


@pytest.mark.parametrize("name", ["phototest-rotated-180.png", "phototest-rotated-L.png",
                                  "phototest-rotated-R.png"])
def test_rotated_scans_are_read_upright(settings: Settings, name: str) -> None:
    extraction = extract_text(CORPUS / "tesseract-test" / name, settings)
    assert_reads_phototest(extraction)
    assert extraction.confidence is not None and extraction.confidence > 85


def test_an_upright_page_is_read_once_without_turning(settings: Settings,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="workers.extract.pageocr"):
        extraction = extract_text(PHOTOTEST, settings)
    assert_reads_phototest(extraction)
    passes = [r for r in caplog.records if "rotation" in r.getMessage()]
    assert len(passes) == 1, [r.getMessage() for r in caplog.records]
    assert not [r for r in caplog.records if "orientation" in r.getMessage()]
    assert extraction.pages[0].rotation == 0


def test_a_pdf_with_pages_at_every_quarter_turn(settings: Settings, tmp_path: Path) -> None:
    upright = phototest()
    pages = [upright.rotate(angle, expand=True) for angle in (0, 90, 180, 270)]
    path = tmp_path / "cardinal-phototest.pdf"
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=100.0)
    extraction = extract_text(path, settings)
    assert [p.method for p in extraction.pages] == ["ocr"] * 4
    for page in extraction.pages:
        assert recall(PHOTOTEST_WORDS, page.text) >= 0.95, (page.number, page.text)
    assert extraction.pages[2].rotation == 180


def test_a_rotated_and_skewed_scan_is_straightened(settings: Settings) -> None:
    extraction = extract_text(CORPUS / "ocrmypdf" / "rotated_skew.pdf", settings)
    reference = (CORPUS / "ocrmypdf" / "linn.txt").read_text()
    assert recall(reference, extraction.text) >= 0.95
    assert extraction.pages[0].skew != 0
    assert any("straightened" in flag for flag in extraction.summary()["flags"])


# --- 2. deceptive PDFs ----------------------------------------------------------------------


def test_a_text_layer_from_a_font_without_unicode_map_is_ocrd(settings: Settings) -> None:
    extraction = extract_text(CORPUS / "ocrmypdf" / "truetype_font_nomapping.pdf", settings)
    page = extraction.pages[0]
    assert page.method == "ocr" and "garbage_text_layer" in page.flags
    assert "Phone" in extraction.text


def test_text_drawn_as_vector_outlines_is_ocrd(settings: Settings) -> None:
    extraction = extract_text(CORPUS / "ocrmypdf" / "vector.pdf", settings)
    assert extraction.pages[0].method == "ocr"
    assert "Sample Vector PDF" in extraction.text


@pytest.mark.parametrize("name", ["pypdf/crazyones.pdf", "pdfplumber/scotus-transcript-p1.pdf",
                                  "pdfplumber/federal-register-2020-17221.pdf",
                                  "py-pdf-sample-files/multicolumn.pdf",
                                  "pypdf/Seige_of_Vicksburg_Sample_OCR.pdf",
                                  "invoice2data/AzureInterior.pdf"])
def test_a_good_text_layer_is_never_ocrd(settings: Settings, name: str) -> None:
    extraction = extract_text(CORPUS / name, settings)
    assert extraction.ocr_pages == 0
    assert all(not p.blank for p in extraction.pages)


def test_a_short_text_layer_with_nothing_else_on_the_page_is_kept(settings: Settings,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "short.pdf"
    path.write_bytes(text_pdf("Lampiran 1"))
    extraction = extract_text(path, settings)
    assert extraction.pages[0].method == "text" and extraction.text == "Lampiran 1"


def test_only_a_scanned_pdf_gets_a_scratch_folder_and_it_is_removed(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from workers.extract.pdf import extract_pdf

    made: list[str] = []
    real = tempfile.TemporaryDirectory

    def counted(*args: object, **kwargs: object) -> tempfile.TemporaryDirectory[str]:
        folder = real(*args, dir=tmp_path, **kwargs)  # type: ignore[call-overload]
        made.append(folder.name)
        return folder  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "TemporaryDirectory", counted)
    digital = extract_pdf(CORPUS / "invoice2data" / "AmazonWebServices.pdf", settings)
    assert digital.text and made == []  # a born-digital PDF: no folder made at all
    scan = extract_pdf(CORPUS / "ocrmypdf" / "rotated_skew.pdf", settings)
    assert "ocr" in {page.method for page in scan.pages} and len(made) == 1
    assert list(tmp_path.iterdir()) == []  # and the scan's folder is gone


def test_text_layer_judgement() -> None:
    assert judge_layer("") is Layer.EMPTY
    assert judge_layer('"7+%-') is Layer.GARBAGE
    assert judge_layer("(cid:12)(cid:13)(cid:14)(cid:15)(cid:16)") is Layer.GARBAGE
    assert judge_layer("\ue000\ue001\ue002\ue003 \ue004\ue005") is Layer.GARBAGE
    assert judge_layer("Halaman 2") is Layer.SHORT
    assert judge_layer("Faktur INV/2026/0042 tanggal 12 November 2026") is Layer.GOOD
    assert judge_layer("Jumlah: Rp 1.250.000,00 — PPN 11 %") is Layer.GOOD
    assert judge_layer("Tagihan: ..........  —  ____ |  \u200b\x00\ufffd lunas") is Layer.GOOD
    assert judge_layer("\u200b\x00\ufffd\x1d Rp 125 \ue000\ue001") is Layer.GARBAGE


def _judged_one_by_one(text: str) -> Layer:
    """The judgement's definition, character by character (judge_layer counts in bulk)."""
    import unicodedata

    from workers.extract.textlayer import LEADERS, MIN_JUDGED_CHARS, MIN_TEXT_CHARS

    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return Layer.EMPTY
    if len(chars) >= MIN_JUDGED_CHARS:
        plausible = [ch != "\ufffd" and unicodedata.category(ch)[0] in "LNPSM"
                     and unicodedata.category(ch) not in ("Co", "Cc", "Cs", "Cn")
                     for ch in chars]
        judged = [ch for ch in chars if ch not in LEADERS]
        wordlike = [ch for ch in judged if ch.isalnum() or unicodedata.category(ch)[0] == "M"]
        if (text.count("(cid:") * 6 > len(chars) * 0.1 or sum(plausible) / len(chars) < 0.85
                or (judged and len(wordlike) / len(judged) < 0.5)):
            return Layer.GARBAGE
    return Layer.SHORT if len(chars) < MIN_TEXT_CHARS else Layer.GOOD


def test_text_layer_judgement_counts_every_character_as_its_definition_does() -> None:
    import random

    rng = random.Random(7)
    every = [chr(c) for c in range(0x3000)] + [chr(0x11F04)] * 50  # and a Kawi letter (Cn here)
    mixes = [every, list("abc 12 ..--__|| \n\t\ue000\ufffd\x00\x1c\u200b\u0301é(cid:9)")]
    for _ in range(20_000):
        pool = rng.choice(mixes)
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert judge_layer(text) is _judged_one_by_one(text), repr(text)


# --- 3. images ------------------------------------------------------------------------------


def _save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def test_every_image_kind_is_read(settings: Settings, tmp_path: Path) -> None:
    made = {
        "group4.tif": _save(phototest("1"), tmp_path / "group4.tif", compression="group4",
                            dpi=(200, 200)),
        "page.bmp": _save(phototest("RGB"), tmp_path / "page.bmp"),
        "page.heic": _save(phototest("RGB"), tmp_path / "page.heic", quality=95),
        "page.avif": _save(phototest("RGB"), tmp_path / "page.avif", quality=95),
        "page-alpha.png": _save(phototest("RGBA"), tmp_path / "page-alpha.png"),
        "page-cmyk.jpg": _save(phototest("CMYK"), tmp_path / "page-cmyk.jpg", quality=95),
    }
    corpus = ["tesseract-test/phototest.tif", "pytesseract/test.gif", "pytesseract/test.webp",
              "pytesseract/test.jpeg2000"]
    expected = {"group4.tif": "image/tiff", "page.bmp": "image/bmp", "page.heic": "image/heic",
                "page.avif": "image/avif",
                "page-alpha.png": "image/png", "page-cmyk.jpg": "image/jpeg"}
    for path in [*made.values(), *(CORPUS / c for c in corpus)]:
        extraction = extract_text(path, settings)
        if path.name in expected:
            assert extraction.mime == expected[path.name]
        reference = PHOTOTEST_WORDS if "phototest" in path.name or path in made.values() \
            else "The quick brown dog jumped over the lazy fox"
        assert recall(reference, extraction.text) >= 0.95, (path.name, extraction.text)


def test_real_alpha_cmyk_and_gray_alpha_images(settings: Settings) -> None:
    la = extract_text(CORPUS / "pytesseract" / "test_la.png", settings)
    assert la.text.strip() == "This is test message"
    for name in ("baiona_alpha.png", "baiona_cmyk.jpg"):  # a map: some place names
        extraction = extract_text(CORPUS / "ocrmypdf" / name, settings)
        assert extraction.kind == "image" and len(extraction.text) > 40


def test_a_multi_page_tiff_gives_one_page_per_frame(settings: Settings, tmp_path: Path) -> None:
    with Image.open(CORPUS / "pytesseract" / "test_la.png") as la:  # its text is in the alpha
        second = Image.alpha_composite(Image.new("RGBA", la.size, "white"),
                                       la.convert("RGBA")).convert("1")
    path = tmp_path / "two-pages.tif"
    phototest("1").save(path, save_all=True, append_images=[second], compression="group4")
    extraction = extract_text(path, settings)
    assert len(extraction.pages) == 2
    assert recall(PHOTOTEST_WORDS, extraction.pages[0].text) >= 0.95
    assert extraction.pages[1].text.strip() == "This is test message"


def test_a_small_image_without_dpi_is_enlarged_for_tesseract(settings: Settings,
                                                              tmp_path: Path) -> None:
    small = phototest().resize((256, 192), Image.Resampling.LANCZOS)
    path = _save(small, tmp_path / "small.png")  # no dpi, ~7 px high letters
    extraction = extract_text(path, settings)
    assert "upscaled" in extraction.pages[0].flags
    assert_reads_phototest(extraction, 0.9)


def test_a_photo_is_turned_by_its_exif_orientation(settings: Settings, tmp_path: Path) -> None:
    sideways = phototest("RGB").rotate(90, expand=True)  # as the camera stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to view"
    path = _save(sideways, tmp_path / "photo.jpg", exif=exif, quality=95)
    extraction = extract_text(path, settings)
    assert_reads_phototest(extraction)
    assert extraction.pages[0].rotation == 0  # upright from EXIF, no orientation search


def test_heic_is_recognised_by_content(tmp_path: Path) -> None:
    assert heic_supported(), "pillow-heif is a dependency: HEIC photos must be readable"
    heic = _save(phototest("RGB"), tmp_path / "no-extension", format="HEIF")
    assert sniff(heic) == "image/heic"


# --- 4. text files --------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "encoding"), [
    ("Faktur Rp 1.250.000 — café €".encode(), "utf-8"),
    ("Faktur Rp 1.250.000 — café €".encode("utf-16"), "utf-16"),
    ("Faktur Rp 1.250.000 — café €".encode("utf-16-le"), "utf-16-le"),
    ("Faktur Rp 1.250.000 — café €".encode("utf-8-sig"), "utf-8-sig"),
    ("Faktur Rp 1.250.000 — café €".encode("cp1252"), "cp1252"),
    ("Faktur Rp 1.250.000 — café €".encode("utf-32"), "utf-32"),
])
def test_text_encodings_are_decoded_without_mangling(raw: bytes, encoding: str) -> None:
    assert decode_text(raw) == ("Faktur Rp 1.250.000 — café €", encoding)


def test_latin1_bytes_and_stray_bytes_are_never_lost() -> None:
    text, encoding = decode_text("Grüße aus Köln".encode("latin-1") + b" \x81\x8d")
    assert (text, encoding) == ("Grüße aus Köln \x81\x8d", "cp1252")
    text, encoding = decode_text("Jalan Merdeka — café".encode() + b" caf\xe9")
    assert text == "Jalan Merdeka — café café" and encoding.startswith("utf-8")


def test_text_files_through_extract_text(settings: Settings, tmp_path: Path) -> None:
    for name, raw in (("a.txt", "Nota pembelian — Rp 5.000".encode("utf-16")),
                      ("b.txt", "Nota pembelian — Rp 5.000\r\n".encode("cp1252"))):
        path = tmp_path / name
        path.write_bytes(raw)
        extraction = extract_text(path, settings)
        assert extraction.text.strip() == "Nota pembelian — Rp 5.000"


# --- 5. encrypted PDFs ----------------------------------------------------------------------


def test_a_pdf_with_only_an_owner_password_is_read(settings: Settings) -> None:
    extraction = extract_text(CORPUS / "pypdf" / "r6-owner-password.pdf", settings)
    assert "pdf encryption test" in extraction.text


@pytest.mark.parametrize("name", ["pypdf/r2-user-password.pdf", "pypdf/r6-both-passwords.pdf",
                                  "pypdf/crazyones-encrypted-256.pdf"])
def test_a_pdf_with_a_user_password_is_quarantined_with_advice(settings: Settings,
                                                                name: str) -> None:
    with pytest.raises(EncryptedDocument) as caught:
        extract_text(CORPUS / name, settings)
    assert "password protected" in caught.value.message
    assert "qpdf --decrypt" in caught.value.advice


# --- 6. confidence and blank pages ----------------------------------------------------------


def test_a_page_that_reads_as_nothing_is_flagged(settings: Settings, tmp_path: Path) -> None:
    path = _save(Image.new("L", (1240, 1754), 255), tmp_path / "blank.png", dpi=(150, 150))
    summary = extract_text(path, settings).summary()
    assert summary["blank_pages"] == [1]
    assert summary["flags"] and "no text was found" in summary["flags"][0]
    json.dumps(summary)  # goes into the sidecar as it is


def test_a_blank_page_among_others_is_named(settings: Settings) -> None:
    extraction = extract_text(CORPUS / "ocrmypdf" / "livecycle.pdf", settings)
    assert extraction.blank_pages == [1] and extraction.summary()["flags"]
    text = extract_text(PHOTOTEST, settings)
    assert text.summary()["flags"] == [] and text.pages[0].confidence


# --- 7. limits ------------------------------------------------------------------------------


def _timed(path: Path, settings: Settings) -> tuple[float, Extraction | Exception]:
    started = time.perf_counter()
    try:
        result: Extraction | Exception = extract_text(path, settings)
    except (TooLargeDocument, CorruptDocument, OcrTimeout) as exc:
        result = exc
    return time.perf_counter() - started, result


def test_a_huge_monochrome_image_is_read_at_reduced_resolution_in_seconds(
        settings: Settings) -> None:
    seconds, result = _timed(CORPUS / "ocrmypdf" / "hugemono.pdf", settings)
    assert isinstance(result, Extraction)
    assert "very big image" in result.text
    assert "reduced_resolution" in result.pages[0].flags
    assert seconds < 20


def test_an_enormous_page_is_read_in_seconds(settings: Settings) -> None:
    seconds, result = _timed(CORPUS / "ocrmypdf" / "enormous.pdf", settings)
    assert isinstance(result, Extraction) and "9000x9000" in result.text.replace(" ", "")
    assert seconds < 20


def test_pdfs_claiming_millions_of_pages_are_handled_in_seconds(settings: Settings,
                                                                tmp_path: Path) -> None:
    liar = tmp_path / "claims-5000000.pdf"  # /Count 5000000 over one real page
    liar.write_bytes(text_pdf("Hello claimed pages", count=5_000_000))
    # A page tree that fans out by referring to the same node ten times, seven levels deep:
    # ten million pages in a kilobyte.
    nodes = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(7):
        kid = b"%d 0 R " % (level + 3)
        nodes.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid * 10, 10 ** (7 - level)))
    nodes.append(b"<< /Type /Page /MediaBox [0 0 612 792] >>")
    bomb = tmp_path / "page-tree-bomb.pdf"
    bomb.write_bytes(tiny_pdf(nodes))
    many = tmp_path / "3000-pages.pdf"
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * 3000
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(3000))
    many.write_bytes(tiny_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [%s] /Count 3000 >>" % kids, *pages]))

    seconds, result = _timed(liar, settings)
    assert isinstance(result, Extraction) and result.text == "Hello claimed pages"
    assert seconds < 5
    for path in (bomb, many):
        seconds, result = _timed(path, settings)
        assert isinstance(result, TooLargeDocument), result
        assert "max_pages" in result.message
        assert seconds < 5


def test_images_and_files_over_the_limits_are_refused(settings: Settings, tmp_path: Path) -> None:
    big = _save(Image.new("1", (6000, 5000), 1), tmp_path / "big.png")
    _, result = _timed(big, settings.replaced(max_pixels=20_000_000))
    assert isinstance(result, TooLargeDocument) and "max_pixels" in result.message
    tiny_files = settings.replaced(max_file_mb=0.005)
    _, result = _timed(CORPUS / "pypdf" / "crazyones.pdf", tiny_files)
    assert isinstance(result, TooLargeDocument) and "max_file_mb" in result.message


def test_tesseracts_time_limit_per_page(settings: Settings) -> None:
    hurried = settings.replaced(ocr_timeout_seconds=0.01)
    with pytest.raises(OcrTimeout, match="more than 0 s on one page"):
        extract_text(PHOTOTEST, hurried)


# --- 8. crash isolation ---------------------------------------------------------------------


def test_a_crashing_parser_costs_one_document_not_the_worker(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "crash-me.pdf"
    shutil.copyfile(CORPUS / "pypdf" / "crazyones.pdf", victim)
    monkeypatch.setenv(isolation.CRASH_ENV, "crash-me.pdf")
    with pytest.raises(CorruptDocument) as caught:
        extract_text(victim, settings)
    assert "PDF parser crashed (signal 11, SIGSEGV)" in caught.value.message
    assert "save (or print to PDF) a new copy" in caught.value.advice
    monkeypatch.setenv(isolation.CRASH_ENV, "crash-me.pdf:abort")
    with pytest.raises(CorruptDocument, match="signal 6, SIGABRT"):
        extract_text(victim, settings)
    # The process carries on: other documents, also in flight at the same time, are read.
    results: dict[str, object] = {}

    def read(path: Path) -> None:
        try:
            results[path.name] = extract_text(path, settings)
        except CorruptDocument as exc:
            results[path.name] = exc

    threads = [threading.Thread(target=read, args=(p,)) for p in
               (victim, CORPUS / "pypdf" / "crazyones.pdf", PHOTOTEST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert isinstance(results["crash-me.pdf"], CorruptDocument)
    assert isinstance(results["crazyones.pdf"], Extraction)
    assert isinstance(results["phototest.tif"], Extraction)


def test_a_stalled_parser_is_stopped(settings: Settings, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "hang.png"
    shutil.copyfile(CORPUS / "pytesseract" / "test_la.png", victim)
    monkeypatch.setenv(isolation.CRASH_ENV, "hang.png:hang")
    monkeypatch.setattr(isolation, "STALL_MARGIN_SECONDS", 1.0)
    hurried = settings.replaced(ocr_timeout_seconds=1.0)
    started = time.perf_counter()
    with pytest.raises(OcrTimeout, match="image decoder made no progress for 2 s"):
        extract_text(victim, hurried)
    assert time.perf_counter() - started < 10


def test_isolation_costs_little_per_document(settings: Settings) -> None:
    born_digital = CORPUS / "pypdf" / "crazyones.pdf"
    extract_text(born_digital, settings)  # the forkserver starts once per worker process
    times = []
    for _ in range(7):
        started = time.perf_counter()
        extract_text(born_digital, settings)
        times.append(time.perf_counter() - started)
    print(f"born-digital 1-page PDF end to end: median {statistics.median(times) * 1000:.0f} ms")
    assert statistics.median(times) < 0.25


def test_memory_of_a_scanned_pdf_stays_small(settings: Settings, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    page = phototest()
    path = tmp_path / "scan.pdf"
    page.save(path, save_all=True, append_images=[page] * 3, resolution=80.0)
    with caplog.at_level(logging.DEBUG, logger="workers.extract.isolation"):
        extraction = extract_text(path, settings)
    assert len(extraction.pages) == 4
    peaks = [r.getMessage() for r in caplog.records if "peak memory" in r.getMessage()]
    megabytes = [float(m) for m in re.findall(r"([\d.]+) MB", peaks[0])]
    assert max(megabytes) < 500, peaks


@pytest.mark.slow
def test_a_running_arsip_quarantines_the_crash_and_files_the_rest(home: Path,
                                                                   tmp_path: Path) -> None:
    env = arsip_env(home, **{isolation.CRASH_ENV: "CRASH-MARK"})
    process = start_arsip(home, "run", env=env)
    try:
        inbox = home / "inbox"
        wait_until(inbox.is_dir, 30, "arsip run did not start")
        (tmp_path / "crash-me.pdf").write_bytes(text_pdf("Surat CRASH-MARK"))
        shutil.move(str(tmp_path / "crash-me.pdf"), inbox / "crash-me.pdf")
        (tmp_path / "good.pdf").write_bytes(text_pdf("Surat baik sekali"))
        shutil.move(str(tmp_path / "good.pdf"), inbox / "good.pdf")
        wait_until(lambda: (lambda s: s["filed"] == 1 and s["failed"] == 1)(
            arsip_json(home, "status", env=env)), 60, "the two files did not settle")
        assert process.poll() is None, "arsip run died with the parser"
    finally:
        assert stop(process) == 0
    reasons = [json.loads(p.read_text()) for p in (home / "failed").glob("*/reason.json")]
    assert [r["kind"] for r in reasons] == ["corrupt"]
    assert "crashed (signal 11, SIGSEGV)" in reasons[0]["message"]
    assert reasons[0]["what_to_do"]


def test_a_page_is_never_lost_to_its_straightening(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Seen on a photographed letter: straightened (1.6°) it read as nothing, as it was it read
    fine. Fake a straightening that wipes the page, at our own wrapper: the level page wins."""
    from PIL import Image

    from config import load_settings
    from tests.docsamples import Sample, letter_lines, render_page
    from workers.extract import imageprep, pageocr

    page = render_page(letter_lines(Sample("x.jpg", "jpeg", "duren", "Surat Foto",
                                           "2026-05-20")))
    tilted = page.rotate(-1.6, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    wiped: list[float] = []

    def wipe(image: Image.Image, angle: float) -> Image.Image:
        wiped.append(angle)
        return Image.new("L", image.size, 255)

    monkeypatch.setattr(imageprep, "deskew", wipe)  # pageocr takes it from there at each page
    result = pageocr.ocr_page(tilted, number=1, dpi=200, settings=load_settings(home=tmp_path),
                              tmp=tmp_path)
    assert wiped and abs(wiped[0] - 1.6) < 0.5, "the tilt should have been found"
    assert "duren" in result.text and result.skew == 0.0


def test_straightening_fills_corners_with_the_paper_shade() -> None:
    from PIL import Image

    from workers.extract.imageprep import deskew, paper_shade

    grey = Image.new("L", (400, 300), 170)
    assert paper_shade(grey) == 170
    turned = deskew(grey, 3.0)
    assert turned.getpixel((0, 0)) == 170 and turned.getpixel((turned.width - 1, 0)) == 170


def _stamped_invoice(ink: tuple[int, int, int]) -> Image.Image:
    """A photographed-looking invoice header (cream paper, near-black print, a line of dark
    blue ballpoint) with a coloured 'DITERIMA' stamp pressed over its number block."""
    from PIL import ImageChops, ImageDraw, ImageFont

    def font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return ImageFont.load_default(size=px)

    page = Image.new("RGB", (1600, 700), (250, 248, 244))
    draw = ImageDraw.Draw(page)
    draw.text((80, 80), "FAKTUR PAJAK", font=font(56), fill=(20, 20, 20))
    for row, (label, value) in enumerate([("Nomor Faktur", "FKT/2025/11/4136"),
                                          ("Tanggal", "8 November 2025"),
                                          ("Pelanggan", "PT Kencana Logistik Indonesia")]):
        draw.text((80, 220 + row * 70), label, font=font(40), fill=(20, 20, 20))
        draw.text((470, 220 + row * 70), f": {value}", font=font(40), fill=(20, 20, 20))
    draw.text((80, 460), "Catatan: dibayar lunas", font=font(40), fill=(25, 35, 120))
    stamp = Image.new("RGB", (620, 260), (255, 255, 255))
    pad = ImageDraw.Draw(stamp)
    pad.rectangle([4, 4, 615, 255], outline=ink, width=8)
    pad.text((310, 80), "DITERIMA", font=font(72), fill=ink, anchor="mm")
    pad.text((310, 175), "12 NOV 2025", font=font(60), fill=ink, anchor="mm")
    stamp = stamp.rotate(-6, resample=Image.Resampling.BICUBIC, expand=True,
                         fillcolor=(255, 255, 255))
    x, y = 560, 150
    under = page.crop((x, y, x + stamp.width, y + stamp.height))
    page.paste(ImageChops.multiply(under, stamp), (x, y))  # ink over print, as a stamp presses
    return page


@pytest.mark.parametrize("ink", [(205, 35, 45), (45, 70, 185)], ids=["red", "blue"])
def test_a_coloured_stamp_over_the_number_is_dropped_out(tmp_path: Path, settings: Settings,
                                                         ink: tuple[int, int, int]) -> None:
    """Seen on received mail: a red or blue 'DITERIMA' stamp over the invoice number made it
    unreadable, because in plain grayscale the stamp's ink is as dark as the digits under it.
    With colour dropout the number reads, and dark coloured writing (a blue ballpoint note) is
    not dropped with the stamp."""
    from workers.extract.imageprep import drop_colour, has_colour_ink

    page = _stamped_invoice(ink)
    assert has_colour_ink(page)
    assert not has_colour_ink(page.convert("L").convert("RGB"))  # a gray page is left alone
    gray = drop_colour(page)
    assert gray.getpixel((10, 10)) == page.convert("L").getpixel((10, 10))  # paper: as it was
    path = tmp_path / "scan_0042.png"
    page.save(path, dpi=(200, 200))
    text = " ".join(extract_text(path, settings).text.split())
    assert "FKT/2025/11/4136" in text
    assert "8 November 2025" in text and "dibayar lunas" in text
