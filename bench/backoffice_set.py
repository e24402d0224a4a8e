"""A labelled set of realistic back-office documents, to measure how well arsip files them.

Ten types, roughly evenly: invoice, receipt, letter, contract, payslip, purchase_order,
delivery_note, bank_statement, report and other. "other" is what a back office also receives
that is none of the nine: minutes of meetings, price lists, product flyers and attendance
lists. They print prices, dates and numbers as well, so they are not trivially recognisable;
whether a price list "is" an invoice is exactly the confusion a classifier has to avoid.

Indonesian and English about half each, several layouts per type, the document's own date in
many spellings and labels next to distractor dates (due dates, birth dates, statement periods,
dates of other documents, printing times, "received" stamps), a unique reference number in
each, senders with and without letterheads, and addressee blocks that are not the sender.
About `scan_share` of the files are scans (Pillow renders the page; some look photographed:
rotated, blurred, noisy, on a grey background, JPEG-compressed), the rest born-digital PDFs
with a text layer and a few .txt files. The same seed always gives the same bytes.

    python bench/backoffice_set.py OUT_DIR [--count 90] [--seed 7] [--scan-share 0.5]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

TYPES = ("invoice", "receipt", "letter", "contract", "payslip", "purchase_order",
         "delivery_note", "bank_statement", "report", "other")
EARLIEST = date(2024, 2, 1)
LATEST = date(2026, 11, 19)  # every document date is before 2026-11-20

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 54.0, 50.0, 54.0
TEXT_W = PAGE_W - 2 * MARGIN_X
TXT_COLUMNS = 88

# ----------------------------------------------------------------------------------------
# Dates, numbers and amounts in words
# ----------------------------------------------------------------------------------------

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]
MONTHS_ID_ABBR = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                  "Des"]
MONTHS_ID_ALT = {2: "Pebruari", 11: "Nopember"}
MONTHS_ID_ABBR_ALT = {8: "Agt", 11: "Nop"}
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
MONTHS_EN_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec"]
DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

DATE_STYLES = {
    "id": ["long"] * 4 + ["abbr"] * 2 + ["dmy/"] * 3 + ["dmy-"] * 2 + ["dmy."] + ["iso"]
          + ["weekday"],
    "en": ["long"] * 3 + ["us"] * 3 + ["us_abbr"] * 2 + ["ordinal"] + ["abbr"] * 2 + ["dmy/"] * 2
          + ["iso"] + ["weekday"] + ["mdy"],
}


def month_name(d: date, lang: str, rng: random.Random, abbr: bool = False) -> str:
    if lang == "id":
        if abbr:
            alt = MONTHS_ID_ABBR_ALT.get(d.month)
            return alt if alt and rng.random() < 0.3 else MONTHS_ID_ABBR[d.month - 1]
        alt = MONTHS_ID_ALT.get(d.month)
        return alt if alt and rng.random() < 0.35 else MONTHS_ID[d.month - 1]
    return (MONTHS_EN_ABBR if abbr else MONTHS_EN)[d.month - 1]


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_date(d: date, lang: str, rng: random.Random, styles: Sequence[str] | None = None) -> str:
    """One of the many ways a date is printed on Indonesian and English paperwork."""
    style = rng.choice(list(styles or DATE_STYLES[lang]))
    day = f"{d.day:02d}" if rng.random() < 0.4 else str(d.day)
    if style == "long":
        return f"{day} {month_name(d, lang, rng)} {d.year}"
    if style == "abbr":
        month = month_name(d, lang, rng, abbr=True)
        form = rng.randrange(3)
        if form == 0:
            return f"{day} {month} {d.year}"
        if form == 1:
            return f"{d.day:02d}-{month}-{d.year}"
        return f"{day} {month}. {d.year}"
    if style == "dmy/":
        return f"{day}/{d.month:02d}/{d.year}"
    if style == "dmy-":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "dmy.":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "weekday":
        if lang == "id":
            return f"{DAYS_ID[d.weekday()]}, {d.day} {month_name(d, lang, rng)} {d.year}"
        if rng.random() < 0.5:
            return f"{DAYS_EN[d.weekday()]}, {d.day} {MONTHS_EN[d.month - 1]} {d.year}"
        return f"{DAYS_EN[d.weekday()]}, {MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
    if style == "us":
        return f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
    if style == "us_abbr":
        dot = "." if rng.random() < 0.4 else ""
        return f"{MONTHS_EN_ABBR[d.month - 1]}{dot} {d.day}, {d.year}"
    if style == "ordinal":
        return f"{ordinal(d.day)} {MONTHS_EN[d.month - 1]} {d.year}"
    if style == "mdy":
        if d.day > 12:  # only where it cannot be read the other way round
            return f"{d.month:02d}/{d.day:02d}/{d.year}"
        return f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
    raise ValueError(style)


_ID_ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
            "sepuluh", "sebelas"]


def terbilang(n: int) -> str:
    """An amount in Indonesian words, as written on receipts and contracts."""
    if n < 12:
        return _ID_ONES[n]
    if n < 20:
        return f"{terbilang(n - 10)} belas"
    if n < 100:
        return f"{terbilang(n // 10)} puluh {terbilang(n % 10)}".strip()
    if n < 200:
        return f"seratus {terbilang(n - 100)}".strip()
    if n < 1000:
        return f"{terbilang(n // 100)} ratus {terbilang(n % 100)}".strip()
    if n < 2000:
        return f"seribu {terbilang(n - 1000)}".strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")):
        if n >= size:
            return f"{terbilang(n // size)} {word} {terbilang(n % size)}".strip()
    return ""


_EN_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen"]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"]


def in_words(n: int) -> str:
    if n < 20:
        return _EN_ONES[n]
    if n < 100:
        return f"{_EN_TENS[n // 10]}-{_EN_ONES[n % 10]}".strip("-")
    if n < 1000:
        rest = in_words(n % 100)
        return f"{_EN_ONES[n // 100]} hundred" + (f" and {rest}" if rest else "")
    for size, word in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = in_words(n % size)
            return f"{in_words(n // size)} {word}" + (f" {rest}" if rest else "")
    return ""


# ----------------------------------------------------------------------------------------
# Who: companies and people
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    prefix: str  # PT, CV, UD or ""
    body: str
    suffix: str  # Tbk, Ltd, Pte Ltd, Inc, ... or ""
    street: str
    city: str
    phone: str
    email: str
    tagline: str = ""
    currency: str = "IDR"

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.prefix, self.body, self.suffix) if p)

    def printed(self, rng: random.Random) -> str:
        """The name as a letterhead prints it: `PT. SINAR ABADI`, `SINAR ABADI, PT`, …"""
        variants = [self.name, self.name, self.name.upper()]
        if self.prefix:
            tail = f" {self.suffix}" if self.suffix else ""
            variants += [f"{self.prefix}. {self.body}{tail}", f"{self.prefix}. {self.body}{tail}"
                         .upper()]
            if not self.suffix:
                variants.append(f"{self.body.upper()}, {self.prefix}")
        elif self.suffix in ("Ltd", "Inc", "Co"):
            variants.append(f"{self.name}.")
        return rng.choice(variants)


ID_COMPANIES = [
    Company("PT", "Sinar Abadi", "", "Jl. Merdeka Barat No. 17", "Jakarta Pusat 10110",
            "(021) 384 1120", "admin@sinarabadi.co.id", "General Supplier & Kontraktor"),
    Company("PT", "Mitra Karya Logistik", "", "Jl. Raya Cakung Cilincing Km 2",
            "Jakarta Utara 14130", "(021) 4483 9071", "cs@mkl-logistik.co.id",
            "Jasa Pengiriman & Pergudangan"),
    Company("CV", "Maju Bersama", "", "Jl. Kapten Tendean No. 45", "Semarang 50241",
            "(024) 831 2207", "majubersama.smg@gmail.com"),
    Company("PT", "Cahaya Prima Elektrindo", "", "Kawasan Industri Jababeka Blok F-12",
            "Cikarang, Bekasi 17530", "(021) 8983 4410", "sales@cahayaprima.co.id",
            "Panel Listrik - Kabel - Instalasi"),
    Company("PT", "Sumber Rejeki Makmur", "", "Jl. Raya Darmo No. 88", "Surabaya 60264",
            "(031) 567 2290", "finance@srm.co.id"),
    Company("CV", "Tirta Jaya Abadi", "", "Jl. Soekarno-Hatta No. 312", "Bandung 40235",
            "(022) 752 6618", "tirtajaya.bdg@yahoo.co.id", "Distributor Air Minum Dalam Kemasan"),
    Company("PT", "Nusantara Kemasindo", "", "Jl. Industri Raya III Blok AE No. 9",
            "Tangerang 15710", "(021) 5940 3321", "order@kemasindo.id",
            "Karton Box - Plastik - Label"),
    Company("PT", "Bintang Timur Solusindo", "", "Graha Mandiri Lt. 9, Jl. Imam Bonjol 61",
            "Jakarta Pusat 10310", "(021) 3190 8876", "info@btsolusindo.com",
            "IT Solution & Services"),
    Company("CV", "Karya Mandiri Teknik", "", "Jl. Gatot Subroto Barat No. 27", "Denpasar 80116",
            "(0361) 421 775", "kmteknik@gmail.com", "Bengkel Las & Fabrikasi"),
    Company("UD", "Sumber Tani", "", "Jl. Pasar Baru No. 3", "Malang 65119", "0341-362 118",
            "", "Pupuk - Benih - Obat Pertanian"),
    Company("PT", "Graha Niaga Sentosa", "", "Jl. Gajah Mada No. 150", "Medan 20153",
            "(061) 455 9012", "gns.medan@grahaniaga.co.id"),
    Company("PT", "Dwi Putra Persada", "", "Ruko Sentra Niaga B/7, Jl. Boulevard", "Makassar 90231",
            "(0411) 588 204", "dpp.makassar@gmail.com", "Alat Tulis Kantor & Percetakan"),
]
EN_COMPANIES = [
    Company("", "Greenfield Office Supplies", "Ltd", "Unit 4, Riverside Trade Park",
            "Leeds LS10 1AB, United Kingdom", "+44 113 496 0571",
            "accounts@greenfield-office.co.uk", "Stationery - Furniture - Print", "GBP"),
    Company("", "Harbourline Freight", "Pte Ltd", "10 Pasir Panjang Road #07-21",
            "Singapore 117438", "+65 6271 4400", "billing@harbourline.sg",
            "Sea & Air Freight Forwarding", "SGD"),
    Company("", "Northwind Components", "Inc", "1450 Industrial Parkway",
            "Fremont, CA 94538, USA", "+1 510 555 0142", "ar@northwind-components.com", "", "USD"),
    Company("", "Bluewater Consulting", "LLC", "220 Harbor Drive, Suite 1100",
            "San Diego, CA 92101, USA", "+1 619 555 0186", "hello@bluewaterconsult.com", "",
            "USD"),
    Company("", "Meridian Data Services", "Ltd", "Level 12, 88 Collins Street",
            "Melbourne VIC 3000, Australia", "+61 3 9020 7700", "finance@meridiandata.com.au",
            "Managed Hosting & Data Centre Services", "AUD"),
    Company("", "Summit Industrial Gases", "Pte Ltd", "21 Tuas South Avenue 6",
            "Singapore 637021", "+65 6863 1180", "sales@summitgases.sg", "", "SGD"),
    Company("", "Oakridge Engineering", "GmbH", "Industriestrasse 14",
            "70565 Stuttgart, Germany", "+49 711 9384 220", "office@oakridge-eng.de",
            "Precision Machining", "EUR"),
    Company("", "Lakeside Print & Packaging", "Ltd", "3 Lakeside Business Park",
            "Swindon SN2 7ZY, United Kingdom", "+44 1793 496 300", "orders@lakesidepp.co.uk", "",
            "GBP"),
    Company("PT", "Anugerah Global Teknologi", "", "Jl. TB Simatupang Kav. 18",
            "Jakarta Selatan 12430", "+62 21 7884 5500", "sales@agtech.co.id",
            "Systems Integrator", "IDR"),
    Company("", "Pacific Crest Trading", "Co", "Room 1203, 77 Queen's Road Central",
            "Hong Kong", "+852 2521 3080", "trade@pacificcrest.hk", "", "USD"),
]
ID_BANKS = [
    Company("PT", "Bank Mandala Sejahtera", "Tbk", "Menara Mandala, Jl. Jend. Sudirman Kav. 45",
            "Jakarta 12930", "Layanan 24 jam 1500 818", "halo@bankmandala.co.id"),
    Company("PT", "Bank Arta Niaga", "", "Jl. Pemuda No. 60", "Surabaya 60271",
            "(031) 534 0088", "cs@bankartaniaga.co.id"),
]
EN_BANKS = [
    Company("", "Westport Bank", "Ltd", "1 Raffles Place #20-01", "Singapore 048616",
            "+65 6225 1000", "service@westportbank.sg", "", "SGD"),
    Company("PT", "Bank Mandala Sejahtera", "Tbk", "Menara Mandala, Jl. Jend. Sudirman Kav. 45",
            "Jakarta 12930", "Call centre 1500 818", "halo@bankmandala.co.id"),
]
# The back office's own group: these are addressees, never senders (except payslips).
OURS = [
    Company("PT", "Kencana Arsip Nusantara", "", "Jl. HR Rasuna Said Kav. C-22",
            "Jakarta Selatan 12940", "(021) 520 7788", "keuangan@kencana-arsip.co.id"),
    Company("PT", "Kencana Logistik Indonesia", "", "Jl. Raya Bekasi Km 21",
            "Jakarta Timur 13920", "(021) 460 3321", "ap@kencanalogistik.co.id"),
    Company("CV", "Berkah Mandiri Sejahtera", "", "Jl. Ahmad Yani No. 9", "Sidoarjo 61252",
            "(031) 894 1170", "berkahmandiri@gmail.com"),
]
PEOPLE_ID = ["Budi Santoso", "Siti Rahmawati", "Andi Wijaya", "Dewi Lestari", "Hendra Gunawan",
             "Rina Marlina", "Agus Setiawan", "Yuliana Putri", "Fajar Nugroho", "I Made Suarjana",
             "Teguh Prasetyo", "Maria Theresia Sinaga", "Rudi Hartono", "Nur Aini"]
PEOPLE_EN = ["James Carter", "Emily Tan", "Rajesh Kumar", "Sarah O'Connor", "Michael Lim",
             "Laura Becker", "David Chen", "Olivia Hartono", "Thomas Wright", "Grace Ng"]
TITLES_ID = ["Direktur", "Direktur Utama", "Manajer Keuangan", "Kepala Bagian Penjualan",
             "Manajer Operasional", "Staf Administrasi"]
TITLES_EN = ["Managing Director", "Finance Manager", "Sales Manager", "Operations Manager",
             "Accounts Receivable", "Director"]
CITIES_ID = ["Jakarta", "Surabaya", "Bandung", "Semarang", "Medan", "Bekasi", "Tangerang",
             "Denpasar", "Makassar", "Malang"]

GOODS_ID = [("Kertas HVS A4 80 gr", "rim", 52000), ("Toner Printer LaserJet 85A", "pcs", 685000),
            ("Map Ordner Bantex", "pcs", 38500), ("Kabel NYM 3 x 2,5 mm", "roll", 1450000),
            ("Semen Portland 50 kg", "sak", 68000), ("Besi Beton Ulir 13 mm", "batang", 112000),
            ("Air Mineral Galon 19 L", "galon", 21000), ("Karton Box 40x30x30", "pcs", 7800),
            ("Lakban Coklat 2 inch", "roll", 14500), ("Palet Kayu 120x100", "pcs", 185000),
            ("Cat Tembok 25 kg", "pail", 1150000), ("Sarung Tangan Safety", "pasang", 24000),
            ("Baut M12 x 50", "pcs", 3500), ("Oli Mesin SAE 40", "liter", 46000),
            ("Pupuk NPK 50 kg", "karung", 475000), ("MCB 1 Phase 16A", "pcs", 89000)]
SERVICES_ID = [("Jasa pengiriman Jakarta - Surabaya", "trip", 4750000),
               ("Sewa forklift 3 ton", "hari", 1350000),
               ("Jasa perawatan AC split", "unit", 175000),
               ("Instalasi jaringan LAN", "titik", 450000),
               ("Jasa kebersihan gedung", "bulan", 12500000),
               ("Sewa gudang", "m2", 65000)]
GOODS_EN = [("A4 copy paper 80gsm", "box", 38.50), ("Laser toner cartridge 85A", "ea", 74.00),
            ("24-port network switch", "ea", 289.00), ("Nitrogen cylinder 47L", "cyl", 58.00),
            ("Stainless bolt M12x50", "box", 22.40), ("Pallet stretch film 500mm", "roll", 17.90),
            ("Corrugated carton 400x300x300", "bundle", 31.20),
            ("Nitrile safety gloves", "pack", 9.60), ("Bearing 6205-2RS", "ea", 6.80),
            ("Label roll 100x150", "roll", 12.75)]
SERVICES_EN = [("Ocean freight SIN-JKT, 1x20ft container", "lot", 1450.00),
               ("Consulting services", "hr", 145.00), ("Managed hosting - monthly fee", "month",
                                                       2200.00),
               ("Customs clearance", "lot", 320.00), ("On-site maintenance visit", "visit", 480.00)]

# ----------------------------------------------------------------------------------------
# The page model: lines, rows of cells, rules and gaps, laid out by either renderer
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str = ""
    size: float = 10.0
    bold: bool = False
    align: str = "left"  # left, center, right
    cells: tuple[tuple[float, str, str], ...] = ()  # (x as a fraction of the width, text, l/r/c)
    rule: bool = False
    gap: float = 0.0  # extra space above, in points
    indent: float = 0.0  # fraction of the width
    page_break: bool = False
    signature: float = -1.0  # >= 0: a hand signature at this x fraction (scans only)


def T(text: str, size: float = 10.0, bold: bool = False, align: str = "left", gap: float = 0.0,
      indent: float = 0.0) -> Line:
    return Line(text=text, size=size, bold=bold, align=align, gap=gap, indent=indent)


def R(*cells: tuple[float, str] | tuple[float, str, str], size: float = 9.5, bold: bool = False,
      gap: float = 0.0) -> Line:
    full: list[tuple[float, str, str]] = []
    for cell in cells:
        full.append((cell[0], cell[1], cell[2] if len(cell) == 3 else "l"))
    return Line(cells=tuple(full), size=size, bold=bold, gap=gap)


def HR(gap: float = 2.0) -> Line:
    return Line(rule=True, gap=gap)


def GAP(points: float) -> Line:
    return Line(gap=points, size=0.0)


def SIG(x: float = 0.0) -> Line:
    return Line(signature=x, size=18.0)


# ----------------------------------------------------------------------------------------
# Building one document
# ----------------------------------------------------------------------------------------


@dataclass
class Ctx:
    rng: random.Random
    lang: str
    type: str
    day: date
    sender: Company
    to: Company
    to_person: str
    signer: str
    signer_title: str
    used: set[str]
    number: str = ""
    correspondent: str = ""
    letterhead_style: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> bool:
        return self.lang == "id"

    def pick(self, id_options: Sequence[Any], en_options: Sequence[Any]) -> Any:
        return self.rng.choice(list(id_options if self.id else en_options))

    def date(self, d: date | None = None, styles: Sequence[str] | None = None) -> str:
        return fmt_date(d or self.day, self.lang, self.rng, styles)

    def money(self, amount: float, currency: str | None = None) -> str:
        cur = currency or self.sender.currency
        style = self.extras.setdefault("money_style", self.rng.randrange(3))
        if cur == "IDR":
            whole = f"{round(amount):,}"
            if self.id:
                whole = whole.replace(",", ".")
                return [f"Rp {whole}", f"Rp. {whole},-", f"{whole},00"][style]
            return f"IDR {whole}"
        return f"{cur} {amount:,.2f}" if style == 0 else f"{amount:,.2f}"

    def label_amount(self, amount: float, currency: str | None = None) -> None:
        """Record the document's total as printed, for the labels (key-field accuracy)."""
        cur = currency or self.sender.currency
        value = float(round(amount)) if cur == "IDR" else round(amount, 2)
        self.extras["label_amount"] = {"value": value, "currency": cur}

    def ref(self, kind: str) -> str:
        """A number of some other document (a PO on an invoice, …): unique in the set too."""
        while True:
            value = make_number(kind, self.rng, self.day - timedelta(days=self.rng.randint(3, 40)),
                                self.sender)
            if value not in self.used:
                self.used.add(value)
                return value

    def person(self) -> str:
        return self.rng.choice(PEOPLE_ID if self.id else PEOPLE_EN)


def initials(company: Company) -> str:
    words = [w for w in company.body.replace("&", " ").split() if w[0].isalpha()]
    return "".join(w[0] for w in words[:3]).upper()


def make_number(kind: str, rng: random.Random, d: date, sender: Company) -> str:
    """A reference number in one of the formats real back offices use for `kind`."""
    y, m, r, ini = d.year, d.month, ROMAN[d.month - 1], initials(sender)
    n = rng.randint(1, 9999)
    formats: dict[str, list[Callable[[], str]]] = {
        "invoice": [lambda: f"INV/{y}/{n:04d}", lambda: f"INV-{y}{m:02d}-{n % 1000:03d}",
                    lambda: f"FKT/{r}/{y}/{n:04d}", lambda: f"{n:04d}/INV/{ini}/{r}/{y}",
                    lambda: f"SI{y % 100}{n:05d}", lambda: f"{ini}-INV-{n:05d}"],
        "receipt": [lambda: f"KW.{y}.{n:04d}", lambda: f"KWT/{n:04d}/{r}/{y}",
                    lambda: f"RCPT-{n * 37 % 999999:06d}", lambda: f"OR-{y}-{n:04d}",
                    lambda: f"BKM/{y}/{m:02d}/{n % 1000:03d}", lambda: f"R{n * 613 % 9999999:07d}"],
        "letter": [lambda: f"{n % 1000:03d}/{ini}/{r}/{y}",
                   lambda: f"{n % 1000:03d}/DIR-{ini}/{r}/{y}",
                   lambda: f"{ini}/OUT/{y}/{n:04d}", lambda: f"{ini}-L-{y}-{n % 1000:03d}"],
        "contract": [lambda: f"{n % 1000:03d}/PKS/{ini}-KAN/{r}/{y}", lambda: f"AGR-{y}-{n:04d}",
                     lambda: f"SPK/{y}/{n:04d}", lambda: f"{ini}/CTR/{y}/{n % 1000:03d}"],
        "payslip": [lambda: f"PS/{y}/{m:02d}/{n:04d}", lambda: f"SLIP-{y}{m:02d}-{n:05d}",
                    lambda: f"PAY{y}{m:02d}{n:04d}"],
        "po": [lambda: f"PO-{y}-{n:04d}", lambda: f"PO/{ini}/{y}/{n:04d}",
               lambda: f"45000{n:05d}", lambda: f"SP/{n % 1000:03d}/{r}/{y}"],
        "delivery_note": [lambda: f"SJ-{n * 7 % 99999:05d}", lambda: f"DO/{y}/{m:02d}/{n:04d}",
                          lambda: f"SJ/{n:04d}/{r}/{y}", lambda: f"DN-{y}-{n:04d}"],
        "bank_statement": [lambda: f"STM/{y}{m:02d}/{n * 17 % 999999:06d}",
                           lambda: f"RK-{y}{m:02d}{n:05d}", lambda: f"{y}{m:02d}-{n:06d}"],
        "report": [lambda: f"LAP/{ini}/{y}/{n % 1000:03d}", lambda: f"RPT-{y}-{n % 1000:03d}",
                   lambda: f"BX-{n * 29 % 999999:06d}", lambda: f"{n % 1000:03d}/LHP/{r}/{y}"],
        "other": [lambda: f"MOM-{y}-{n % 1000:03d}", lambda: f"{n % 100:02d}/NOT/{r}/{y}",
                  lambda: f"PL-{y}-{n % 100:02d}{'ABCD'[n % 4]}", lambda: f"DH/{y}/{n % 1000:03d}",
                  lambda: f"BRO-{y % 100}{m:02d}-{n % 100:02d}"],
        "quote": [lambda: f"Q-{y}-{n:04d}", lambda: f"QUO/{ini}/{n:04d}"],
    }
    kind = "po" if kind == "purchase_order" else kind
    return rng.choice(formats[kind])()


def letterhead(c: Ctx) -> list[Line]:
    s, r = c.sender, c.rng
    name = s.printed(r)
    style = c.letterhead_style
    contact = f"Telp. {s.phone}" if c.id else f"Tel. {s.phone}"
    if s.email:
        contact += f"  |  {s.email}" if r.random() < 0.5 else f"  Email: {s.email}"
    if style == 0:  # centred
        lines = [T(name, size=r.choice([15, 16, 18]), bold=True, align="center")]
        if s.tagline and r.random() < 0.7:
            lines.append(T(s.tagline, size=9, align="center"))
        lines += [T(f"{s.street}, {s.city}", size=8.5, align="center"),
                  T(contact, size=8.5, align="center"), HR()]
        return lines
    if style == 1:  # left, tagline above or below
        lines = []
        if s.tagline and r.random() < 0.3:
            lines.append(T(s.tagline, size=8.5))
            lines.append(T(name, size=14, bold=True))
        else:
            lines.append(T(name, size=14, bold=True))
            if s.tagline:
                lines.append(T(s.tagline, size=8.5))
        lines += [T(s.street, size=8.5), T(s.city, size=8.5), T(contact, size=8.5), HR()]
        return lines
    if style == 2:  # name left, contact right
        return [R((0.0, name, "l"), (1.0, s.phone, "r"), size=13, bold=True),
                R((0.0, s.street, "l"), (1.0, s.email or s.city, "r"), size=8.5),
                R((0.0, s.city, "l"), size=8.5), HR()]
    return []  # no letterhead: plain paper, or the sender's own stationery was not used


def addressee(c: Ctx, kind: str = "to") -> list[str]:
    """The addressee block as lines; the first line is its label."""
    to, r = c.to, c.rng
    name = to.printed(r) if r.random() < 0.5 else to.name
    if kind == "bill":
        label = c.pick(["Kepada:", "Tagihan kepada:", "Pembeli:", "Kepada Yth."],
                       ["Bill To:", "Bill to", "Invoice to:", "Customer:", "Sold To:"])
    elif kind == "ship":
        label = c.pick(["Dikirim ke:", "Alamat Pengiriman:", "Kepada:"],
                       ["Ship To:", "Deliver to:", "Delivery address:", "Consignee:"])
    else:
        label = c.pick(["Kepada Yth.", "Kepada Yth,", "Yth.", "Kepada"],
                       ["To:", "To", "Attn:", "Attention:"])
    lines = [label]
    if r.random() < 0.5:
        person = c.to_person
        lines.append(person if c.id is False else r.choice([f"Bapak {person}",
                                                            f"Ibu {person}", person]))
    lines += [name, to.street, to.city]
    return lines


def two_columns(left: Sequence[str], right: Sequence[tuple[str, str]], *, xr: float = 0.56,
                wr: float = 0.17, size: float = 9.5, colon: bool = True) -> list[Line]:
    rows = []
    left = [t if len(t) <= 44 else t[:44].rsplit(" ", 1)[0] for t in left]
    for i in range(max(len(left), len(right))):
        cells: list[tuple[float, str, str]] = []
        if i < len(left) and left[i]:
            cells.append((0.0, left[i], "l"))
        if i < len(right):
            label, value = right[i]
            if colon:
                cells += [(xr, label, "l"), (xr + wr, f": {value}", "l")]
            else:
                cells += [(xr, f"{label} {value}", "l")]
        rows.append(R(*cells, size=size))
    return rows


def meta_lines(pairs: Sequence[tuple[str, str]], rng: random.Random, size: float = 9.5,
               x: float = 0.0) -> list[Line]:
    style = rng.randrange(3)
    width = max(len(k) for k, _ in pairs) * 0.011 + 0.03
    out = []
    for label, value in pairs:
        if style == 0:
            out.append(R((x, label), (x + width, f": {value}"), size=size))
        elif style == 1:
            out.append(R((x, f"{label}: {value}"), size=size))
        else:
            out.append(R((x, label), (x + width, ":"), (x + width + 0.02, value), size=size))
    return out


def items(c: Ctx, priced: bool = True, count: int | None = None) -> tuple[list[Line], float]:
    r = c.rng
    pool = list((GOODS_ID + SERVICES_ID) if c.sender.currency == "IDR" else
                (GOODS_EN + SERVICES_EN))
    chosen = r.sample(pool, count or r.randint(2, 6))
    size = r.choice([8.5, 9.0, 9.5])
    if priced:
        head = c.pick([("No", "Nama Barang / Uraian", "Qty", "Satuan", "Harga Satuan", "Jumlah"),
                       ("No.", "Deskripsi", "Kuantitas", "Sat.", "Harga", "Total")],
                      [("#", "Description", "Qty", "Unit", "Unit Price", "Amount"),
                       ("Item", "Description", "Quantity", "UoM", "Price", "Line Total")])
        lines = [HR(4), R((0.0, head[0]), (0.06, head[1]), (0.53, head[2], "r"), (0.56, head[3]),
                          (0.80, head[4], "r"), (1.0, head[5], "r"), size=size, bold=True), HR(0)]
    else:
        head = c.pick([("No", "Nama Barang", "Jumlah", "Satuan", "Keterangan"),
                       ("No.", "Uraian Barang", "Qty", "Sat.", "Ket.")],
                      [("#", "Description", "Qty", "Unit", "Remarks"),
                       ("Item", "Product", "Quantity", "UoM", "Notes")])
        lines = [HR(4), R((0.0, head[0]), (0.06, head[1]), (0.62, head[2], "r"), (0.66, head[3]),
                          (0.78, head[4]), size=size, bold=True), HR(0)]
    total = 0.0
    for i, (desc, unit, price) in enumerate(chosen, 1):
        if isinstance(price, float):
            qty = r.choice([1, 1, 2]) if price > 300 else r.choice([1, 2, 5, 10, 20])
        else:
            qty = r.choice([1, 2, 3, 5, 10, 12, 20, 24, 50]) if price < 500000 \
                else r.choice([1, 1, 2, 3])
        amount = qty * price
        total += amount
        if priced:
            lines.append(R((0.0, f"{i}"), (0.06, desc), (0.53, f"{qty}", "r"), (0.56, unit),
                           (0.80, c.money(price).replace("Rp. ", "").replace("Rp ", ""), "r"),
                           (1.0, c.money(amount).replace("Rp. ", "").replace("Rp ", ""), "r"),
                           size=size))
        else:
            note = r.choice(["", "", "baik" if c.id else "good", "1 koli" if c.id else "1 carton",
                             "-"])
            lines.append(R((0.0, f"{i}"), (0.06, desc), (0.62, f"{qty}", "r"), (0.66, unit),
                           (0.78, note), size=size))
    lines.append(HR(0))
    return lines, total


def totals(c: Ctx, subtotal: float) -> tuple[list[Line], float]:
    r = c.rng
    if c.sender.currency == "IDR":
        rate, tax_label = 0.11, c.pick(["PPN 11%", "PPN (11%)"], ["VAT 11%", "PPN/VAT 11%"])
    elif c.sender.currency == "SGD":
        rate, tax_label = 0.09, "GST 9%"
    elif c.sender.currency in ("GBP", "EUR"):
        rate, tax_label = 0.2 if c.sender.currency == "GBP" else 0.19, "VAT"
    else:
        rate, tax_label = 0.0, "Tax"
    tax = round(subtotal * rate, 2)
    total = subtotal + tax
    label_total = c.pick(["Total", "TOTAL", "Grand Total", "Total Tagihan", "Jumlah Dibayar"],
                         ["Total", "TOTAL DUE", "Amount Due", "Grand Total", "Balance Due"])
    rows = [("Subtotal" if r.random() < 0.7 else c.pick(["Jumlah", "DPP"], ["Net", "Sub-total"]),
             c.money(subtotal)), (tax_label, c.money(tax)), (label_total, c.money(total))]
    lines = [R((0.60, k), (1.0, v, "r"), size=9.5, bold=(k == label_total)) for k, v in rows]
    c.label_amount(total)
    return lines, total


def signature_block(c: Ctx, *, place_date: bool, x: float = 0.0, closing: str | None = None,
                    company_line: bool = True) -> list[Line]:
    r = c.rng
    out: list[Line] = [GAP(8)]
    if place_date:
        city = c.extras.get("city") or r.choice(CITIES_ID)
        out.append(R((x, f"{city}, {c.date()}"), size=10))
    out.append(R((x, closing or c.pick(["Hormat kami,", "Hormat Kami", "Salam,"],
                                       ["Yours faithfully,", "Sincerely,", "Kind regards,",
                                        "Yours sincerely,"])), size=10))
    if company_line and r.random() < 0.6:
        out.append(R((x, c.sender.printed(r)), size=10, bold=True))
    out += [SIG(x + 0.02), GAP(10), R((x, c.signer if r.random() < 0.5 else f"( {c.signer} )"),
                                      size=10, bold=r.random() < 0.5),
            R((x, c.signer_title), size=9)]
    return out


def footer_print_time(c: Ctx) -> list[Line]:
    """`Dicetak: 2026-11-02 10:21` — a later date that is not the document's."""
    later = c.day + timedelta(days=c.rng.randint(0, 9))
    stamp = f"{fmt_date(later, c.lang, c.rng, ['dmy/', 'iso', 'dmy-'])} " \
            f"{c.rng.randint(7, 18):02d}:{c.rng.randint(0, 59):02d}"
    text = c.pick([f"Dicetak: {stamp}", f"Tgl. cetak {stamp}", f"Dicetak oleh sistem pada {stamp}"],
                  [f"Printed: {stamp}", f"Printed on {stamp}", f"Generated {stamp}"])
    return [GAP(10), T(text, size=7.5)]


# --- invoices -----------------------------------------------------------------------------


def build_invoice(c: Ctx) -> list[Line]:
    r = c.rng
    layout = r.randrange(3)
    L = letterhead(c)
    title = c.pick(["FAKTUR", "FAKTUR PENJUALAN", "INVOICE", "TAGIHAN / INVOICE", "NOTA TAGIHAN"],
                   ["INVOICE", "TAX INVOICE", "Invoice", "COMMERCIAL INVOICE", "SALES INVOICE"])
    due = c.day + timedelta(days=r.choice([7, 14, 30, 30, 45, 60]))
    pairs = [
        (c.pick(["No. Faktur", "Nomor Faktur", "No. Invoice", "Nomor", "No"],
                ["Invoice No.", "Invoice Number", "Invoice #", "No.", "Invoice no"]), c.number),
        (c.pick(["Tanggal", "Tgl.", "Tanggal Faktur", "Tgl Faktur", "Tgl. Invoice"],
                ["Date", "Invoice Date", "Date of issue", "Issue date", "Dated"]), c.date()),
    ]
    if r.random() < 0.3:
        pairs.reverse()
    if r.random() < 0.55:
        po_day = c.day - timedelta(days=r.randint(3, 30))
        pairs.append((c.pick(["No. PO", "Ref. PO", "No. Pesanan"],
                             ["PO No.", "Your order", "Customer PO"]), c.ref("po")))
        if r.random() < 0.6:
            pairs.append((c.pick(["Tgl. PO", "Tanggal PO"], ["PO Date", "Order date"]),
                          c.date(po_day)))
    pairs.append((c.pick(["Jatuh Tempo", "Tgl. Jatuh Tempo", "Tanggal Jatuh Tempo",
                          "Batas Pembayaran"], ["Due Date", "Payment Due", "Due date"]),
                  c.date(due)))
    c.extras["label_due_date"] = due.isoformat()
    if r.random() < 0.4:
        pairs.append((c.pick(["Syarat Bayar", "Termin"], ["Terms", "Payment terms"]),
                      c.pick(["30 hari", "Tunai", "14 hari"], ["Net 30", "Net 14", "30 days EOM"])))
    bill = addressee(c, "bill")
    if layout == 0:
        L += [GAP(6), T(title, size=16, bold=True, align="center"), GAP(6)]
        L += two_columns(bill, pairs)
    elif layout == 1:
        L += [GAP(4), T(title, size=18, bold=True, align=r.choice(["left", "right"])), GAP(4)]
        L += meta_lines(pairs, r)
        L += [GAP(8)] + [R((0.0, t), size=9.5, bold=(i == 1)) for i, t in enumerate(bill)]
    else:
        L += [GAP(4), R((0.0, title), (1.0, f"# {c.number}", "r"), size=15, bold=True)]
        L += meta_lines([p for p in pairs if p[1] != c.number], r, x=0.55)
        if r.random() < 0.5:
            ship = addressee(c, "ship")
            L += [GAP(6)] + [R((0.0, a), (0.5, b), size=9.5) for a, b in
                             zip(bill, ship + [""] * (len(bill) - len(ship)), strict=False)]
        else:
            L += [GAP(6)] + [R((0.0, t), size=9.5) for t in bill]
    table, subtotal = items(c)
    L += [GAP(6), *table]
    tot, total = totals(c, subtotal)
    L += tot
    if c.sender.currency == "IDR" and c.id and r.random() < 0.7:
        L += [GAP(4), T(f"Terbilang: # {terbilang(round(total)).capitalize()} rupiah #", size=9)]
    bank = r.choice(["Bank Mandala Sejahtera", "Bank Arta Niaga", "Bank Nusa Kapital"])
    acct = f"{r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
    L += [GAP(6), T(c.pick([f"Pembayaran mohon ditransfer ke {bank}, No. Rek. {acct}",
                            f"Transfer ke: {bank} a/c {acct}"],
                           [f"Please remit payment to {bank}, account {acct}",
                            f"Bank details: {bank}, A/C No. {acct}"]), size=9),
          T(c.pick([f"atas nama {c.sender.name}", f"a.n. {c.sender.printed(r)}"],
                   [f"Account name: {c.sender.name}", f"Beneficiary: {c.sender.printed(r)}"]),
            size=9)]
    if r.random() < 0.5:
        L.append(T(c.pick(["Harap cantumkan nomor faktur pada bukti transfer.",
                           "Barang yang sudah dibeli tidak dapat dikembalikan."],
                          ["Please quote the invoice number with your payment.",
                           "Late payments may incur interest of 1.5% per month."]), size=8.5))
    L += signature_block(c, place_date=c.id and r.random() < 0.3, x=0.6)
    if r.random() < 0.3:
        L += footer_print_time(c)
    return L


# --- receipts -----------------------------------------------------------------------------


def build_receipt(c: Ctx) -> list[Line]:
    r = c.rng
    variant = r.randrange(3)
    if variant == 1:
        return _till_receipt(c)
    L = letterhead(c) if r.random() < 0.6 else []
    amount = r.choice([350000, 1250000, 2500000, 4750000, 12300000, 785000]) \
        if c.sender.currency == "IDR" else r.choice([125.0, 480.0, 1250.0, 2310.5])
    paid_invoice = c.ref("invoice")
    inv_day = c.day - timedelta(days=r.randint(5, 45))
    c.label_amount(amount)
    payer = c.to.printed(r) if r.random() < 0.5 else c.to.name
    if variant == 0:
        title = c.pick(["KWITANSI", "K W I T A N S I", "TANDA TERIMA", "KUITANSI"],
                       ["OFFICIAL RECEIPT", "RECEIPT", "CASH RECEIPT"])
        L += [GAP(8), T(title, size=17, bold=True, align="center"), GAP(8)]
        pairs = [(c.pick(["No.", "Nomor", "No. Kwitansi"], ["No.", "Receipt No.", "Receipt #"]),
                  c.number),
                 (c.pick(["Sudah terima dari", "Telah terima dari", "Diterima dari"],
                         ["Received from", "Received with thanks from"]), payer)]
        if c.id and c.sender.currency == "IDR":
            pairs.append(("Uang sejumlah" if r.random() < 0.5 else "Banyaknya uang",
                          f"# {terbilang(round(amount)).title()} Rupiah #"))
        else:
            pairs.append(("The sum of", f"{in_words(int(amount)).capitalize()} "
                          f"{c.sender.currency} only"))
        pairs.append((c.pick(["Untuk pembayaran", "Guna membayar"], ["Being payment for",
                                                                    "For"]),
                      c.pick([f"Pelunasan faktur {paid_invoice} tgl. {c.date(inv_day)}",
                              f"Pembayaran invoice {paid_invoice}"],
                             [f"Invoice {paid_invoice} dated {c.date(inv_day)}",
                              f"Settlement of invoice {paid_invoice}"])))
        L += meta_lines(pairs, r, size=10.5)
        L += [GAP(10), R((0.0, c.money(amount), "l"), size=14, bold=True)]
        if not c.id:
            L.append(R((0.0, f"Payment method: {r.choice(['Bank transfer', 'Cheque', 'Cash'])}"),
                       size=9.5))
        if c.id or r.random() < 0.5:
            L += [GAP(6), R((0.6, f"{c.extras['city']}, {c.date()}"), size=10)]
        else:
            L += [GAP(6), R((0.6, f"Date: {c.date()}"), size=10)]
        L += [R((0.6, c.pick(["Yang menerima,", "Penerima,"], ["Received by,", "Cashier"])),
                size=10), SIG(0.62), GAP(8), R((0.6, f"( {c.signer} )"), size=10),
              R((0.6, c.sender.printed(r)), size=9, bold=True)]
        if r.random() < 0.4:
            L += [GAP(12), T(c.pick(["Kwitansi ini sah apabila pembayaran telah diterima "
                                     "di rekening kami.",
                                     "Pembayaran dengan cek/giro dianggap sah setelah dicairkan."],
                                    ["This receipt is valid only upon clearance of the cheque.",
                                     "Thank you for your payment."]), size=8)]
        return L
    # variant 2: acknowledgement of payment with a table of the invoices it settles
    title = c.pick(["BUKTI PENERIMAAN PEMBAYARAN", "TANDA TERIMA PEMBAYARAN", "BUKTI KAS MASUK"],
                   ["PAYMENT RECEIPT", "ACKNOWLEDGEMENT OF PAYMENT", "REMITTANCE RECEIPT"])
    L += [GAP(6), T(title, size=14, bold=True, align=r.choice(["center", "left"])), GAP(4)]
    L += meta_lines([(c.pick(["No. Bukti", "Nomor"], ["Receipt No.", "Reference"]), c.number),
                     (c.pick(["Tanggal Terima", "Tanggal", "Tgl."],
                             ["Date received", "Date", "Payment date"]), c.date()),
                     (c.pick(["Diterima dari", "Pelanggan"], ["Received from", "Customer"]),
                      payer),
                     (c.pick(["Cara Bayar", "Metode"], ["Method", "Paid by"]),
                      c.pick(["Transfer Bank", "Giro", "Tunai"], ["Bank transfer", "Cheque",
                                                                  "Wire transfer"]))], r)
    L += [HR(6), R((0.0, c.pick(["No. Faktur", "No. Invoice"], ["Invoice", "Invoice No."])),
                   (0.35, c.pick(["Tgl. Faktur", "Tanggal"], ["Invoice date", "Dated"])),
                   (1.0, c.pick(["Jumlah", "Nilai"], ["Amount", "Paid"]), "r"), bold=True), HR(0)]
    second = c.ref("invoice")
    part = round(amount * 0.4, 2)
    for inv, day, value in ((paid_invoice, inv_day, amount - part),
                            (second, inv_day - timedelta(days=r.randint(5, 25)), part)):
        L.append(R((0.0, inv), (0.35, c.date(day, ["dmy/", "dmy-", "abbr"])),
                   (1.0, c.money(value), "r")))
    L += [HR(0), R((0.6, "Total"), (1.0, c.money(amount), "r"), bold=True),
          GAP(6), T(c.pick(["Terima kasih atas pembayaran Bapak/Ibu.",
                            "Pembayaran telah kami terima dengan baik."],
                           ["Payment received with thanks.", "We acknowledge receipt of the "
                            "above payment with thanks."]), size=9)]
    L += signature_block(c, place_date=False, x=0.6, closing=c.pick(["Bagian Keuangan,",
                                                                    "Kasir,"],
                                                                   ["Accounts Receivable",
                                                                    "Authorised by,"]))
    return L


def _till_receipt(c: Ctx) -> list[Line]:
    r = c.rng
    s = c.sender
    L = [T(s.printed(r), size=12, bold=True, align="center"),
         T(s.street, size=8.5, align="center"), T(s.city, size=8.5, align="center"),
         T(f"Telp {s.phone}", size=8.5, align="center")]
    if r.random() < 0.5:
        npwp = f"{r.randint(10, 99)}.{r.randint(100, 999)}.{r.randint(100, 999)}." \
               f"{r.randint(1, 9)}-{r.randint(100, 999)}.000"
        c.extras["label_npwp"] = npwp
        L.append(T(f"NPWP {npwp}", size=8, align="center"))
    time = f"{r.randint(8, 20):02d}:{r.randint(0, 59):02d}"
    L += [GAP(4), R((0.22, "=" * 34), size=9),
          R((0.22, c.pick(["No", "No. Struk", "Nota"], ["Receipt #", "Trans No", "Bill"])),
            (0.40, f": {c.number}"), size=9),
          R((0.22, c.pick(["Tgl", "Tanggal", "Tgl."], ["Date", "Date", "Date"])),
            (0.40, f": {c.date(styles=['dmy/', 'dmy-', 'iso', 'abbr'])} {time}"), size=9),
          R((0.22, c.pick(["Kasir", "Kasir"], ["Cashier", "Served by"])),
            (0.40, f": {c.person().split()[0]}"), size=9),
          R((0.22, "-" * 40), size=9)]
    total = 0.0
    pool = GOODS_ID if s.currency == "IDR" else GOODS_EN
    for desc, _unit, price in r.sample(pool, r.randint(3, 6)):
        qty = r.randint(1, 6)
        total += qty * price
        L += [R((0.22, desc[:26]), size=9),
              R((0.26, f"{qty} x {c.money(price).replace('Rp. ', '').replace('Rp ', '')}"),
                (0.78, c.money(qty * price).replace("Rp. ", "").replace("Rp ", ""), "r"),
                size=9)]
    paid = math.ceil(total / 50000) * 50000 if s.currency == "IDR" else math.ceil(total / 10) * 10
    c.label_amount(total)
    L += [R((0.22, "-" * 40), size=9),
          R((0.22, "TOTAL"), (0.78, c.money(total), "r"), size=10, bold=True),
          R((0.22, c.pick(["TUNAI", "BAYAR"], ["CASH", "TENDERED"])), (0.78, c.money(paid), "r"),
            size=9),
          R((0.22, c.pick(["KEMBALI", "KEMBALIAN"], ["CHANGE", "CHANGE"])),
            (0.78, c.money(paid - total), "r"), size=9),
          R((0.22, "=" * 34), size=9), GAP(4),
          T(c.pick(["Terima kasih atas kunjungan Anda", "Terima kasih, selamat belanja kembali"],
                   ["Thank you for shopping with us", "Thank you - please come again"]),
            size=9, align="center"),
          T(c.pick(["Barang yang sudah dibeli tidak dapat ditukar/dikembalikan",
                    "Simpan struk ini sebagai bukti pembayaran yang sah"],
                   ["Goods sold are not returnable", "Keep this receipt as proof of purchase"]),
            size=8, align="center")]
    return L


# --- letters ------------------------------------------------------------------------------


def _letter_body(c: Ctx) -> tuple[str, list[str]]:
    r = c.rng
    future = c.day + timedelta(days=r.randint(14, 60))
    past = c.day - timedelta(days=r.randint(5, 30))
    month_end = c.day.replace(day=1) - timedelta(days=1)
    amount = c.money(r.randint(15, 480) * 250000 if c.sender.currency == "IDR" else
                     r.randint(20, 900) * 25.0)
    bank = r.choice(["Bank Mandala Sejahtera", "Bank Arta Niaga", "Bank Nusa Kapital"])
    acct = f"{r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"
    inv1, inv2 = c.ref("invoice"), c.ref("invoice")
    if c.id:
        topics = [
            ("Penyesuaian Harga", [
                "Sehubungan dengan kenaikan biaya bahan baku dan ongkos angkut, dengan ini kami "
                f"memberitahukan bahwa harga produk kami akan disesuaikan mulai tanggal "
                f"{c.date(future)}.",
                "Daftar harga terbaru kami lampirkan bersama surat ini. Untuk pesanan yang sudah "
                "kami terima sebelum tanggal tersebut, harga lama tetap berlaku."]),
            ("Permohonan Konfirmasi Saldo", [
                "Dalam rangka pemeriksaan laporan keuangan tahunan, kami mohon Bapak/Ibu "
                f"berkenan mengonfirmasi saldo piutang kami per tanggal {c.date(month_end)} "
                f"sebesar {amount}.",
                "Apabila terdapat perbedaan, mohon dijelaskan rinciannya pada formulir terlampir "
                f"dan dikirimkan kembali kepada kami paling lambat {c.date(future)}."]),
            ("Undangan Rapat Koordinasi Pemasok", [
                "Dengan ini kami mengundang Bapak/Ibu untuk hadir dalam rapat koordinasi pemasok "
                f"yang akan diselenggarakan pada hari {c.date(future, ['weekday'])}, pukul "
                "09.00 WIB s.d. selesai, bertempat di ruang rapat lantai 3 kantor kami.",
                "Mengingat pentingnya acara tersebut, kami mohon kehadiran Bapak/Ibu tepat pada "
                "waktunya. Konfirmasi kehadiran dapat disampaikan melalui telepon atau email."]),
            ("Pemberitahuan Perubahan Rekening", [
                f"Bersama ini kami beritahukan bahwa terhitung sejak {c.date(future)} pembayaran "
                f"kepada {c.sender.name} mohon ditransfer ke rekening baru kami di {bank}, "
                f"nomor rekening {acct}.",
                "Rekening lama kami tidak digunakan lagi sejak tanggal tersebut. Mohon "
                "pemberitahuan ini diteruskan kepada bagian keuangan perusahaan Bapak/Ibu."]),
            ("Pemberitahuan Tagihan Jatuh Tempo", [
                "Berdasarkan catatan kami, pembayaran atas faktur berikut ini belum kami terima: "
                f"faktur nomor {inv1} tanggal {c.date(past - timedelta(days=30))} dan faktur "
                f"nomor {inv2} dengan jumlah keseluruhan {amount}.",
                f"Kami mohon pembayaran dapat dilakukan paling lambat {c.date(future)}. "
                "Apabila pembayaran telah dilakukan, mohon abaikan surat ini."]),
            ("Penawaran Kerja Sama", [
                f"Menindaklanjuti pertemuan kami pada tanggal {c.date(past)}, bersama ini kami "
                "sampaikan penawaran kerja sama untuk penyediaan barang dan jasa sesuai "
                "kebutuhan perusahaan Bapak/Ibu.",
                "Rincian harga dan syarat pembayaran kami lampirkan. Penawaran ini berlaku "
                "selama 30 hari sejak tanggal surat ini."]),
        ]
    else:
        topics = [
            ("Notice of price adjustment", [
                "Due to the continued increase in raw material and freight costs, we regret to "
                f"inform you that our prices will be revised with effect from {c.date(future)}.",
                "Our updated price list is enclosed. Orders received before that date will be "
                "invoiced at the current prices."]),
            ("Confirmation of account balance", [
                "Our auditors are carrying out the annual audit of our accounts. Please confirm "
                f"that the balance of your account with us as at {c.date(month_end)} was "
                f"{amount}.",
                f"If the balance does not agree, please send us the details by {c.date(future)}."
                ]),
            ("Invitation to our supplier meeting", [
                "We are pleased to invite you to our annual supplier meeting, which will take "
                f"place on {c.date(future, ['weekday', 'us', 'long'])} at 10:00 in our offices.",
                "Please let us know by return who will attend on behalf of your company."]),
            ("Change of bank details", [
                f"Please note that from {c.date(future)} all payments to {c.sender.name} "
                f"should be made to our new account with {bank}, account number {acct}.",
                "Our previous account will be closed. Please update your records accordingly."]),
            ("Overdue account - payment reminder", [
                f"According to our records, invoice {inv1} dated "
                f"{c.date(past - timedelta(days=30))} and invoice {inv2} remain unpaid, for a "
                f"total of {amount}.",
                f"We would be grateful if you could arrange payment by {c.date(future)}. If you "
                "have already paid, please disregard this letter."]),
            ("Proposal for cooperation", [
                f"Further to our meeting on {c.date(past)}, we are pleased to submit our "
                "proposal for the supply of goods and services to your company.",
                "The enclosed schedule sets out our prices and terms. This offer remains open "
                "for 30 days from the date of this letter."]),
        ]
    return r.choice(topics)


def build_letter(c: Ctx) -> list[Line]:
    r = c.rng
    subject, body = _letter_body(c)
    layout = r.randrange(3)
    L = letterhead(c) if layout != 2 else []
    to = addressee(c, "to")
    if c.id:
        pairs = [(r.choice(["Nomor", "No.", "No"]), c.number),
                 (r.choice(["Lampiran", "Lamp."]), r.choice(["-", "1 (satu) berkas",
                                                             "1 lembar"])),
                 (r.choice(["Perihal", "Hal"]), subject)]
        place_date = f"{c.extras['city']}, {c.date()}"
        if layout == 0:
            L += [GAP(6), R((0.62, place_date), size=10), *meta_lines(pairs, r, size=10)]
        elif layout == 1:
            L += [GAP(6), R((0.0, f"{pairs[0][0]} : {pairs[0][1]}"), (0.62, place_date),
                            size=10), *meta_lines(pairs[1:], r, size=10)]
        else:
            L += [GAP(30), R((0.62, place_date), size=10), GAP(6), *meta_lines(pairs, r, size=10)]
        L += [GAP(10)] + [T(t, size=10) for t in to] + [T("di Tempat", size=10)
                                                       if r.random() < 0.5 else GAP(0)]
        L += [GAP(10), T("Dengan hormat,", size=10), GAP(4)]
        L += [T(p, size=10, gap=4) for p in body]
        L += [T("Demikian kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan "
                "terima kasih.", size=10, gap=4)]
        L += signature_block(c, place_date=False, x=0.55 if r.random() < 0.6 else 0.0,
                             company_line=True)
        if layout == 2:
            L += [GAP(6), T(c.sender.name, size=9, bold=True), T(f"{c.sender.street}, "
                                                                 f"{c.sender.city}", size=8.5)]
        if r.random() < 0.4:
            L += [GAP(8), T("Tembusan:", size=8.5), T("1. Arsip", size=8.5)]
        return L
    ref_label = r.choice(["Our ref:", "Our Ref.", "Ref:", "Reference:"])
    date_line = c.date() if r.random() < 0.6 else f"Date: {c.date()}"
    if layout == 2:
        L += [T(c.sender.name, size=11, bold=True), T(c.sender.street, size=9),
              T(c.sender.city, size=9), GAP(14)]
    else:
        L += [GAP(8)]
    if r.random() < 0.6:
        L += [T(f"{ref_label} {c.number}", size=10)]
        if r.random() < 0.4:
            L += [T(f"Your ref: {c.ref('po')}", size=10)]
        L += [T(date_line, size=10, gap=6)]
    else:
        L += [R((0.0, f"{ref_label} {c.number}"), (1.0, date_line, "r"), size=10)]
    L += [GAP(10)] + [T(t, size=10) for t in to[1:]] + [GAP(10)]
    surname = c.to_person.split()[-1]
    salutation = r.choice([f"Dear Mr {surname},", f"Dear Ms {surname},", "Dear Sir or Madam,",
                           f"Dear {c.to_person.split()[0]},"])
    heading = f"Re: {subject}" if r.random() < 0.6 else subject.upper()
    L += [T(salutation, size=10), GAP(4), T(heading, size=10, bold=True), GAP(4)]
    L += [T(p, size=10, gap=4) for p in body]
    L += [T("Should you have any questions, please do not hesitate to contact us.", size=10,
            gap=4)]
    L += signature_block(c, place_date=False, x=0.0)
    if r.random() < 0.3:
        L += [GAP(6), T("Enc.", size=9), T("cc: File", size=9)]
    return L


# --- contracts ----------------------------------------------------------------------------


def build_contract(c: Ctx) -> list[Line]:
    r = c.rng
    months = r.choice([6, 12, 12, 24, 36])
    start = c.day + timedelta(days=r.choice([0, 1, 7, 14, 30]))
    start = start.replace(day=1) if r.random() < 0.5 and start.day > 1 else start
    end = start + timedelta(days=round(months * 30.44) - 1)
    value = r.randint(12, 900) * 5_000_000 if c.sender.currency == "IDR" else \
        r.randint(10, 400) * 500.0
    L = letterhead(c) if r.random() < 0.5 else []
    if c.id:
        scope = r.choice(["PENGADAAN ALAT TULIS KANTOR", "JASA PENGIRIMAN BARANG",
                          "JASA PERAWATAN GEDUNG", "SEWA MENYEWA GUDANG",
                          "PENYEDIAAN TENAGA KEAMANAN", "JASA INSTALASI LISTRIK"])
        lease = scope.startswith("SEWA")
        title = r.choice(["PERJANJIAN KERJA SAMA", "SURAT PERJANJIAN", "KONTRAK"]) \
            if not lease else "SURAT PERJANJIAN"
        L += [GAP(6), T(title, size=14, bold=True, align="center"),
              T(("TENTANG " if r.random() < 0.5 else "") + scope, size=11, bold=True,
                align="center"),
              T(f"Nomor: {c.number}", size=10, align="center"), GAP(10)]
        if r.random() < 0.35:
            opening = (f"Pada hari ini {DAYS_ID[c.day.weekday()]} tanggal "
                       f"{terbilang(c.day.day)} bulan {MONTHS_ID[c.day.month - 1]} tahun "
                       f"{terbilang(c.day.year)} ({c.day.day:02d}-{c.day.month:02d}-"
                       f"{c.day.year}), kami yang bertanda tangan di bawah ini:")
        else:
            opening = (f"Pada hari ini, {c.date(styles=['weekday', 'long'])}, bertempat di "
                       f"{c.extras['city']}, kami yang bertanda tangan di bawah ini:")
        L += [T(opening, size=10), GAP(4)]
        born = date(r.randint(1962, 1990), r.randint(1, 12), r.randint(1, 28))
        first = [f"1. Nama: {c.signer}"]
        if lease or r.random() < 0.3:
            first.append(f"   Tempat/Tgl. Lahir: {r.choice(CITIES_ID)}, "
                         f"{fmt_date(born, 'id', r, ['long', 'dmy-', 'dmy/'])}")
            first.append(f"   No. KTP: 3{r.randint(10**14, 10**15 - 1)}")
        first.append(f"   Jabatan: {c.signer_title} {c.sender.name}, dalam hal ini bertindak "
                     f"untuk dan atas nama {c.sender.name}, selanjutnya disebut PIHAK PERTAMA.")
        second = [f"2. Nama: {c.to_person}",
                  f"   Jabatan: Direktur {c.to.name}, berkedudukan di {c.to.city}, selanjutnya "
                  "disebut PIHAK KEDUA."]
        L += [T(t, size=10) for t in first + second]
        L += [T("PIHAK PERTAMA dan PIHAK KEDUA secara bersama-sama disebut PARA PIHAK sepakat "
                "untuk mengikatkan diri dalam perjanjian dengan ketentuan sebagai berikut:",
                size=10, gap=4)]
        clauses = [
            ("Pasal 1", "RUANG LINGKUP", f"PIHAK PERTAMA menyediakan {scope.lower()} untuk "
             "PIHAK KEDUA sesuai dengan spesifikasi dalam Lampiran I perjanjian ini."),
            ("Pasal 2", "JANGKA WAKTU", f"Perjanjian ini berlaku selama {months} "
             f"({terbilang(months)}) bulan, terhitung sejak tanggal {c.date(start)} sampai "
             f"dengan tanggal {c.date(end)}, dan dapat diperpanjang atas kesepakatan PARA PIHAK."),
            ("Pasal 3", "NILAI DAN CARA PEMBAYARAN", f"Nilai perjanjian ini sebesar "
             f"{c.money(value)} ({terbilang(round(value))} rupiah), belum termasuk PPN. "
             "Pembayaran dilakukan paling lambat 30 (tiga puluh) hari setelah faktur diterima "
             "lengkap oleh PIHAK KEDUA."),
            ("Pasal 4", "PENYELESAIAN PERSELISIHAN", "Perselisihan diselesaikan secara "
             f"musyawarah; apabila tidak tercapai mufakat, PARA PIHAK memilih domisili hukum di "
             f"Pengadilan Negeri {c.extras['city']}."),
        ]
        for head, name, text in clauses:
            L += [T(f"{head}", size=10, bold=True, align="center", gap=6),
                  T(name, size=10, bold=True, align="center"), T(text, size=10)]
        L += [T("Demikian perjanjian ini dibuat dalam rangkap 2 (dua), masing-masing bermeterai "
                "cukup dan mempunyai kekuatan hukum yang sama.", size=10, gap=6)]
        L += [GAP(10), R((0.0, "PIHAK PERTAMA,"), (0.58, "PIHAK KEDUA,"), size=10, bold=True),
              R((0.0, c.sender.printed(r)), (0.58, c.to.printed(r)), size=9.5), SIG(0.02),
              GAP(14), R((0.0, f"( {c.signer} )"), (0.58, f"( {c.to_person} )"), size=10),
              R((0.0, c.signer_title), (0.58, "Direktur"), size=9)]
        return L
    kind = r.choice(["SERVICE AGREEMENT", "SUPPLY AGREEMENT", "MASTER SERVICES AGREEMENT",
                     "CONTRACT FOR THE SUPPLY OF GOODS"])
    L += [GAP(6), T(kind, size=14, bold=True, align="center"),
          T(r.choice([f"Agreement No. {c.number}", f"Contract No.: {c.number}",
                      f"Ref: {c.number}"]), size=10, align="center"), GAP(10)]
    if r.random() < 0.5:
        L += [T(f"THIS AGREEMENT is made on {c.date(styles=['long', 'ordinal', 'us'])}", size=10)]
    else:
        L += [T(f"Dated: {c.date()}", size=10)]
    L += [T("BETWEEN:", size=10, bold=True, gap=6),
          T(f"(1) {c.sender.name.upper()}, a company with its registered office at "
            f"{c.sender.street}, {c.sender.city} (the \"Supplier\"); and", size=10),
          T(f"(2) {c.to.name.upper()}, a company with its registered office at {c.to.street}, "
            f"{c.to.city} (the \"Customer\").", size=10),
          T("IT IS AGREED as follows:", size=10, bold=True, gap=6)]
    clauses = [
        ("1. Services", "The Supplier shall provide the goods and services described in "
         "Schedule 1 in accordance with the service levels set out in Schedule 2."),
        ("2. Term", f"This Agreement commences on {c.date(start)} and continues for {months} "
         f"months until {c.date(end)}, unless terminated earlier in accordance with clause 5."),
        ("3. Fees and payment", f"The Customer shall pay the fees of {c.money(value)} per year. "
         "The Supplier shall invoice monthly in arrears; invoices are payable within 30 days "
         "of receipt."),
        ("4. Confidentiality", "Each party shall keep the other party's confidential "
         "information secret and use it only for the purposes of this Agreement."),
        ("5. Termination", "Either party may terminate this Agreement by giving 90 days' "
         "written notice to the other party."),
        ("6. Governing law", "This Agreement is governed by the laws of the Republic of "
         "Indonesia."),
    ]
    for head, text in clauses:
        L += [T(head, size=10, bold=True, gap=4), T(text, size=10)]
    L += [GAP(10), R((0.0, "Signed for and on behalf of"), (0.55, "Signed for and on behalf of"),
                     size=9.5),
          R((0.0, c.sender.name), (0.55, c.to.name), size=9.5, bold=True), SIG(0.02), GAP(14),
          R((0.0, f"Name: {c.signer}"), (0.55, f"Name: {c.to_person}"), size=9.5),
          R((0.0, f"Title: {c.signer_title}"), (0.55, "Title: Director"), size=9.5)]
    return L


# --- payslips -----------------------------------------------------------------------------


def build_payslip(c: Ctx) -> list[Line]:
    r = c.rng
    # paid on the 25th-28th for that month, or early next month for the month before
    if c.day.day >= 20:
        period_start = c.day.replace(day=1)
    else:
        period_start = (c.day.replace(day=1) - timedelta(days=1)).replace(day=1)
    next_month = (period_start + timedelta(days=32)).replace(day=1)
    period_end = next_month - timedelta(days=1)
    employee = c.to_person
    emp_id = r.choice([f"EMP-{r.randint(100, 999):05d}", f"{r.randint(2015, 2024)}"
                       f"{r.randint(1, 12):02d}{r.randint(100, 999)}",
                       f"K-{r.randint(1000, 9999)}"])
    joined = date(r.randint(2012, 2023), r.randint(1, 12), r.randint(1, 28))
    born = date(r.randint(1970, 2000), r.randint(1, 12), r.randint(1, 28))
    base = r.randint(45, 250) * 100_000
    earn = [("Gaji Pokok" if c.id else "Basic salary", base),
            ("Tunjangan Transport" if c.id else "Transport allowance", r.randint(5, 15) * 100_000),
            ("Tunjangan Makan" if c.id else "Meal allowance", r.randint(4, 12) * 100_000)]
    if r.random() < 0.5:
        earn.append(("Lembur" if c.id else "Overtime", r.randint(2, 30) * 50_000))
    ded = [("BPJS Kesehatan", round(base * 0.01)), ("BPJS Ketenagakerjaan", round(base * 0.03)),
           ("PPh 21", round(base * r.choice([0.0, 0.02, 0.05])))]
    gross = sum(v for _, v in earn)
    net = gross - sum(v for _, v in ded)
    c.label_amount(net, "IDR")
    L = letterhead(c) if c.letterhead_style != 3 else \
        [T(c.sender.printed(r), size=12, bold=True)]
    title = c.pick(["SLIP GAJI", "SLIP GAJI KARYAWAN", "RINCIAN GAJI", "SLIP GAJI / PAYSLIP"],
                   ["PAYSLIP", "SALARY SLIP", "PAY ADVICE", "Payslip"])
    L += [GAP(4), T(title, size=14, bold=True, align=r.choice(["center", "left"]))]
    period_month = f"{month_name(period_start, c.lang, r)} {period_start.year}"
    period = r.choice([period_month, f"{c.date(period_start, ['dmy/', 'long'])} - "
                                     f"{c.date(period_end, ['dmy/', 'long'])}"])
    L += [T(c.pick([f"Periode: {period}", f"Periode Gaji {period}"],
                   [f"Pay period: {period}", f"Period: {period}"]), size=10, align=L[-1].align)]
    left = [c.pick(["Nama", "Nama Karyawan"], ["Name", "Employee"]) + f": {employee}",
            c.pick(["NIK", "No. Induk"], ["Employee ID", "Staff No."]) + f": {emp_id}",
            c.pick(["Jabatan"], ["Position"]) + ": " + c.pick(
                ["Staf Gudang", "Admin Keuangan", "Supervisor Produksi", "Sopir", "Teknisi"],
                ["Warehouse Staff", "Accounts Clerk", "Production Supervisor", "Technician"]),
            c.pick(["Departemen", "Bagian"], ["Department", "Cost centre"]) + ": " + c.pick(
                ["Operasional", "Keuangan", "Produksi"], ["Operations", "Finance", "Production"])]
    place_date_only = c.id and r.random() < 0.35  # the date is only the place-and-date line
    right = [(c.pick(["No. Slip", "Nomor"], ["Payslip No.", "Ref."]), c.number)]
    if not place_date_only:
        right.append((c.pick(["Tanggal Bayar", "Tgl. Pembayaran", "Tanggal"],
                             ["Pay date", "Payment date", "Date paid"]), c.date()))
    if r.random() < 0.5:
        right.append((c.pick(["Tgl. Masuk", "Mulai Bekerja"], ["Date joined", "Start date"]),
                      c.date(joined)))
    if r.random() < 0.4:
        right.append((c.pick(["Tgl. Lahir", "Tanggal Lahir"], ["Date of birth", "DOB"]),
                      c.date(born)))
    L += [GAP(6), *two_columns(left, right, xr=0.55, wr=0.19, size=9.5)]
    L += [HR(6), R((0.0, c.pick(["PENDAPATAN", "PENERIMAAN"], ["EARNINGS", "EARNINGS"])),
                   (0.52, c.pick(["POTONGAN", "POTONGAN"], ["DEDUCTIONS", "DEDUCTIONS"])),
                   size=9.5, bold=True), HR(0)]

    def amount(v: float) -> str:
        return c.money(v, "IDR").replace("Rp. ", "").replace("Rp ", "").replace("IDR ", "")

    for i in range(max(len(earn), len(ded))):
        cells: list[tuple[float, str] | tuple[float, str, str]] = []
        if i < len(earn):
            cells += [(0.0, earn[i][0]), (0.46, amount(earn[i][1]), "r")]
        if i < len(ded):
            cells += [(0.52, ded[i][0]), (1.0, amount(ded[i][1]), "r")]
        L.append(R(*cells, size=9.5))
    L += [HR(0), R((0.0, c.pick(["Total Pendapatan", "Jumlah"], ["Gross pay", "Total earnings"])),
                   (0.46, amount(gross), "r"),
                   (0.52, c.pick(["Total Potongan", "Jumlah"], ["Total deductions", "Total"])),
                   (1.0, amount(sum(v for _, v in ded)), "r"), size=9.5, bold=True),
          GAP(6), R((0.0, c.pick(["GAJI BERSIH (TAKE HOME PAY)", "Gaji Bersih", "Diterima"],
                                 ["NET PAY", "Net salary", "Take home pay"])),
                    (1.0, c.money(net, "IDR"), "r"), size=11, bold=True)]
    if c.id:
        L.append(T(f"Terbilang: {terbilang(net)} rupiah", size=9))
    L.append(T(c.pick([f"Ditransfer ke rekening {r.choice(['Bank Mandala', 'Bank Arta Niaga'])} "
                       f"No. {r.randint(1000000, 9999999)}{r.randint(100, 999)}",
                       "Pembayaran melalui transfer bank"],
                      [f"Paid to account no. ****{r.randint(1000, 9999)}",
                       "Paid by bank transfer"]), size=9, gap=4))
    if place_date_only:
        L += signature_block(c, place_date=True, x=0.6, closing="Bagian Personalia,",
                             company_line=False)
    else:
        L += [GAP(12), T(c.pick(["Slip gaji ini dicetak oleh sistem dan sah tanpa tanda tangan.",
                                 "Bersifat rahasia - hanya untuk karyawan yang bersangkutan."],
                                ["This is a computer-generated payslip; no signature is "
                                 "required.", "Private and confidential."]), size=8)]
    return L


# --- purchase orders ----------------------------------------------------------------------


def build_purchase_order(c: Ctx) -> list[Line]:
    r = c.rng
    layout = r.randrange(3)
    delivery = c.day + timedelta(days=r.randint(5, 35))
    quote_day = c.day - timedelta(days=r.randint(2, 20))
    L = letterhead(c)
    title = c.pick(["PURCHASE ORDER", "SURAT PESANAN", "PESANAN PEMBELIAN", "ORDER PEMBELIAN"],
                   ["PURCHASE ORDER", "Purchase Order", "PURCHASE ORDER (PO)"])
    pairs = [(c.pick(["No. PO", "Nomor PO", "No. Pesanan", "PO No."],
                     ["PO Number", "PO No.", "Order No.", "Purchase Order No."]), c.number),
             (c.pick(["Tanggal", "Tgl. PO", "Tanggal PO", "Tgl."],
                     ["PO Date", "Date", "Order Date", "Date of order"]), c.date())]
    if r.random() < 0.5:
        pairs.append((c.pick(["Ref. Penawaran", "No. Penawaran"], ["Quotation ref.",
                                                                  "Your quote"]),
                      f"{c.ref('quote')} ({c.date(quote_day, ['dmy/', 'abbr'])})"))
    pairs.append((c.pick(["Tgl. Kirim", "Tanggal Pengiriman", "Diminta tiba"],
                         ["Delivery Date", "Required by", "Requested delivery"]),
                  c.date(delivery)))
    pairs.append((c.pick(["Syarat Pembayaran", "Pembayaran"], ["Payment Terms", "Terms"]),
                  c.pick(["30 hari setelah barang diterima", "Kredit 14 hari", "COD"],
                         ["Net 30", "30 days from invoice", "Net 45"])))
    vendor_label = c.pick(["Kepada (Supplier):", "Vendor:", "Pemasok:", "Kepada Yth."],
                          ["Vendor:", "Supplier:", "To:", "Vendor"])
    vendor = [vendor_label, c.to.printed(r), c.to.street, c.to.city]
    if layout == 2:  # the dense layout of an ERP print-out
        L += [R((0.0, title), (1.0, c.number, "r"), size=13, bold=True)]
        L += meta_lines(pairs[1:], r, size=9, x=0.5)
        L += [GAP(4)] + [R((0.0, a), (0.5, b), size=9) for a, b in
                         zip(vendor, [c.pick(["Kirim ke:", "Alamat Kirim:"], ["Ship to:",
                                                                              "Deliver to:"]),
                                      c.sender.name, c.sender.street, c.sender.city],
                             strict=False)]
    else:
        L += [GAP(6), T(title, size=16, bold=True, align="center" if layout == 0 else "left"),
              GAP(6)]
        L += two_columns(vendor, pairs, xr=0.5, wr=0.2)
    table, subtotal = items(c)
    L += [GAP(6), *table]
    tot, _ = totals(c, subtotal)
    L += tot
    L += [GAP(6), T(c.pick(["Catatan: Mohon cantumkan nomor PO pada faktur dan surat jalan.",
                            "Barang yang tidak sesuai spesifikasi akan dikembalikan."],
                           ["Please quote our PO number on all invoices and delivery notes.",
                            "Goods not conforming to specification will be returned at the "
                            "supplier's cost."]), size=8.5)]
    L += [GAP(10), R((0.0, c.pick(["Dibuat oleh,", "Pemesan,"], ["Prepared by", "Requested by"])),
                     (0.6, c.pick(["Disetujui oleh,", "Mengetahui,"],
                                  ["Authorised by", "Approved by"])), size=9.5),
          SIG(0.62), GAP(12), R((0.0, c.person()), (0.6, c.signer), size=9.5),
          R((0.0, c.pick(["Purchasing", "Staf Pembelian"], ["Purchasing", "Buyer"])),
            (0.6, c.signer_title), size=9)]
    return L


# --- delivery notes -----------------------------------------------------------------------


def build_delivery_note(c: Ctx) -> list[Line]:
    r = c.rng
    layout = r.randrange(3)
    po_day = c.day - timedelta(days=r.randint(2, 25))
    L = letterhead(c)
    title = c.pick(["SURAT JALAN", "SURAT PENGANTAR BARANG", "SURAT JALAN / DELIVERY ORDER",
                    "BUKTI PENGIRIMAN BARANG"],
                   ["DELIVERY NOTE", "DELIVERY ORDER", "GOODS DELIVERY NOTE", "PACKING SLIP"])
    plate = f"{r.choice(['B', 'L', 'D', 'H', 'BK', 'DK'])} {r.randint(1000, 9999)} " \
            f"{r.choice(['KXT', 'UAB', 'TJ', 'PQ', 'FA'])}"
    pairs = [(c.pick(["No. SJ", "No. Surat Jalan", "Nomor", "No."],
                     ["DN No.", "Delivery Note No.", "DO Number", "No."]), c.number),
             (c.pick(["Tanggal", "Tgl.", "Tgl. Kirim", "Tanggal Kirim"],
                     ["Date", "Delivery Date", "Dispatch date", "Date"]), c.date())]
    pairs.append((c.pick(["No. PO", "Ref. PO"], ["Your PO", "Customer PO"]), c.ref("po")))
    if r.random() < 0.6:
        pairs.append((c.pick(["Tgl. PO", "Tanggal PO"], ["PO Date", "Order date"]),
                      c.date(po_day)))
    if c.id or r.random() < 0.5:
        pairs += [(c.pick(["No. Kendaraan", "No. Polisi"], ["Vehicle", "Truck no."]), plate),
                  (c.pick(["Sopir", "Pengemudi"], ["Driver", "Driver"]), c.person())]
    else:
        pairs.append(("Carrier", r.choice(["Harbourline Freight", "own transport",
                                           "courier"])))
    ship = addressee(c, "ship")
    if layout == 0:
        L += [GAP(6), T(title, size=16, bold=True, align="center"), GAP(6)]
        L += two_columns(ship, pairs, xr=0.52, wr=0.2)
    elif layout == 1:
        L += [GAP(6), T(title, size=15, bold=True), GAP(4)]
        L += meta_lines(pairs, r) + [GAP(6)] + [T(t, size=9.5) for t in ship]
    else:
        L += [GAP(4), R((0.0, title), (1.0, c.number, "r"), size=14, bold=True)]
        L += meta_lines(pairs[1:], r, x=0.5) + [GAP(4)] + [T(t, size=9.5) for t in ship]
    table, _ = items(c, priced=False)
    L += [GAP(6), *table]
    L += [GAP(6), T(c.pick(["Barang telah diterima dalam keadaan baik dan cukup.",
                            "Mohon diperiksa; keluhan setelah barang diterima tidak dilayani."],
                           ["Received the above goods in good order and condition.",
                            "Please check the goods on arrival and report any damage within "
                            "24 hours."]), size=9)]
    labels = c.pick([("Penerima,", "Sopir,", "Hormat kami,"), ("Diterima oleh,", "Pengirim,",
                                                               "Gudang,")],
                    [("Received by", "Driver", "Dispatched by"), ("Consignee", "Carrier",
                                                                  "Warehouse")])
    L += [GAP(10), R((0.0, labels[0]), (0.36, labels[1]), (0.7, labels[2]), size=9.5),
          SIG(0.72), GAP(12), R((0.0, "(..................)"), (0.36, "(..................)"),
                                (0.7, f"( {c.signer} )"), size=9.5),
          R((0.0, c.pick(["Tgl. terima: ..........", "Tanggal: ........"],
                         ["Date: ..............", "Date received: ........"])), size=9)]
    return L


# --- bank statements ----------------------------------------------------------------------


def build_bank_statement(c: Ctx) -> list[Line]:
    r = c.rng
    # a statement is printed a few days after the month it covers
    period_end = c.day.replace(day=1) - timedelta(days=1)
    c.day = period_end + timedelta(days=r.randint(1, 6))
    period_start = period_end.replace(day=1)
    account = r.choice([f"{r.randint(100, 999)}-{r.randint(10, 99)}-{r.randint(1000000, 9999999)}"
                        f"-{r.randint(1, 9)}", f"{r.randint(10**9, 10**10 - 1)}",
                        f"{r.randint(1000, 9999)} {r.randint(1000, 9999)} {r.randint(10, 99)}"])
    L = letterhead(c) if c.letterhead_style != 3 else \
        [T(c.sender.printed(r), size=15, bold=True), HR()]
    title = c.pick(["REKENING KORAN", "LAPORAN MUTASI REKENING", "MUTASI REKENING",
                    "LAPORAN REKENING GIRO"],
                   ["STATEMENT OF ACCOUNT", "BANK STATEMENT", "ACCOUNT STATEMENT"])
    L += [GAP(4), T(title, size=14, bold=True, align=r.choice(["center", "left"])), GAP(4)]
    period_style = [r.choice(["dmy/", "long", "abbr", "dmy-"])]
    period = f"{c.date(period_start, period_style)} - {c.date(period_end, period_style)}"
    if r.random() < 0.3:
        period = f"{month_name(period_start, c.lang, r)} {period_start.year}"
    left = [c.to.printed(r), c.to.street, c.to.city]
    right = [(c.pick(["No. Rekening", "Nomor Rekening"], ["Account No.", "Account number"]),
              account),
             (c.pick(["Mata Uang", "Valuta"], ["Currency", "Currency"]), c.sender.currency),
             (c.pick(["Periode", "Periode Transaksi"], ["Period", "Statement period"]), period),
             (c.pick(["Tanggal Cetak", "Tgl. Laporan", "Tanggal"],
                     ["Statement date", "Date", "Issue date"]), c.date()),
             (c.pick(["No. Dokumen", "Nomor"], ["Statement No.", "Reference"]), c.number)]
    if r.random() < 0.4:
        right = [right[4], right[3], right[0], right[1], right[2]]
    label = c.pick(["Nama Nasabah:", "Kepada Yth."], ["Account holder:", "Customer"])
    L += two_columns([label, *left], right, xr=0.5, wr=0.2, size=9)
    head = c.pick([("Tanggal", "Keterangan", "Debet", "Kredit", "Saldo"),
                   ("Tgl", "Uraian Transaksi", "Mutasi Debet", "Mutasi Kredit", "Saldo")],
                  [("Date", "Description", "Withdrawals", "Deposits", "Balance"),
                   ("Date", "Transaction details", "Debit", "Credit", "Balance")])
    size = 8.0
    L += [HR(6), R((0.0, head[0]), (0.13, head[1]), (0.68, head[2], "r"), (0.84, head[3], "r"),
                   (1.0, head[4], "r"), size=size, bold=True), HR(0)]
    balance = float(r.randint(20, 900) * 1_000_000 if c.sender.currency == "IDR" else
                    r.randint(5, 300) * 100)
    scale = 1.0 if c.sender.currency == "IDR" else 0.0001
    L.append(R((0.13, c.pick(["SALDO AWAL", "Saldo Awal"], ["OPENING BALANCE",
                                                            "Balance brought forward"])),
               (1.0, c.money(balance).replace("Rp. ", "").replace("Rp ", ""), "r"), size=size))
    day_style = r.randrange(3)
    row_style = [r.choice(["dmy/", "iso", "dmy-"])]
    n = r.randint(9, 15)
    days = sorted(period_start + timedelta(days=r.randint(0, period_end.day - 1))
                  for _ in range(n))
    names = [co.name for co in ID_COMPANIES + EN_COMPANIES]
    for day in days:
        credit = r.random() < 0.45
        value = round(r.randint(1, 600) * 250_000 * scale, 2)
        desc = c.pick(
            [f"TRSF E-BANKING CR {day.day:02d}{day.month:02d}/FTSCY/{r.randint(10000, 99999)} "
             f"{r.choice(names)[:22].upper()}", "SETORAN TUNAI",
             f"KLIRING {r.randint(10**5, 10**6)}",
             f"TRF KE {r.choice(names)[:20].upper()}", "BIAYA ADM", "PAJAK BUNGA",
             f"TARIK TUNAI ATM {r.randint(100, 999)}"],
            [f"TRANSFER FROM {r.choice(names)[:22].upper()}", f"CHEQUE {r.randint(100000, 999999)}",
             f"GIRO PAYMENT {r.choice(names)[:20].upper()}", "SERVICE CHARGE", "INTEREST CREDIT",
             f"FAST PAYMENT REF {r.randint(10**7, 10**8)}"])
        if desc in ("BIAYA ADM", "SERVICE CHARGE", "PAJAK BUNGA"):
            value, credit = round(r.choice([15000, 25000, 30000]) * scale, 2), False
        if desc in ("INTEREST CREDIT",):
            credit = True
        balance += value if credit else -value
        if day_style == 0:
            shown = f"{day.day:02d}/{day.month:02d}"
        elif day_style == 1:
            shown = f"{day.day:02d} {month_name(day, c.lang, r, abbr=True).upper()}"
        else:
            shown = fmt_date(day, c.lang, r, row_style)
        money = c.money(value).replace("Rp. ", "").replace("Rp ", "").replace("IDR ", "")
        money = money.split(" ")[-1]
        bal = c.money(balance).replace("Rp. ", "").replace("Rp ", "").replace("IDR ", "")
        L.append(R((0.0, shown), (0.13, desc[:34]), (0.68 if not credit else 0.84, money, "r"),
                   (1.0, bal.split(" ")[-1], "r"), size=size))
    L += [HR(0), R((0.13, c.pick(["SALDO AKHIR", "Saldo Akhir"], ["CLOSING BALANCE",
                                                                  "Balance carried forward"])),
                   (1.0, c.money(balance).replace("Rp. ", "").replace("Rp ", ""), "r"),
                   size=size, bold=True)]
    L += [GAP(12), T(c.pick(["Apabila dalam waktu 30 hari sejak tanggal laporan ini tidak ada "
                             "sanggahan, maka Nasabah dianggap menyetujui seluruh transaksi.",
                             "Simpan laporan ini sebagai bukti transaksi yang sah."],
                            ["Please examine this statement promptly. If no discrepancy is "
                             "reported within 14 days, the account will be considered correct.",
                             "This statement is computer-generated and requires no "
                             "signature."]), size=7.5),
          T(c.pick(["Halaman 1", "Hal. 1 dari 1"], ["Page 1 of 1", "Page 1"]), size=7.5,
            align="right")]
    return L


# --- reports ------------------------------------------------------------------------------


def build_report(c: Ctx) -> list[Line]:
    r = c.rng
    L = letterhead(c)
    quarter_end = c.day.replace(day=1) - timedelta(days=1)
    start = (quarter_end - timedelta(days=r.choice([27, 88]))).replace(day=1)
    if c.id:
        kind = r.randrange(3)
        title = ["LAPORAN KEUANGAN BULANAN", "LAPORAN STOK OPNAME GUDANG",
                 "LAPORAN HASIL PEMERIKSAAN"][kind]
        if kind == 2:
            title = r.choice(["LAPORAN HASIL PEMERIKSAAN", "LAPORAN HASIL INSPEKSI PERALATAN"])
        L += [GAP(6), T(title, size=14, bold=True, align="center"), GAP(4)]
        pairs = [(r.choice(["No. Laporan", "Nomor"]), c.number),
                 (r.choice(["Periode", "Periode Laporan"]),
                  f"{c.date(start, ['long', 'dmy/'])} s/d {c.date(quarter_end, ['long', 'dmy/'])}"),
                 (r.choice(["Disusun oleh", "Penyusun"]), r.choice(["Bagian Akuntansi",
                                                                     "Tim Gudang",
                                                                     "Tim Pemeriksa"]))]
        if kind == 2:
            pairs.insert(2, ("Tgl. Pemeriksaan",
                             c.date(c.day - timedelta(days=r.randint(2, 12)))))
        with_label = r.random() < 0.45
        if with_label:
            pairs.insert(1, (r.choice(["Tanggal", "Tgl. Laporan", "Tanggal Laporan"]), c.date()))
        L += meta_lines(pairs, r)
        L += [T("1. Ringkasan", size=10.5, bold=True, gap=8),
              T(r.choice([
                  "Secara umum realisasi pendapatan periode ini mencapai 94% dari anggaran, "
                  "sementara beban operasional terkendali di bawah anggaran.",
                  "Pemeriksaan dilakukan terhadap seluruh barang di gudang utama; ditemukan "
                  "selisih kecil pada beberapa item yang telah ditelusuri penyebabnya.",
                  "Seluruh peralatan yang diperiksa berada dalam kondisi layak pakai, kecuali dua "
                  "unit yang memerlukan perbaikan ringan."]), size=10),
              T("2. Rincian", size=10.5, bold=True, gap=6),
              HR(2), R((0.0, "Uraian"), (0.6, "Anggaran", "r"), (0.8, "Realisasi", "r"),
                       (1.0, "%", "r"), size=9, bold=True), HR(0)]
        for row in r.sample(["Pendapatan usaha", "Beban gaji", "Beban sewa", "Beban listrik & air",
                             "Beban transportasi", "Persediaan barang", "Piutang usaha"], 5):
            budget = r.randint(50, 900) * 1_000_000
            actual = round(budget * r.uniform(0.7, 1.15))
            L.append(R((0.0, row), (0.6, f"{budget:,}".replace(",", "."), "r"),
                       (0.8, f"{actual:,}".replace(",", "."), "r"),
                       (1.0, f"{actual / budget * 100:.0f}", "r"), size=9))
        next_check = c.day + timedelta(days=r.choice([90, 180]))
        L += [HR(0), T("3. Kesimpulan dan Rekomendasi", size=10.5, bold=True, gap=6),
              T("Disarankan agar pencatatan persediaan dilakukan setiap hari dan pemeriksaan "
                f"berikutnya dijadwalkan pada {c.date(next_check)}.", size=10)]
        L += [GAP(8), R((0.0, "Mengetahui,"), (0.6, "Dibuat oleh,"), size=10)]
        if not with_label:
            L.insert(len(L) - 1, R((0.6, f"{c.extras['city']}, {c.date()}"), size=10))
        L += [SIG(0.62), GAP(12), R((0.0, f"( {c.person()} )"), (0.6, f"( {c.signer} )"),
                                    size=10),
              R((0.0, "Direktur"), (0.6, c.signer_title), size=9)]
        return L
    kind = r.randrange(3)
    title = ["MONTHLY SALES REPORT", "INSPECTION REPORT", "QUARTERLY PROGRESS REPORT"][kind]
    L += [GAP(6), T(title, size=15, bold=True, align=r.choice(["center", "left"])), GAP(4)]
    pairs = [(r.choice(["Report No.", "Report ref.", "Document No."]), c.number),
             (r.choice(["Report date", "Date", "Issued"]), c.date()),
             ("Reporting period", f"{c.date(start, ['long', 'us', 'dmy/'])} to "
                                  f"{c.date(quarter_end, ['long', 'us', 'dmy/'])}"),
             ("Prepared for", c.to.name)]
    if kind == 1:
        pairs[2] = ("Date of inspection", c.date(c.day - timedelta(days=r.randint(1, 10))))
    L += meta_lines(pairs, r)
    L += [T("Executive summary", size=11, bold=True, gap=8),
          T(r.choice([
              "Sales for the period were 6% above target, driven by strong demand for packaging "
              "materials. Margins were stable despite higher freight costs.",
              "The inspection covered the compressor station, the cold store and the loading "
              "bays. No critical defects were found; three minor findings are listed below.",
              "The project remains on schedule. Milestone 2 was completed and accepted; the "
              "budget forecast is unchanged."]), size=10),
          T("Key figures", size=11, bold=True, gap=6), HR(2),
          R((0.0, "Item"), (0.6, "Target", "r"), (0.8, "Actual", "r"), (1.0, "Var.", "r"),
            size=9, bold=True), HR(0)]
    for row in r.sample(["Revenue", "Units shipped", "New customers", "Open findings",
                         "Hours worked", "Budget spent", "Defects"], 5):
        target = r.randint(20, 900)
        actual = round(target * r.uniform(0.7, 1.2))
        L.append(R((0.0, row), (0.6, f"{target:,}", "r"), (0.8, f"{actual:,}", "r"),
                   (1.0, f"{(actual - target) / target * 100:+.0f}%", "r"), size=9))
    L += [HR(0), T("Recommendations", size=11, bold=True, gap=6),
          T("1. Review the safety stock of fast-moving items.", size=10),
          T(f"2. Schedule the next review for "
            f"{c.date(c.day + timedelta(days=r.choice([30, 90])))}.", size=10),
          GAP(8), T(f"Prepared by: {c.signer}, {c.signer_title}", size=9.5),
          T(f"For and on behalf of {c.sender.name}", size=9.5)]
    return L


# --- other --------------------------------------------------------------------------------


def build_other(c: Ctx) -> list[Line]:
    r = c.rng
    kind = r.randrange(4)
    L = letterhead(c) if kind != 0 or r.random() < 0.5 else []
    if kind == 0:  # minutes of a meeting
        title = c.pick(["NOTULEN RAPAT", "NOTULA RAPAT", "RISALAH RAPAT"],
                       ["MINUTES OF MEETING", "MEETING NOTES", "Minutes"])
        L += [GAP(4), T(title, size=14, bold=True, align="center"), GAP(4)]
        next_meeting = c.day + timedelta(days=r.choice([7, 14, 30]))
        deadline = c.day + timedelta(days=r.randint(3, 20))
        pairs = [(c.pick(["Nomor", "No."], ["Ref", "No."]), c.number),
                 (c.pick(["Hari/Tanggal", "Tanggal", "Hari, tanggal"], ["Date", "Meeting date"]),
                  c.date(styles=["weekday", "long", "dmy/"])),
                 (c.pick(["Waktu", "Pukul"], ["Time", "Time"]),
                  c.pick(["09.00 - 11.30 WIB", "13.30 - 15.00 WIB"], ["10:00 - 11:30",
                                                                      "14:00 - 15:15"])),
                 (c.pick(["Tempat", "Lokasi"], ["Venue", "Location"]),
                  c.pick(["Ruang Rapat Lt. 3", "Zoom Meeting", "Kantor Cabang Surabaya"],
                         ["Meeting room 2", "Video call", "Client site"])),
                 (c.pick(["Pimpinan Rapat", "Pemimpin"], ["Chair", "Chaired by"]), c.signer),
                 (c.pick(["Peserta", "Hadir"], ["Attendees", "Present"]),
                  ", ".join(r.sample(PEOPLE_ID if c.id else PEOPLE_EN, 4)))]
        L += meta_lines(pairs, r)
        L += [T(c.pick(["Agenda:", "Acara:"], ["Agenda:", "Agenda"]), size=10, bold=True, gap=6)]
        points = c.pick([
            ["1. Evaluasi pengiriman barang bulan lalu", "2. Rencana stok akhir tahun",
             "3. Penagihan piutang yang tertunda", "4. Lain-lain"],
            ["1. Evaluasi kinerja pemasok", "2. Jadwal perawatan mesin",
             "3. Usulan pembelian forklift baru"]],
            [["1. Review of last month's deliveries", "2. Year-end stock plan",
              "3. Overdue receivables", "4. Any other business"],
             ["1. Supplier performance", "2. Maintenance schedule", "3. New forklift request"]])
        L += [T(p, size=10, indent=0.03) for p in points]
        L += [T(c.pick(["Hasil Pembahasan / Tindak Lanjut:", "Keputusan:"],
                       ["Actions:", "Decisions and actions:"]), size=10, bold=True, gap=6),
              R((0.0, "No"), (0.06, c.pick(["Tindak lanjut", "Kegiatan"], ["Action", "Item"])),
                (0.62, "PIC"), (0.8, c.pick(["Batas waktu", "Target"], ["Due", "Deadline"])),
                size=9, bold=True)]
        for i, act in enumerate(c.pick(
                [["Rekap keterlambatan pengiriman", "Kirim surat teguran ke pelanggan",
                  "Minta penawaran forklift"]],
                [["Summarise late deliveries", "Send reminders to customers",
                  "Obtain forklift quotations"]]), 1):
            L.append(R((0.0, str(i)), (0.06, act), (0.62, c.person().split()[0]),
                       (0.8, c.date(deadline + timedelta(days=i * 2), ["dmy/", "abbr"])),
                       size=9))
        L += [T(c.pick([f"Rapat berikutnya: {c.date(next_meeting)}",
                        f"Rapat akan dilanjutkan pada {c.date(next_meeting, ['weekday'])}"],
                       [f"Next meeting: {c.date(next_meeting)}",
                        f"The next meeting will be held on {c.date(next_meeting)}."]),
                size=10, gap=8),
              T(c.pick([f"Notulis: {c.person()}", f"Dicatat oleh: {c.person()}"],
                       [f"Minutes taken by {c.person()}", f"Recorded by: {c.person()}"]),
                size=9.5, gap=4)]
        L += [T(c.sender.name, size=8, gap=10)]
        return L
    if kind == 1:  # price list
        title = c.pick(["DAFTAR HARGA", "PRICE LIST", "DAFTAR HARGA PRODUK"],
                       ["PRICE LIST", "Price List", "PRODUCT PRICE LIST"])
        valid = c.day + timedelta(days=r.choice([30, 60, 90]))
        L += [GAP(4), T(title, size=15, bold=True, align="center"),
              T(c.pick([f"Ref. {c.number}", f"Kode: {c.number}"], [f"Ref. {c.number}",
                                                                   f"List no. {c.number}"]),
                size=9, align="center"),
              T(c.pick([f"Per tanggal {c.date()}", f"Tanggal: {c.date()}",
                        f"Update: {c.date()}"],
                       [f"Effective {c.date()}", f"Date of issue: {c.date()}",
                        f"Updated {c.date()}"]), size=10, align="center"), GAP(6),
              R((0.0, c.pick(["Kode", "Kode"], ["Code", "SKU"])),
                (0.15, c.pick(["Nama Produk", "Barang"], ["Product", "Description"])),
                (0.65, c.pick(["Satuan", "Sat."], ["Unit", "Unit"])),
                (1.0, c.pick(["Harga", "Harga (Rp)"], ["Price", "Unit price"]), "r"),
                size=9.5, bold=True), HR(0)]
        pool = GOODS_ID + SERVICES_ID if c.sender.currency == "IDR" else GOODS_EN + SERVICES_EN
        for desc, unit, price in r.sample(pool, r.randint(6, 10)):
            code = f"{desc[:2].upper()}{r.randint(100, 999)}"
            L.append(R((0.0, code), (0.15, desc), (0.65, unit),
                       (1.0, c.money(price).replace("Rp. ", "").replace("Rp ", ""), "r"),
                       size=9.5))
        L += [HR(0), T(c.pick([f"Harga belum termasuk PPN 11% dan berlaku s/d {c.date(valid)}.",
                               "Harga sewaktu-waktu dapat berubah tanpa pemberitahuan."],
                              [f"Prices exclude tax and are valid until {c.date(valid)}.",
                               "Prices are subject to change without notice."]), size=8.5,
                      gap=4),
              T(c.pick([f"Pemesanan: {c.sender.phone} / {c.sender.email or 'WA 0812 3456 7890'}"],
                       [f"Orders: {c.sender.phone} / {c.sender.email or 'sales desk'}"]),
                size=8.5)]
        return L
    if kind == 2:  # product flyer
        promo_start = c.day + timedelta(days=r.randint(1, 10))
        promo_end = promo_start + timedelta(days=r.choice([14, 30]))
        L += [GAP(14), T(c.pick(["PROMO AKHIR TAHUN!", "PENAWARAN SPESIAL", "PRODUK BARU"],
                                ["SPECIAL OFFER", "NEW PRODUCT LAUNCH", "SEASON SALE"]),
                         size=22, bold=True, align="center"), GAP(8),
              T(c.pick(["Solusi lengkap untuk kebutuhan kantor dan gudang Anda",
                        "Kualitas terbaik, harga bersaing, pengiriman cepat"],
                       ["Everything your office and warehouse needs",
                        "Quality you can rely on, delivered fast"]), size=12, align="center"),
              GAP(12)]
        for point in c.pick([["- Gratis ongkos kirim untuk wilayah Jabodetabek",
                              "- Diskon hingga 25% untuk pembelian partai",
                              "- Garansi resmi 1 tahun", "- Pembayaran dapat dicicil"]],
                            [["- Free delivery on orders over 500",
                              "- Up to 25% off for volume orders",
                              "- 12-month manufacturer warranty", "- Flexible payment terms"]]):
            L.append(T(point, size=12, indent=0.1))
        L += [GAP(10), T(c.pick([f"Periode promo: {c.date(promo_start)} - {c.date(promo_end)}"],
                                [f"Offer valid {c.date(promo_start)} to {c.date(promo_end)}"]),
                         size=11, bold=True, align="center"),
              GAP(16), T(c.pick(["Hubungi kami:", "Info & pemesanan:"], ["Contact us:",
                                                                       "Call us today:"]),
                             size=10, align="center"),
              T(f"{c.sender.phone}   {c.sender.email}", size=10, align="center"), GAP(30),
              T(c.pick([f"Kode brosur {c.number} - dicetak {c.date()}",
                        f"{c.number} / Edisi {c.date()}"],
                       [f"Leaflet {c.number}, printed {c.date()}",
                        f"Ref {c.number} - issued {c.date()}"]), size=7.5, align="right")]
        return L
    # attendance list
    title = c.pick(["DAFTAR HADIR", "DAFTAR HADIR PESERTA"], ["ATTENDANCE LIST",
                                                             "ATTENDANCE SHEET"])
    event = c.pick(["Pelatihan K3 (Keselamatan dan Kesehatan Kerja)", "Sosialisasi Prosedur Gudang",
                    "Rapat Evaluasi Kinerja Pemasok"],
                   ["Fire Safety Training", "Warehouse Procedures Briefing",
                    "Supplier Performance Review"])
    L += [GAP(4), T(title, size=14, bold=True, align="center"),
          T(event, size=11, align="center"), GAP(6)]
    L += meta_lines([(c.pick(["No. Formulir", "Nomor"], ["Form No.", "Ref"]), c.number),
                     (c.pick(["Hari/Tanggal", "Tanggal"], ["Date", "Date"]),
                      c.date(styles=["weekday", "long", "dmy/"])),
                     (c.pick(["Tempat", "Lokasi"], ["Venue", "Location"]),
                      c.pick(["Aula Lt. 2", "Gudang Utama"], ["Training room", "Main warehouse"]))],
                    r)
    L += [HR(6), R((0.0, "No"), (0.06, c.pick(["Nama", "Nama Peserta"], ["Name", "Name"])),
                   (0.42, c.pick(["Jabatan / Instansi", "Bagian"], ["Company / Role", "Dept."])),
                   (0.78, c.pick(["Tanda Tangan", "Paraf"], ["Signature", "Signature"])),
                   size=9.5, bold=True), HR(0)]
    people = r.sample(PEOPLE_ID + PEOPLE_EN, 8)
    for i, person in enumerate(people, 1):
        L.append(R((0.0, str(i)), (0.06, person), (0.42, r.choice(
            [c.to.name, c.sender.name, "Gudang", "Keuangan" if c.id else "Finance"])),
                   (0.78 + (i % 2) * 0.1, f"{i}. ........"), size=9.5))
    L += [HR(0), GAP(8), R((0.6, c.pick(["Mengetahui,", "Penanggung jawab,"],
                                        ["Verified by", "Trainer"])), size=10), SIG(0.62),
          GAP(10), R((0.6, c.signer), size=10)]
    return L


BUILDERS: dict[str, Callable[[Ctx], list[Line]]] = {
    "invoice": build_invoice, "receipt": build_receipt, "letter": build_letter,
    "contract": build_contract, "payslip": build_payslip,
    "purchase_order": build_purchase_order, "delivery_note": build_delivery_note,
    "bank_statement": build_bank_statement, "report": build_report, "other": build_other,
}

# ----------------------------------------------------------------------------------------
# Layout and rendering
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    x: float  # points from the left edge
    y: float  # baseline, points from the top edge
    text: str
    size: float
    bold: bool
    kind: str = "text"  # text, rule, signature


Measure = Callable[[str, float, bool], float]


def _wrap(text: str, size: float, bold: bool, width: float, measure: Measure) -> list[str]:
    words = text.split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and measure(trial, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    return lines


def layout(lines: Sequence[Line], measure: Measure) -> list[list[Placed]]:
    pages: list[list[Placed]] = [[]]
    y = MARGIN_TOP

    def room(height: float) -> None:
        nonlocal y
        if y + height > PAGE_H - MARGIN_BOTTOM and pages[-1]:
            pages.append([])
            y = MARGIN_TOP

    for line in lines:
        if line.page_break:
            pages.append([])
            y = MARGIN_TOP
            continue
        y += line.gap
        if line.rule:
            room(6)
            pages[-1].append(Placed(MARGIN_X, y + 3, "", 0.6, False, "rule"))
            y += 6
            continue
        if line.signature >= 0:
            room(line.size)
            pages[-1].append(Placed(MARGIN_X + line.signature * TEXT_W, y + line.size, "",
                                    line.size, False, "signature"))
            y += line.size
            continue
        if line.size == 0:
            continue
        height = line.size * 1.38
        if line.cells:
            room(height)
            base = y + line.size
            for xf, text, align in line.cells:
                x = MARGIN_X + xf * TEXT_W
                w = measure(text, line.size, line.bold)
                x = x - w if align == "r" else x - w / 2 if align == "c" else x
                pages[-1].append(Placed(x, base, text, line.size, line.bold))
            y += height
            continue
        left = MARGIN_X + line.indent * TEXT_W
        for part in _wrap(line.text, line.size, line.bold, TEXT_W * (1 - line.indent), measure):
            room(height)
            w = measure(part, line.size, line.bold)
            x = left if line.align == "left" else \
                MARGIN_X + TEXT_W - w if line.align == "right" else MARGIN_X + (TEXT_W - w) / 2
            pages[-1].append(Placed(x, y + line.size, part, line.size, line.bold))
            y += height
    return [p for p in pages if p]


PDF_FONTS = {("sans", False): "Helvetica", ("sans", True): "Helvetica-Bold",
             ("serif", False): "Times-Roman", ("serif", True): "Times-Bold",
             ("mono", False): "Courier", ("mono", True): "Courier-Bold"}


def write_pdf(path: Path, lines: Sequence[Line], family: str) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    def measure(text: str, size: float, bold: bool) -> float:
        return float(stringWidth(text, PDF_FONTS[(family, bold)], size))

    pages = layout(lines, measure)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in pages:
        for item in page:
            if item.kind == "rule":
                pdf.setLineWidth(item.size)
                pdf.line(item.x, PAGE_H - item.y, PAGE_W - MARGIN_X, PAGE_H - item.y)
            elif item.kind == "text" and item.text:
                pdf.setFont(PDF_FONTS[(family, item.bold)], item.size)
                pdf.drawString(item.x, PAGE_H - item.y, item.text)
        pdf.showPage()
    pdf.save()
    return len(pages)


def as_text(lines: Sequence[Line]) -> str:
    """The page as a plain-text export would give it: columns approximated with spaces."""
    out: list[str] = []
    for line in lines:
        if line.rule:
            out.append("-" * TXT_COLUMNS)
        elif line.cells:
            row = ""
            for xf, text, align in line.cells:
                col = round(xf * TXT_COLUMNS)
                start = col - len(text) if align == "r" else col - len(text) // 2 \
                    if align == "c" else col
                start = max(start, len(row) + (1 if row else 0))
                row = row.ljust(start) + text
            out.append(row.rstrip())
        elif line.text:
            import textwrap

            for part in textwrap.wrap(line.text, TXT_COLUMNS) or [""]:
                if line.align == "center":
                    part = part.center(TXT_COLUMNS).rstrip()
                elif line.align == "right":
                    part = part.rjust(TXT_COLUMNS)
                out.append(part)
        elif line.gap >= 6 and out and out[-1]:
            out.append("")
    return "\n".join(out) + "\n"


FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/share/fonts/TTF")]
FONT_FILES = {("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
              ("serif", False): "DejaVuSerif.ttf", ("serif", True): "DejaVuSerif-Bold.ttf",
              ("mono", False): "DejaVuSansMono.ttf", ("mono", True): "DejaVuSansMono-Bold.ttf"}
_font_cache: dict[tuple[str, bool, int], ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}


def _font(family: str, bold: bool, px: int) -> Any:
    key = (family, bold, px)
    if key not in _font_cache:
        for folder in FONT_DIRS:
            candidate = folder / FONT_FILES[(family, bold)]
            if candidate.is_file():
                _font_cache[key] = ImageFont.truetype(str(candidate), px)
                break
        else:
            _font_cache[key] = ImageFont.load_default(size=px)
    return _font_cache[key]


def render_pages(lines: Sequence[Line], family: str, dpi: int, rng: random.Random
                 ) -> list[Image.Image]:
    scale = dpi / 72.0

    def measure(text: str, size: float, bold: bool) -> float:
        return float(_font(family, bold, max(6, round(size * scale))).getlength(text)) / scale

    images = []
    for page in layout(lines, measure):
        image = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 255)
        draw = ImageDraw.Draw(image)
        ink = rng.randint(0, 40)
        for item in page:
            if item.kind == "rule":
                draw.line([(item.x * scale, item.y * scale),
                           ((PAGE_W - MARGIN_X) * scale, item.y * scale)],
                          fill=ink, width=max(1, round(item.size * scale)))
            elif item.kind == "signature":
                _scribble(draw, item.x * scale, item.y * scale, item.size * scale, rng)
            elif item.text:
                font = _font(family, item.bold, max(6, round(item.size * scale)))
                draw.text((item.x * scale, item.y * scale), item.text, fill=ink, font=font,
                          anchor="ls")
        images.append(image)
    return images


def _scribble(draw: ImageDraw.ImageDraw, x: float, y: float, height: float,
              rng: random.Random) -> None:
    points = []
    for i in range(rng.randint(9, 16)):
        points.append((x + i * height * 0.35 + rng.uniform(-4, 4),
                       y - rng.uniform(0, height * 1.1)))
    draw.line(points, fill=rng.randint(30, 90), width=max(2, round(height / 14)), joint="curve")


def _noise(image: Image.Image, amplitude: int, rng: random.Random) -> Image.Image:
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    noise = noise.point(lambda v: v * amplitude // 255)
    return ImageChops.add(image, noise, scale=1.0, offset=-(amplitude // 2))


def _background(size: tuple[int, int], low: int, high: int, rng: random.Random) -> Image.Image:
    corners = Image.new("L", (2, 2))
    corners.putdata([rng.randint(low, high) for _ in range(4)])
    return corners.resize(size, Image.Resampling.BILINEAR)


def _received_stamp(c: Ctx, dpi: int) -> Image.Image:
    """An ink stamp `DITERIMA 28 OKT 2026`, put on incoming mail after its date."""
    scale = dpi / 72.0
    when = c.day + timedelta(days=c.rng.randint(1, 8))
    words = c.pick(["DITERIMA", "DITERIMA", "TELAH DIPERIKSA"], ["RECEIVED", "RECEIVED"])
    date_text = f"{when.day:02d} {month_name(when, c.lang, c.rng, abbr=True).upper()} {when.year}"
    font = _font("sans", True, round(11 * scale))
    small = _font("sans", False, round(8 * scale))
    w, h = round(150 * scale), round(62 * scale)
    stamp = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle([2, 2, w - 3, h - 3], outline=90, width=max(2, round(1.5 * scale)))
    draw.text((w / 2, h * 0.3), words, font=font, fill=90, anchor="mm")
    draw.text((w / 2, h * 0.58), date_text, font=font, fill=90, anchor="mm")
    draw.text((w / 2, h * 0.83), c.pick(["Bag. Keuangan", "Sekretariat"], ["Accounts", "Mailroom"]),
              font=small, fill=90, anchor="mm")
    return stamp.rotate(c.rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC, expand=True,
                        fillcolor=255)


def degrade(page: Image.Image, *, photo: bool, rng: random.Random, c: Ctx, dpi: int,
            first: bool) -> Image.Image:
    if first and rng.random() < 0.3:
        stamp = _received_stamp(c, dpi)
        x = rng.randint(page.width // 2, page.width - stamp.width - 40)
        y = rng.randint(page.height // 12, page.height // 3)
        region = page.crop((x, y, x + stamp.width, y + stamp.height))
        page.paste(ImageChops.multiply(region, stamp), (x, y))
    if not photo:
        if rng.random() < 0.5:
            page = ImageChops.multiply(page, _background(page.size, 232, 252, rng))
        angle = rng.choice([0.0, rng.uniform(-0.8, 0.8)])
        if angle:
            page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250)
        page = _noise(page, rng.choice([8, 16, 24]), rng)
        if rng.random() < 0.4:
            page = page.filter(ImageFilter.GaussianBlur(0.5))
        return page
    page = ImageChops.multiply(page, _background(page.size, 165, 235, rng))
    angle = rng.uniform(1.0, 3.0) * rng.choice([-1, 1])
    desk = rng.randint(50, 110)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=desk)
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
    page = _noise(page, rng.choice([24, 32, 40]), rng)
    tint = (1.0, rng.uniform(0.95, 0.99), rng.uniform(0.85, 0.95))
    channels = [page.point(lambda v, k=k: round(v * k)) for k in tint]
    return Image.merge("RGB", channels)


def save_scan(path: Path, images: list[Image.Image], fmt: str, dpi: int, rng: random.Random,
              photo: bool, scanned: date) -> None:
    if fmt == "png":
        images[0].save(path, "PNG", dpi=(dpi, dpi), optimize=False)
    elif fmt == "jpeg":
        images[0].convert("RGB" if photo else "L").save(
            path, "JPEG", dpi=(dpi, dpi), quality=rng.randint(40, 65) if photo else
            rng.randint(70, 90))
    elif fmt == "tiff":
        if not photo and rng.random() < 0.5:  # bilevel, as office copiers send them
            frames = [im.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1")
                      for im in images]
            frames[0].save(path, "TIFF", dpi=(dpi, dpi), compression="group4", save_all=True,
                           append_images=frames[1:])
        else:
            frames = [im.convert("L") for im in images]
            frames[0].save(path, "TIFF", dpi=(dpi, dpi), compression="tiff_lzw", save_all=True,
                           append_images=frames[1:])
    elif fmt == "pdf":
        frames = [im if photo else im.convert("L") for im in images]
        when = datetime(scanned.year, scanned.month, scanned.day, rng.randint(8, 17),
                        rng.randint(0, 59), rng.randint(0, 59)).timetuple()
        frames[0].save(path, "PDF", resolution=float(dpi), save_all=True,
                       append_images=frames[1:], creationDate=when, modDate=when)
    else:
        raise ValueError(fmt)


# ----------------------------------------------------------------------------------------
# The set
# ----------------------------------------------------------------------------------------

SCAN_FORMATS = ["png", "jpeg", "tiff", "pdf"]
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "tiff": ".tif", "pdf": ".pdf", "txt": ".txt"}


@dataclass
class Plan:
    type: str
    lang: str
    scan: bool
    fmt: str = "pdf"  # pdf, txt for born-digital; png, jpeg, tiff, pdf for scans
    photo: bool = False


def plan(rng: random.Random, count: int, scan_share: float) -> list[Plan]:
    """Types evenly, languages half each within a type, scans spread over the types."""
    plans: list[Plan] = []
    per_type = [count // len(TYPES) + (1 if i < count % len(TYPES) else 0)
                for i in range(len(TYPES))]
    for slug, n in zip(TYPES, per_type, strict=True):
        langs = ["id", "en"] * (n // 2 + 1)
        langs = langs[:n]
        rng.shuffle(langs)
        plans += [Plan(slug, lang, False) for lang in langs]
    offset = rng.random()
    for i, p in enumerate(plans):
        p.scan = math.floor((i + 1) * scan_share + offset) > math.floor(i * scan_share + offset)
    scans = [p for p in plans if p.scan]
    digital = [p for p in plans if not p.scan]
    formats = (SCAN_FORMATS * (len(scans) // len(SCAN_FORMATS) + 1))[:len(scans)]
    rng.shuffle(formats)
    for p, fmt in zip(scans, formats, strict=True):
        p.fmt = fmt
        p.photo = rng.random() < {"jpeg": 0.6, "pdf": 0.25, "png": 0.2}.get(fmt, 0.0)
    n_txt = max(1, round(len(digital) * 0.12)) if len(digital) >= 4 else 0
    for p in rng.sample(digital, n_txt):
        p.fmt = "txt"
    rng.shuffle(plans)
    return plans


def _doc_date(rng: random.Random) -> date:
    if rng.random() < 0.7:
        start = date(2026, 1, 1)
    elif rng.random() < 0.7:
        start = date(2025, 1, 1)
    else:
        start = EARLIEST
    return start + timedelta(days=rng.randint(0, (LATEST - start).days))


def _kind(p: Plan) -> str:
    if not p.scan:
        return "txt" if p.fmt == "txt" else "pdf-text"
    return f"{'photo' if p.photo else 'scan'}-{p.fmt}"


LEGAL_FORMS = {"pt", "cv", "ud", "pd", "tbk", "persero", "ltd", "limited", "pte", "inc", "llc",
               "gmbh", "co", "corp", "corporation", "company"}


def normalise_name(name: str | None) -> str:
    """`PT. SINAR ABADI`, `Sinar Abadi, PT` and `PT Sinar Abadi` all give `sinar abadi`."""
    if not name:
        return ""
    words = re.findall(r"[a-z0-9&]+", name.lower())
    return " ".join(w for w in words if w not in LEGAL_FORMS)


def names_sender(lines: Sequence[Line], sender: str) -> bool:
    """Whether the document's own text names its sender anywhere: one that does not (no
    letterhead, a person's signature) can only be filed under `unknown` from its content."""
    text = " ".join(re.findall(r"[a-z0-9&]+", as_text(lines).lower()))
    return f" {normalise_name(sender)} " in f" {text} "


def generate(out_dir: Path, count: int = 90, seed: int = 7, scan_share: float = 0.5,
             labels_path: Path | None = None) -> list[dict[str, Any]]:
    """Write `count` documents into `out_dir` and their labels (default out_dir/labels.json)."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    labels: list[dict[str, Any]] = []
    for index, p in enumerate(plan(rng, count, scan_share), 1):
        doc_rng = random.Random(rng.getrandbits(64))
        if p.type == "bank_statement":
            sender = doc_rng.choice(ID_BANKS if p.lang == "id" else EN_BANKS)
        elif p.type == "payslip":
            sender = doc_rng.choice(OURS[:2] + ID_COMPANIES[:6])
        elif p.lang == "id":
            sender = doc_rng.choice(ID_COMPANIES)
        else:
            sender = doc_rng.choice(EN_COMPANIES + ID_COMPANIES[:3])
        people = PEOPLE_ID if (p.lang == "id" or sender.currency == "IDR") else PEOPLE_EN
        signer = doc_rng.choice(people)
        to_person = doc_rng.choice([n for n in PEOPLE_ID + PEOPLE_EN if n != signer]) \
            if p.lang == "en" else doc_rng.choice([n for n in PEOPLE_ID if n != signer])
        c = Ctx(rng=doc_rng, lang=p.lang, type=p.type, day=_doc_date(doc_rng), sender=sender,
                to=doc_rng.choice(OURS), to_person=to_person, signer=signer,
                signer_title=doc_rng.choice(TITLES_ID if p.lang == "id" else TITLES_EN),
                used=used, letterhead_style=doc_rng.choice([0, 0, 1, 1, 2, 3]))
        c.extras["city"] = sender.city.split()[0].rstrip(",") if sender.currency == "IDR" \
            and sender.city.split()[0].rstrip(",") in CITIES_ID else doc_rng.choice(CITIES_ID)
        while True:
            c.number = make_number(p.type, doc_rng, c.day, sender)
            if c.number not in used:
                used.add(c.number)
                break
        lines = BUILDERS[p.type](c)
        family = doc_rng.choice(["sans", "sans", "serif", "mono"] if p.type == "receipt"
                                else ["sans", "sans", "sans", "serif"])
        ext = EXTENSIONS["txt" if p.fmt == "txt" else p.fmt]
        name = f"scan_{index:04d}"
        if not p.scan and p.fmt == "txt":
            (out_dir / f"{name}.txt").write_text(as_text(lines), encoding="utf-8")
        elif not p.scan:
            write_pdf(out_dir / f"{name}.pdf", lines, family)
        else:
            dpi = doc_rng.choice([200, 240, 300]) if not p.photo else doc_rng.choice([200, 220])
            pages = render_pages(lines, family, dpi, doc_rng)
            if len(pages) > 1 and p.fmt in ("png", "jpeg"):
                p.fmt = "pdf"
                ext = ".pdf"
            images = [degrade(im, photo=p.photo, rng=doc_rng, c=c, dpi=dpi, first=i == 0)
                      for i, im in enumerate(pages)]
            scanned = min(c.day + timedelta(days=doc_rng.randint(1, 10)), LATEST)
            save_scan(out_dir / f"{name}{ext}", images, p.fmt, dpi, doc_rng, p.photo, scanned)
        labels.append({"file": f"{name}{ext}", "type": p.type, "date": c.day.isoformat(),
                       "number": c.number, "correspondent": c.correspondent or sender.name,
                       "correspondent_named": names_sender(lines,
                                                           c.correspondent or sender.name),
                       "language": p.lang, "kind": _kind(p),
                       **{key[len("label_"):]: value for key, value in c.extras.items()
                          if key.startswith("label_")}})
    target = labels_path or out_dir / "labels.json"
    target.write_text(json.dumps(labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return labels


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scan-share", type=float, default=0.5)
    parser.add_argument("--labels", type=Path, default=None,
                        help="where to write labels.json (default: OUT_DIR/labels.json)")
    args = parser.parse_args(argv)
    labels = generate(args.out_dir, args.count, args.seed, args.scan_share, args.labels)
    kinds: dict[str, int] = {}
    for item in labels:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    print(f"wrote {len(labels)} documents to {args.out_dir}: "
          + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
