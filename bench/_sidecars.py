"""Generated sidecars of realistic size for scale benchmarks, in exactly the format arsip writes.

Each record has the keys of `workers.pipeline.build_record` (plus `path` and `version`, as
`arsip.sidecar.write_sidecar` adds them); its archive path comes from arsip's own filing code
and the default filename template. The text is Indonesian and English back-office wording:
invoices, receipts, letters, payslips, bank statements, purchase orders, delivery notes,
contracts and reports of 1-3 pages (about 1-6 KB), with item lines, amounts, dates and
reference numbers, and filler drawn from a Zipf-like vocabulary: a few hundred real words that
most documents share, tens of thousands of rarer ones, and names that occur once or twice.

The archived originals are not written: `arsip reindex` and `arsip check` read sidecars only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from arsip.sidecar import SIDECAR_VERSION, doc_id_from_sha256, sidecar_dir
from bench._common import COMPANIES, EN_SENTENCES, ID_SENTENCES, ITEMS, MONTHS_ID, STREETS
from config.settings import DEFAULT_TEMPLATE
from workers.filing import render_relative_path, template_values

# The common vocabulary, roughly most frequent first (ranks 1..N of the Zipf draw).
_COMMON_TEXT = """
yang dan di dengan untuk dari ini pada kepada atas dalam tidak akan telah sudah sebagai oleh
the and of to for with this from on is are your we our be by as at that it all any
pembayaran tagihan jumlah total harga biaya rekening bank transfer nomor tanggal bulan tahun
payment invoice amount balance account date due month year period total services goods
barang jasa pengiriman pesanan pembelian penjualan kantor perusahaan karyawan bagian keuangan
delivery order purchase sales office company employee department finance accounting
pajak ppn pph npwp faktur kwitansi surat laporan perjanjian kontrak gaji upah tunjangan
tax vat receipt letter report agreement contract salary wage allowance deduction net gross
mohon harap segera lampiran berikut terlampir sesuai ketentuan berlaku dimaksud tersebut
please kindly attached following according applicable above below herewith regarding
diterima dikirim dibayar ditransfer disetujui ditandatangani dilaksanakan disampaikan
received sent paid transferred approved signed completed submitted issued confirmed
kerja sama terima kasih hormat direktur manajer staf admin gudang logistik operasional
thank regards sincerely director manager staff warehouse logistics operations procurement
rupiah dolar kurs diskon potongan uang muka termin angsuran cicilan denda bunga saldo
discount advance installment penalty interest outstanding credit debit charges fee
kertas tinta printer komputer laptop meja kursi lemari pendingin listrik air telepon internet
paper ink computer desk chair cabinet electricity water phone internet maintenance repair
proyek pekerjaan pemeliharaan perbaikan pemasangan instalasi konsultasi pelatihan sewa
project work installation consulting training rental lease license software hardware
jakarta bandung surabaya semarang medan makassar denpasar yogyakarta bekasi tangerang
customer supplier vendor client partner contractor shipment freight container quantity unit
pelanggan pemasok rekanan mitra kontraktor kiriman muatan kuantitas satuan unit buah lembar
kemudian selanjutnya demikian apabila sehingga namun karena agar bahwa maka serta maupun
however therefore because unless provided further accordingly pursuant hereby whereas
berdasarkan sehubungan menindaklanjuti memperhatikan mengingat menimbang memutuskan
review audit compliance policy procedure schedule budget forecast target realization
anggaran realisasi rencana jadwal kebijakan prosedur pemeriksaan evaluasi rapat koordinasi
"""
COMMON_WORDS = _COMMON_TEXT.split()

SYLLABLES = ["ka", "ri", "mo", "lu", "se", "ta", "no", "pi", "ve", "du", "ga", "zo", "be",
             "ru", "fa", "ki", "ne", "so", "wa", "ho", "ju", "me", "la", "ti", "ban", "tor",
             "sen", "dar", "pel", "gun", "mar", "lin", "ter", "kon"]
FIRST_NAMES = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hendra", "Indah",
               "Joko", "Kartika", "Lestari", "Made", "Nur", "Oktaviani", "Putri", "Rudi",
               "Sari", "Teguh", "Utami", "Wahyu", "Yuni", "Zainal", "Andi", "Bambang", "Rina",
               "Michael", "Sarah", "David", "Linda", "Robert", "Maria", "Kevin", "Jessica"]
LAST_NAMES = ["Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Nugroho", "Kusuma",
              "Siregar", "Simanjuntak", "Harahap", "Wibowo", "Setiawan", "Gunawan", "Halim",
              "Tanoto", "Lubis", "Nasution", "Suryadi", "Hartono", "Chandra", "Tan", "Lim"]
PREFIXES = ["PT", "PT", "PT", "CV", "UD", "Koperasi", "Yayasan"]
BUSINESS = ["Abadi", "Jaya", "Makmur", "Sentosa", "Sejahtera", "Mandiri", "Perkasa", "Utama",
            "Nusantara", "Samudra", "Bintang", "Cahaya", "Karya", "Sinar", "Global", "Prima",
            "Lestari", "Berkah", "Graha", "Mulia", "Indah", "Tunggal", "Logistik", "Teknik",
            "Niaga", "Persada", "Gemilang", "Harapan", "Sukses", "Maju"]
KNOWN = ["PT PLN (Persero)", "PT Telkom Indonesia", "BPJS Kesehatan", "BPJS Ketenagakerjaan",
         "Direktorat Jenderal Pajak", *COMPANIES]


@dataclass(frozen=True)
class Kind:
    slug: str
    weight: float
    label_id: str
    label_en: str
    code: str  # the reference number's prefix ("" for none)
    lines: tuple[str, ...]  # type-specific sentences


KINDS = [
    Kind("invoice", 28, "Faktur", "Invoice", "INV", (
        "Mohon pembayaran dilakukan paling lambat tanggal jatuh tempo.",
        "Tagihan ini sudah termasuk PPN 11% sesuai ketentuan yang berlaku.",
        "Please remit payment by bank transfer before the due date.",
        "Kindly quote the invoice number on all payment advice.")),
    Kind("receipt", 12, "Kwitansi", "Receipt", "KW", (
        "Telah terima dari pelanggan uang sejumlah tersebut di bawah ini.",
        "Untuk pembayaran pelunasan tagihan sesuai faktur terlampir.",
        "Received with thanks the sum stated below in full settlement.")),
    Kind("letter", 15, "Surat", "Letter", "", (
        "Dengan hormat, bersama surat ini kami sampaikan hal-hal sebagai berikut.",
        "Menindaklanjuti rapat koordinasi, kami mengundang Bapak/Ibu untuk hadir.",
        "We are pleased to inform you of the following arrangements.",
        "Demikian surat ini kami sampaikan, atas perhatiannya kami ucapkan terima kasih.")),
    Kind("payslip", 8, "Slip Gaji", "Payslip", "SG", (
        "Gaji pokok dan tunjangan dibayarkan melalui transfer ke rekening karyawan.",
        "Potongan BPJS Kesehatan dan BPJS Ketenagakerjaan sesuai peraturan.",
        "Net salary is paid to the employee's account on the last working day.")),
    Kind("bank_statement", 6, "Rekening Koran", "Bank Statement", "RK", (
        "Saldo awal dan saldo akhir periode tercantum pada halaman ini.",
        "This statement reflects all transactions recorded up to the closing date.",
        "Mohon periksa mutasi rekening dan laporkan perbedaan dalam 30 hari.")),
    Kind("purchase_order", 9, "Pesanan Pembelian", "Purchase Order", "PO", (
        "Mohon dikirim barang sesuai spesifikasi dan jumlah di bawah ini.",
        "Please deliver the goods listed below to our warehouse.",
        "Harga sudah termasuk ongkos kirim sampai gudang kami.")),
    Kind("delivery_note", 8, "Surat Jalan", "Delivery Note", "SJ", (
        "Barang telah diterima dalam keadaan baik dan sesuai dengan pesanan.",
        "The goods were delivered in good order and condition.",
        "Pengemudi wajib meminta tanda tangan penerima pada surat jalan ini.")),
    Kind("contract", 4, "Perjanjian", "Contract", "PKS", (
        "Para pihak sepakat untuk mengadakan perjanjian kerja sama dengan ketentuan berikut.",
        "The contract remains in force until both parties agree in writing to terminate it.",
        "Segala perselisihan diselesaikan secara musyawarah untuk mufakat.")),
    Kind("report", 6, "Laporan", "Report", "LAP", (
        "Laporan ini disusun berdasarkan data keuangan triwulan berjalan.",
        "Realisasi anggaran dibandingkan dengan rencana kerja tahun ini.",
        "The figures below summarise operations for the period under review.")),
    Kind("other", 4, "Dokumen", "Document", "", (
        "Dokumen ini disimpan sebagai arsip kantor.",
        "For your records.")),
]

EPOCH = date(2019, 1, 1)
LAST_DAY = date(2026, 11, 28)


def _zipf_cumulative(count: int, exponent: float, offset: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + offset) ** exponent
                                     for rank in range(1, count + 1)))


def _rupiah(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


@dataclass
class DocInfo:
    """What the queries need to know of one generated document."""

    id: str
    type: str
    correspondent: str | None
    created: str
    number: str | None
    amount: str | None  # the total as printed, e.g. "1.250.000"
    rare: list[str] = field(default_factory=list)  # words that occur in very few documents


class Corpus:
    """A deterministic stream of realistic sidecar records (`records(n)`)."""

    def __init__(self, seed: int, *, vocabulary: int = 40_000, companies: int = 3_000) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        rng = random.Random(seed + 1)
        synthetic: set[str] = set()
        while len(synthetic) < vocabulary:
            synthetic.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        rarer = sorted(synthetic - set(COMMON_WORDS))
        rng.shuffle(rarer)  # their ranks in a random order
        self.words = COMMON_WORDS + rarer
        self.word_cum = _zipf_cumulative(len(self.words), 1.05, 2.0)
        names: set[str] = set()
        while len(names) < companies:
            names.add(f"{rng.choice(PREFIXES)} {rng.choice(BUSINESS)} {rng.choice(BUSINESS)}"
                      + (f" {rng.choice(BUSINESS)}" if rng.random() < 0.3 else ""))
        self.companies = KNOWN + sorted(names)
        self.company_cum = _zipf_cumulative(len(self.companies), 0.9, 3.0)
        self.kind_cum = list(itertools.accumulate(k.weight for k in KINDS))
        self.serial = itertools.count(1)
        self.general = ID_SENTENCES + EN_SENTENCES

    # --- pieces ---
    def _words(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.word_cum, k=count)

    def _filler(self) -> str:
        words = self._words(self.rng.randint(6, 16))
        return " ".join(words).capitalize() + "."

    def _hapax(self) -> str:
        """A word (a name, a place, a product) that hardly any other document has."""
        return "".join(self.rng.choice(SYLLABLES) for _ in range(5))

    def _person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _created(self) -> date:
        span = (LAST_DAY - EPOCH).days
        # more recent documents are more common
        return EPOCH + timedelta(days=int(span * self.rng.random() ** 0.6))

    def _number(self, kind: Kind, created: date) -> str | None:
        n = next(self.serial) % 100_000
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
        if not kind.code:
            return None if self.rng.random() < 0.6 else \
                f"{n:03d}/{self.rng.choice(['SK', 'UND', 'ADM', 'HRD'])}/" \
                f"{roman[created.month - 1]}/{created.year}"
        style = self.rng.random()
        if style < 0.5:
            return f"{kind.code}/{created.year}/{n:05d}"
        if style < 0.8:
            return f"{kind.code}-{created.year % 100:02d}{created.month:02d}-{n:05d}"
        return f"{n:04d}/{kind.code}/{roman[created.month - 1]}/{created.year}"

    def _item_line(self) -> tuple[str, int]:
        item = self.rng.choice(ITEMS) if self.rng.random() < 0.6 else \
            " ".join(self._words(self.rng.randint(2, 4))).capitalize()
        qty, price = self.rng.randint(1, 60), self.rng.randint(5, 2500) * 1000
        return (f"{item:<36} {qty:>3} x {_rupiah(price):>15} = {_rupiah(qty * price):>17}",
                qty * price)

    def _special_line(self, kind: Kind, created: date) -> str:
        if kind.slug == "payslip":
            part = self.rng.choice(["Gaji pokok", "Tunjangan transport", "Tunjangan makan",
                                    "Lembur", "Potongan BPJS", "PPh 21", "Bonus kinerja"])
            return f"{part:<30} {_rupiah(self.rng.randint(50, 15000) * 1000):>18}"
        if kind.slug == "bank_statement":
            day = created - timedelta(days=self.rng.randint(0, 30))
            what = self.rng.choice(["TRSF E-BANKING", "SETORAN TUNAI", "BIAYA ADM",
                                    "BUNGA", "KLIRING", "DEBIT"])
            return (f"{day:%d/%m} {what} {self.rng.choice(self.companies[:200]).upper()} "
                    f"{_rupiah(self.rng.randint(10, 90000) * 1000)}")
        return self._item_line()[0]

    # --- one document ---
    def document(self, index: int) -> tuple[dict[str, Any], DocInfo]:
        rng = self.rng
        kind = rng.choices(KINDS, cum_weights=self.kind_cum)[0]
        english = rng.random() < 0.3
        label = kind.label_en if english else kind.label_id
        created = self._created()
        sender = rng.choices(self.companies, cum_weights=self.company_cum)[0]
        receiver = rng.choices(self.companies, cum_weights=self.company_cum)[0]
        number = self._number(kind, created)
        rare = [self._hapax() for _ in range(rng.randint(1, 4))]
        person = self._person()
        month = (created.strftime("%B") if english else MONTHS_ID[created.month - 1])
        subject = f"{label} {rng.choice(ITEMS).lower()}"
        header = [sender.upper(), rng.choice(STREETS), "",
                  f"{rng.choice(['Jakarta', 'Bandung', 'Surabaya', 'Medan'])}, "
                  f"{created.day} {month} {created.year}", label.upper()]
        if number:
            header.append(f"{'Number' if english else 'Nomor'}: {number}")
        header += [f"{'Subject' if english else 'Perihal'}: {subject}", "",
                   "To:" if english else "Kepada Yth.", receiver, "",
                   "Dear Sir/Madam," if english else "Dengan hormat,"]
        pages = rng.choice([1, 1, 1, 2, 2, 3])
        texts: list[str] = []
        total = 0
        for page in range(pages):
            lines = header[:] if page == 0 else [f"{sender} - {label} {number or ''} - "
                                                 f"{'page' if english else 'halaman'} "
                                                 f"{page + 1}", ""]
            budget = rng.randint(1000, 1900)
            size = sum(len(line) + 1 for line in lines)
            if page == 0:
                line = f"{rng.choice(kind.lines)} Ref {rare[0]}, {person}."
                lines.append(line)
                size += len(line) + 1
            while size < budget:
                roll = rng.random()
                if roll < 0.3 and kind.slug in ("invoice", "receipt", "purchase_order",
                                                "delivery_note", "payslip", "bank_statement"):
                    line = self._special_line(kind, created)
                    if kind.slug not in ("payslip", "bank_statement"):
                        total += int(line.rsplit("Rp ", 1)[1].replace(".", ""))
                elif roll < 0.5:
                    line = rng.choice(kind.lines)
                elif roll < 0.65:
                    line = rng.choice(self.general)
                else:
                    line = self._filler()
                    if rng.random() < 0.08 and len(rare) > 1:
                        line += f" {rng.choice(rare[1:]).capitalize()}."
                lines.append(line)
                size += len(line) + 1
            if page == pages - 1:
                npwp = f"{rng.randint(1, 99):02d}.{rng.randint(0, 999):03d}." \
                    f"{rng.randint(0, 999):03d}.{rng.randint(0, 9)}-{rng.randint(0, 999):03d}.000" \
                    if rng.random() < 0.3 else None
                lines += ["", f"Total: {_rupiah(total)}" if total else "",
                          f"NPWP {npwp}" if npwp else "",
                          "Regards," if english else "Hormat kami,", person, sender]
            texts.append("\n".join(lines))
        content = "\n\n".join(texts)
        keys: dict[str, Any] = {
            "amount": {"value": float(total), "currency": "IDR", "text": _rupiah(total)}
            if total else None,
            "due_date": (created + timedelta(days=30)).isoformat()
            if kind.slug == "invoice" else None,
            "npwp": npwp}
        record = self._record(index, kind, english, created, sender, number, subject, content,
                              pages, keys)
        info = DocInfo(record["id"], kind.slug, record["correspondent"], record["created"],
                       number, _rupiah(total)[3:] if total else None, rare)
        return record, info

    def _record(self, index: int, kind: Kind, english: bool, created: date, sender: str,
                number: str | None, subject: str, content: str, pages: int,
                keys: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        data = content.encode("utf-8")
        sha = hashlib.sha256(data + f"\0{self.seed}:{index}".encode()).hexdigest()
        added = datetime.combine(created + timedelta(days=rng.randint(0, 20)),
                                 datetime.min.time(), tzinfo=timezone.utc) \
            + timedelta(seconds=rng.randint(8 * 3600, 18 * 3600))
        title = f"{kind.label_id if not english else kind.label_en} {number}" if number \
            else subject
        tags = [t for t in ("pajak",) if "NPWP" in content or "PPN" in content]
        if rng.random() < 0.2:
            tags.insert(0, rng.choice(["keuangan", "hrd", "umum", str(created.year)]))
        correspondent = None if rng.random() < 0.05 else sender
        scanned = rng.random() < 0.4
        record: dict[str, Any] = {
            "id": doc_id_from_sha256(sha), "sha256": sha,
            "claim_id": f"{added:%Y%m%dT%H%M%S}-{sha[16:26]}",
            "original_name": f"scan_{index:06d}.pdf", "original_path": None,
            "source": "inbox", "size": len(data) * (40 if scanned else 3),
            "mime": "application/pdf", "added": added.isoformat(timespec="seconds"),
            "created": created.isoformat(), "created_source": "content",
            "type": kind.slug, "correspondent": correspondent, "title": title, "tags": tags,
            "number": number, "language": "en" if english else "id",
            "extraction": {
                "kind": "pdf", "mime": "application/pdf", "page_count": pages,
                "ocr_pages": pages if scanned else 0,
                "confidence": round(rng.uniform(82, 97), 1) if scanned else None,
                "blank_pages": [], "flags": [], "notes": [],
                "pages": [{"number": p + 1, "method": "ocr" if scanned else "text",
                           "confidence": None, "dpi": 300 if scanned else None, "flags": [],
                           "rotation": 0, "skew": 0.0} for p in range(pages)],
            },
            "classification": {
                "auto": {}, "correspondent": f"letterhead line {sender.upper()!r}",
                "date": {"chosen": f"{created.isoformat()!r} on line 4 (next to a date label)",
                         "candidates": []},
                "title": "type and document number" if number else "subject line",
                "type": {"chosen": kind.slug, "matched": [f"literal {kind.label_id.lower()!r}"],
                         "scores": {kind.slug: 9.0}},
            },
            "content": content,
            **keys,  # amount, due_date, npwp: top-level key fields (see arsip.keyfields)
        }
        record["original_path"] = f"/srv/scans/{record['original_name']}"
        values = template_values({**record, "original_stem": f"scan_{index:06d}"}, ext=".pdf",
                                 added=added.date())
        record["path"] = str(render_relative_path(DEFAULT_TEMPLATE, values))
        return record

    def records(self, count: int) -> Iterator[tuple[dict[str, Any], DocInfo]]:
        for index in range(count):
            yield self.document(index)


def write_sidecars(archive: Path, count: int, seed: int) -> tuple[list[DocInfo], int]:
    """`count` sidecars in `archive/.arsip/`, as `write_sidecar` writes them (without its
    fsync per file). Returns what the queries need and the bytes written."""
    folder = sidecar_dir(archive)
    folder.mkdir(parents=True, exist_ok=True)
    infos: list[DocInfo] = []
    written = 0
    for record, info in Corpus(seed).records(count):
        text = json.dumps({**record, "version": SIDECAR_VERSION}, ensure_ascii=False, indent=1,
                          sort_keys=True)
        fd = os.open(folder / f"{record['id']}.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                     0o640)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        written += len(text)
        infos.append(info)
    return infos, written
