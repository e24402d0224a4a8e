"""Key fields (total amount and currency, due date, NPWP), tags from the type, and rule files
that fail naming their line: on real text, real rule files and a real filed PDF."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from arsip.errors import ConfigError
from config.rules import load_rules
from config.settings import Settings
from tests.conftest import arsip_env, arsip_json, run_arsip
from workers.classify import Classification, classify
from workers.classify.amounts import find_amount
from workers.classify.dates import due_date
from workers.classify.npwp import find_npwp
from workers.extract import extract_text
from workers.learning import apply_auto

TODAY = date(2026, 11, 28)

INVOICE_LINES = [
    "PT SINAR ABADI",
    "Jl. Merdeka Barat No. 17, Jakarta Pusat",
    "NPWP: 01.234.567.8-901.000",
    "",
    "FAKTUR",
    "No. Faktur      : INV/2026/0042",
    "Tanggal         : 12 November 2026",
    "Jatuh Tempo     : 12 Desember 2026",
    "",
    "Kepada Yth. PT Maju Jaya",
    "",
    "No  Uraian                    Qty   Harga Satuan        Jumlah",
    "1   Kertas HVS A4 80 gr        10         52.000       520.000",
    "2   Toner Printer 85A           2        685.000     1.370.000",
    "                                       Subtotal     1.890.000",
    "                                       PPN 11%        207.900",
    "                                 Total Tagihan  Rp 2.097.900",
    "",
    "Terbilang: dua juta sembilan puluh tujuh ribu sembilan ratus rupiah",
    "Jakarta, 12 November 2026",
]
INVOICE = "\n".join(INVOICE_LINES)


def decide(text: str, rules_dir: Path | None = None) -> Classification:
    return classify(text, rules=load_rules(rules_dir), file_name="x.pdf", file_mtime=0.0,
                    folder_tags=[], date_order="DMY", today=TODAY)


def amount_of(text: str) -> tuple[float, str | None] | None:
    found = find_amount(text)
    return None if found is None else (found.value, found.currency)


def npwp_of(text: str) -> str | None:
    found = find_npwp(text)
    return None if found is None else found.value


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("Jumlah Rp 1.250.000", 1250000.0, "IDR"),
    ("Total Rp1.250.000,00", 1250000.0, "IDR"),
    ("Total: Rp. 1.250.000,-", 1250000.0, "IDR"),
    ("Amount due IDR 1,250,000.00", 1250000.0, "IDR"),
    ("Total USD 12.50", 12.5, "USD"),
    ("Total: 1.250.000", 1250000.0, None),
    ("Grand Total 1,250,000.00", 1250000.0, None),
    ("Amount due: $1,234.56", 1234.56, "USD"),
    ("Totaal € 4.904,94", 4904.94, "EUR"),
    ("Balance Due  SGD 980.10", 980.1, "SGD"),
    ("Uang sejumlah Rp 350.000", 350000.0, "IDR"),
    ("Rp 785.000", 785000.0, "IDR"),
])
def test_amounts_in_the_usual_formats(text: str, value: float, currency: str | None) -> None:
    assert amount_of(text) == (value, currency), text


def test_the_labelled_total_wins_over_line_items_subtotal_and_tax() -> None:
    found = find_amount(INVOICE)
    assert found is not None
    assert (found.value, found.currency, found.line) == (2097900.0, "IDR", 17)
    table_row = "Total  1  278.61  40.39  319.00\nPaid by cash Rs 400.00\nChange Rs 81.00"
    assert amount_of(table_row) == (319.0, "INR")
    # dates, codes, percentages, phone and account numbers are not money
    assert find_amount("Tanggal 12-11-2026\nNo. INV/2026/0042\nPPN 11%\n"
                       "Telp. 021-5551234\nNo. Rek. 123-456-7890") is None
    # the currency the document uses elsewhere, or rupiah in words
    assert amount_of("Harga Rp 5.000\nTotal 15.000") == (15000.0, "IDR")
    assert amount_of("Uang sejumlah: # Lima ratus ribu rupiah #\n500.000,00") == (500000.0, "IDR")


def test_due_date_is_read_and_never_taken_for_the_document_date() -> None:
    decision = decide(INVOICE)
    assert decision.created == "2026-11-12"
    assert decision.due_date == "2026-12-12"
    # a due date after today (the document date never is), in English, label above the date
    english = "INVOICE\nInvoice date: 3 Nov 2026\nPayment due\n2027-01-15\nTotal USD 10.00"
    found = due_date(english)
    assert found is not None and found.value == date(2027, 1, 15)
    only_due = "INVOICE\nDue date: 20/11/2026\nTotal USD 10.00"
    assert decide(only_due).created_source == "file"
    assert due_date("Due to the rain, delivery on 3 November 2026 was late.") is None


def test_a_text_layer_space_before_the_comma_still_reads_as_a_date() -> None:
    # Amazon Web Services' invoice in the shared corpus: "Invoice Date: August 3 , 2014"
    decision = decide("Invoice\nInvoice Date: August 3 , 2014\nTotal USD 4.11")
    assert (decision.created, decision.created_source) == ("2014-08-03", "content")


def test_an_ocr_letter_o_for_zero_does_not_hide_a_period() -> None:
    # `O1 January` was no date, so `31 January` lost its range and was taken as the date
    payslip = ("Payslip\nPeriod: O1 January 2026 - 31 January 2026\nPayment date: 2O/02/2026\n"
               "Take home pay USD 1,200.00")
    assert decide(payslip).created == "2026-02-20"


def test_a_received_stamp_whose_word_was_lost_does_not_beat_the_document_s_date() -> None:
    # OCR of a scanned agreement: the stamp `DITERIMA 20 FEB 2024` lost its word to the ink
    contract = ("PERJANJIAN KERJA SAMA\nNomor: AGR-2024-8900    20 FEB 2024\n\n"
                "Pada hari ini, Senin (12-02-2024), kami yang bertanda tangan di bawah ini:\n")
    assert decide(contract).created == "2024-02-12"
    # the same shape with a label of its own is the document's date as before
    assert decide("INVOICE\nInvoice date: 20 FEB 2024\nTotal USD 10.00").created == "2024-02-20"
    # and alone, it is still the best there is
    assert decide("Memo\n20 FEB 2024\nRapat ditunda.").created == "2024-02-20"


def test_a_bank_statement_s_report_date_is_its_own() -> None:
    statement = ("REKENING KORAN\nTgl. Laporan 04 Mei 2025\nTanggal Keterangan Debet Kredit\n"
                 "05-04-2025 TRF KE HARBOURLINE 22.500.000,00\n")
    decision = decide(statement)
    assert decision.type == "bank_statement" and decision.created == "2025-05-04"


def test_dutch_german_and_french_invoices_have_their_dates(corpus: Path) -> None:
    # Texts of the invoice2data samples in the shared corpus, as their text layers give them.
    assert decide("Rechnung\nRechnungsdatum\n7. Mai 2014\nGesamtbetrag 28,45 EUR").created \
        == "2014-05-07"
    assert decide("FACTUUR.\nFactuurdatum: 29 maart 2014\nTotaal € 4.904,94").created \
        == "2014-03-29"
    free = ("Facture n°562044387 du 02 Juillet 2015\n"
            "Date limite de paiement le 05 Juillet 2015 29.99 € TTC\nTotal facture 29.99")
    decision = decide(free)
    assert (decision.created, decision.due_date) == ("2015-07-02", "2015-07-05")
    # and from the file itself, through arsip's own extraction
    text = extract_text(corpus / "invoice2data" / "free_fiber.pdf", Settings()).text
    assert decide(text).created == "2015-07-02"


def test_a_number_in_the_cell_below_its_label(corpus: Path) -> None:
    assert decide("PAYMENT RECEIPT\nDate: 31/12/2017\nBooking ID\nIBZY2087\n"
                  "Grand Total Rs 1939").number == "IBZY2087"
    assert decide("FAKTUR\nNomor Faktur\nFKT-2026-0042\nTotal Rp 1.250.000").number \
        == "FKT-2026-0042"
    # a date or an amount below a label is no number
    assert decide("INVOICE\nInvoice No\n12/11/2026\nTotal USD 10.00").number is None
    text = extract_text(corpus / "invoice2data" / "oyo.pdf", Settings()).text
    assert decide(text).number == "IBZY2087"


def test_npwp_in_both_forms() -> None:
    assert npwp_of(INVOICE) == "01.234.567.8-901.000"
    assert npwp_of("NPWP : 01.234.567.8 - 901.000") == "01.234.567.8-901.000"
    assert npwp_of("NPWP 012345678901000") == "01.234.567.8-901.000"
    assert npwp_of("NPWP: 0123 4567 8901 2345") == "0123456789012345"
    assert npwp_of("NPWP Pembeli : 3173012345678901") == "3173012345678901"
    # a 16-digit account or identity number without the label is not an NPWP
    assert find_npwp("No. Rekening 3173012345678901\nNIK 3173012345678901") is None


def test_tags_come_from_the_type_and_follow_the_auto_classifier(tmp_path: Path) -> None:
    decision = decide(INVOICE)
    assert decision.type == "invoice"
    assert "keuangan" in decision.tags and "pajak" in decision.tags
    plain = decide("Catatan rapat mingguan bagian gudang\nHadir: Budi, Siti")
    assert plain.type == "other" and plain.tags == []
    apply_auto(plain, {"type": ("payslip", 0.91)})
    assert plain.type == "payslip" and plain.tags == ["sdm"]

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "tags.toml").write_text('[[tag]]\nname = "finance"\ntypes = ["invoice"]\n')
    own = decide(INVOICE, rules)
    assert "finance" in own.tags and "keuangan" not in own.tags
    assert "finance" not in decide("Catatan rapat", rules).tags

    # own types, shipped tags.toml: its tags for types this set lacks are left out, no error
    own_types = tmp_path / "own-types"
    own_types.mkdir()
    (own_types / "types.toml").write_text(
        '[[type]]\nslug = "reminder"\nrules = [{ algorithm = "literal", match = "pengingat" }]\n')
    assert load_rules(own_types).tags_of_types() == {"reminder": (), "other": ()}


CASE_TYPES = """\
[[type]]
slug = "reminder"
rules = [
  { algorithm = "regex", match = "surat\\\\s+pengingat" },
  { algorithm = "regex", match = "(?m)^Peringatan (ke|KE)-?\\\\d" },
  { algorithm = "any", match = "Teguran somasi" },
  { algorithm = "all", match = "tunggakan Denda" },
  { algorithm = "literal", match = "Harap Segera" },
]
"""


def test_rules_match_whatever_the_case_of_the_rule_or_the_text(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "types.toml").write_text(CASE_TYPES)
    text = "SURAT  PENGINGAT\nperingatan KE-2\nSOMASI atas TUNGGAKAN dan denda\nHARAP SEGERA"
    decision = decide(text, rules)
    assert decision.type == "reminder"
    found = decision.reasons["type"]["matched"]
    assert [m.split(" (+")[0] for m in found] == [
        "regex 'surat\\\\s+pengingat'", "regex '(?m)^Peringatan (ke|KE)-?\\\\d'",
        "any 'teguran somasi'", "all 'tunggakan denda'", "literal 'harap segera'"]
    # whole words only: 'segeranya' is not 'segera', 'dendaan' is not 'denda'
    assert decide("surat biasa, harap segeranya, tunggakan dendaan", rules).type == "other"


BAD_TYPES = """\
min_score = 2.0

[[type]]
slug = "invoice"
rules = [
  { algorithm = "literal", match = "faktur" },
  { algorithm = "regex", match = "invoice\\\\s*(no|number" },
]

[[type]]
slug = "receipt"
rules = [{ algorithm = "literal", match = "kwitansi" }]
"""


def test_a_bad_rule_file_names_the_file_and_the_line(tmp_path: Path, home: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "types.toml").write_text(BAD_TYPES)
    with pytest.raises(ConfigError) as bad_regex:
        load_rules(rules)
    assert f"{rules / 'types.toml'}:7:" in str(bad_regex.value)
    assert "invalid regex" in str(bad_regex.value) and "'invoice'" in str(bad_regex.value)

    (rules / "types.toml").write_text(BAD_TYPES.replace("(no|number", "(no|number)"))
    (rules / "tags.toml").write_text('# mine\n\n[[tag]]\nname = "pajak"\nmatch = "npwp"\n\n'
                                     '[[tag]]\nname = "finance"\n'
                                     'types = ["invoice", "invoce"]\n')
    with pytest.raises(ConfigError) as unknown:
        load_rules(rules)
    assert f"{rules / 'tags.toml'}:9:" in str(unknown.value)
    assert "unknown type 'invoce'" in str(unknown.value)

    (rules / "tags.toml").write_text('[[tag]]\nname = "a"\n\n[[tag]]\nname = "b"\n'
                                     'rules = [{ algorithm = "fuzzzy", match = "x" }]\n')
    with pytest.raises(ConfigError, match=r"tags\.toml:6: tag 'b', rule 1: unknown algorithm"):
        load_rules(rules)
    # TOML reads inf and nan: a score cannot be either (nor could a sidecar keep one)
    infinite = tmp_path / "infinite"
    infinite.mkdir()
    (infinite / "tags.toml").write_text('[[tag]]\nname = "a"\n'
                                        'rules = [{ algorithm = "any", match = "x", '
                                        'weight = inf }]\n')
    with pytest.raises(ConfigError, match=r"tags\.toml:3: .*weight must be a finite number"):
        load_rules(infinite)

    # at start-up: the command stops with exit code 3 and says where
    sample = tmp_path / "note.txt"
    sample.write_text("Catatan\n")
    result = run_arsip(home, "explain", str(sample), check=False, timeout=60,
                       env=arsip_env(home, ARSIP_RULES_DIR=str(rules)))
    assert result.returncode == 3, result.stderr
    assert f"{rules / 'tags.toml'}:6" in result.stderr


def write_invoice_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Courier", 9)
    y = 800
    for line in INVOICE_LINES:
        pdf.drawString(40, y, line)
        y -= 14
    pdf.save()


@pytest.mark.timeout(120)
def test_a_filed_invoice_shows_and_finds_its_key_fields(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    write_invoice_pdf(folder / "faktur-0042.pdf")
    run_arsip(home, "ingest", "--wait", str(folder))
    hits = arsip_json(home, "search", "amount:>1000000")
    assert [h["title"] for h in hits] == ["Faktur INV/2026/0042"]
    assert "keuangan" in hits[0]["tags"]
    doc_id = hits[0]["id"]
    for query in ("amount:[2.000.000 to 2.100.000]", "amount:>2jt type:invoice",
                  "due:2026-12", "npwp:01.234.567.8-901.000", "npwp:012345678901000",
                  "currency:idr"):
        assert [h["id"] for h in arsip_json(home, "search", query)] == [doc_id], query
    for query in ("amount:<1000000", "amount:>2100000", "due:2026-11"):
        assert arsip_json(home, "search", query) == [], query

    shown = run_arsip(home, "show", doc_id[:8]).stdout
    lines = {line.split("  ", 1)[0].strip(): line.split("  ", 1)[1].strip()
             for line in shown.splitlines() if "  " in line}
    assert lines["amount"] == "IDR 2,097,900"
    assert lines["due date"] == "2026-12-12"
    assert lines["NPWP"] == "01.234.567.8-901.000"
    assert lines["created"].startswith("2026-11-12")
    record = arsip_json(home, "show", doc_id)
    assert record["amount"]["value"] == 2097900.0 and record["amount"]["currency"] == "IDR"
    assert (record["due_date"], record["npwp"]) == ("2026-12-12", "01.234.567.8-901.000")

    explained = run_arsip(home, "explain", str(folder / "faktur-0042.pdf")).stdout
    assert "IDR 2,097,900" in explained and "2026-12-12" in explained
    data = json.loads(run_arsip(home, "explain", str(folder / "faktur-0042.pdf"),
                                "--json").stdout)
    assert data["reasons"]["key_fields"]["amount"]["text"] == "Rp 2.097.900"
    assert data["due_date"] == "2026-12-12"
