"""Documents the tests make: born-digital PDFs, scans in every image format, text files.

Each sample is a short back-office letter with a known sender, date, subject and one unusual
word, so a test can predict its archive path and search for a word only OCR could have read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DPI = 200


@dataclass(frozen=True)
class Sample:
    name: str  # file name to drop
    kind: str  # pdf-text, pdf-scan, pdf-scan-multi, png, jpeg, tiff-multi, gif, webp, bmp, txt
    word: str  # a word that appears only in this document
    title: str
    created: str  # YYYY-MM-DD
    type: str = "letter"
    correspondent: str = "PT Sinar Abadi"

    @property
    def ext(self) -> str:
        return Path(self.name).suffix

    @property
    def expected_path(self) -> str:
        return (f"{self.created[:4]}/{self.type}/{self.correspondent}/"
                f"{self.created} {self.title}{self.ext}")


MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]


def letter_lines(sample: Sample) -> list[str]:
    year, month, day = sample.created.split("-")
    return [
        sample.correspondent.upper(),
        "Jl. Merdeka Barat No. 17, Jakarta Pusat",
        "",
        f"Jakarta, {int(day)} {MONTHS_ID[int(month) - 1]} {year}",
        f"Perihal: {sample.title}",
        "",
        "Kepada Yth.",
        "Bapak Direktur Keuangan",
        "",
        "Dengan hormat,",
        f"Bersama surat ini kami sampaikan dokumen {sample.word} untuk",
        "arsip kantor. Mohon diperiksa dan disimpan dengan baik.",
        "",
        "Hormat kami,",
        "Bagian Administrasi",
    ]


def render_page(lines: list[str], *, dpi: int = DPI) -> Image.Image:
    """A white A4 page with black text, as a flatbed scanner would give it."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=int(dpi * 0.17))
    y = int(dpi * 0.8)
    for line in lines:
        draw.text((int(dpi * 0.9), y), line, fill=0, font=font)
        y += int(dpi * 0.3)
    return page


def text_pdf(path: Path, pages: list[list[str]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = 780
        for line in lines:
            pdf.setFont("Helvetica", 12)
            pdf.drawString(60, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()


def write_sample(sample: Sample, folder: Path) -> Path:
    path = folder / sample.name
    lines = letter_lines(sample)
    if sample.kind == "pdf-text":
        text_pdf(path, [lines])
    elif sample.kind == "txt":
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif sample.kind == "pdf-scan":
        render_page(lines).save(path, "PDF", resolution=DPI)
    elif sample.kind == "pdf-scan-multi":
        first = render_page(lines)
        second = render_page(["Lampiran", f"Halaman kedua {sample.word}"])
        first.save(path, "PDF", resolution=DPI, save_all=True, append_images=[second])
    elif sample.kind == "tiff-multi":
        first = render_page(lines)
        second = render_page(["Lampiran", "Halaman kedua dokumen ini"])
        first.save(path, "TIFF", dpi=(DPI, DPI), compression="tiff_deflate", save_all=True,
                   append_images=[second])
    else:
        image = render_page(lines)
        formats = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP", "bmp": "BMP"}
        fmt = formats[sample.kind]
        options: dict[str, object] = {"dpi": (DPI, DPI)} if fmt in ("PNG", "JPEG") else {}
        if fmt == "JPEG":
            options["quality"] = 90
        if fmt == "WEBP":
            options["quality"] = 95
        (image.convert("RGB") if fmt != "GIF" else image).save(path, fmt, **options)
    return path


ALL_KINDS = [
    Sample("surat_digital.pdf", "pdf-text", "kenari", "Penawaran Kerja Sama", "2026-10-12"),
    Sample("scan_0001.pdf", "pdf-scan", "cendana", "Pemberitahuan Libur Kantor", "2026-09-03"),
    Sample("scan_0002.pdf", "pdf-scan-multi", "meranti", "Undangan Rapat Tahunan", "2026-08-21"),
    Sample("foto_0003.png", "png", "gaharu", "Konfirmasi Pesanan Barang", "2026-07-14"),
    Sample("foto_0004.jpg", "jpeg", "mahoni", "Perubahan Alamat Kantor", "2026-06-30"),
    Sample("scan_0005.tif", "tiff-multi", "bintaro", "Permohonan Data Karyawan", "2026-05-19"),
    Sample("scan_0006.gif", "gif", "jati", "Jadwal Pemeliharaan Gedung", "2026-04-08"),
    Sample("scan_0007.webp", "webp", "ulin", "Pengajuan Cuti Bersama", "2026-03-25"),
    Sample("scan_0008.bmp", "bmp", "sengon", "Laporan Kunjungan Klien", "2026-02-11", "letter"),
    Sample("catatan.txt", "txt", "trembesi", "Pengingat Pembayaran Sewa", "2026-01-27"),
]
