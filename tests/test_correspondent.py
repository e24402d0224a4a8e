"""Who sent it: the signing party of a contract whose two signature columns were joined."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_arsip

CONTRACT = """PERJANJIAN KERJA SAMA
Nomor: NK/CTR/2026/623
Pada hari ini, 3 Juni 2026, kami yang bertanda tangan di bawah ini sepakat sebagai berikut.
Pasal 1
Jasa perawatan gedung dilaksanakan setiap bulan.
PIHAK PERTAMA, PIHAK KEDUA,
PT. Nusantara Kemasindo KENCANA LOGISTIK INDONESIA, PT
( Yuliana Putri ) ( Rudi Hartono )
"""


def test_the_first_party_is_the_sender_not_both_names_joined(home: Path, tmp_path: Path) -> None:
    document = tmp_path / "kontrak.txt"
    document.write_text(CONTRACT, encoding="utf-8")
    explained = json.loads(run_arsip(home, "explain", str(document), "--json").stdout)
    assert explained["correspondent"] == "PT Nusantara Kemasindo"


def test_a_trailing_legal_form_stays_with_its_own_name(home: Path, tmp_path: Path) -> None:
    document = tmp_path / "kontrak-2.txt"
    document.write_text(CONTRACT.replace(
        "PT. Nusantara Kemasindo KENCANA LOGISTIK INDONESIA, PT",
        "MITRA KARYA LOGISTIK, PT CV. BERKAH MANDIRI SEJAHTERA"), encoding="utf-8")
    explained = json.loads(run_arsip(home, "explain", str(document), "--json").stdout)
    assert explained["correspondent"] == "PT Mitra Karya Logistik"
