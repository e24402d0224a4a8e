"""An unsure reference number is read again, enlarged, and the surer reading is kept."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from workers.tools.tesseract import REREAD_BELOW, _reread_codes, _tsv_columns, ocr_picture


def _page_with(code: str) -> tuple[Image.Image, tuple[int, int, int, int]]:
    page = Image.new("L", (900, 200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=30)
    draw.text((60, 80), f"Nomor: {code}", fill=0, font=font)
    start = 60 + draw.textlength("Nomor: ", font=font)
    left, top, right, bottom = draw.textbbox((start, 80), code, font=font)
    return page, (left, top, right - left, bottom - top)


def test_an_unsure_number_is_replaced_by_a_surer_reading() -> None:
    page, (left, top, width, height) = _page_with("SP/015/XI/2026")
    # What a first reading of a stamped or blurred scan gave: a wrong word, unsure.
    columns = _tsv_columns(f"5\t1\t1\t1\t1\t1\t{left}\t{top}\t{width}\t{height}\t"
                           f"{REREAD_BELOW - 30}\tSP/015/XI1/202")
    _reread_codes(page, columns, "ind+eng")
    assert columns["text"][0] != "SP/015/XI1/202"
    assert "SP/015/" in columns["text"][0] and columns["text"][0].endswith("/2026")
    assert columns["conf"][0] >= REREAD_BELOW - 30 + 5


def test_sure_words_and_plain_words_are_left_alone() -> None:
    page, (left, top, width, height) = _page_with("INV/2026/0042")
    row = f"5\t1\t1\t1\t1\t1\t{left}\t{top}\t{width}\t{height}"
    sure = _tsv_columns(f"{row}\t96\tINV/2026/0043")  # sure: not second-guessed
    plain = _tsv_columns(f"{row}\t40\tNomor")  # no digits: not a number
    money = _tsv_columns(f"{row}\t40\tRp571.000")  # an amount, not a reference number
    for columns in (sure, plain, money):
        _reread_codes(page, columns, "ind+eng")
    assert sure["text"] == ["INV/2026/0043"] and plain["text"] == ["Nomor"]
    assert money["text"] == ["Rp571.000"]
    # And the whole page reads the number itself.
    assert "INV/2026/0042" in ocr_picture(page, languages="ind+eng", timeout=30, dpi=300).text
