"""The auto classifier learns from the filed archive and from corrections; it abstains when
unsure, and its stored model is plain arrays, never a pickle."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from cli.runtime import Runtime
from config.settings import Settings
from tests.conftest import arsip_env, arsip_json, run_arsip, start_arsip, stop, wait_until

# A document kind no shipped rule knows ("other" to the rules): minutes of a meeting.
MINUTES = """Notulen Rapat Koordinasi Gudang nomor {n}
Peserta rapat membahas stok opname, jadwal bongkar muat, dan kebersihan gudang.
Keputusan rapat: stok opname dilakukan setiap akhir bulan oleh tim gudang {n}.
"""
MEMO = """Memo internal kantin karyawan nomor {n}
Menu makan siang minggu ini: nasi goreng, soto ayam, gado-gado. Kantin buka pukul {n}.
"""


def test_corrections_teach_the_auto_classifier(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(6):
        (folder / f"notulen-{n}.txt").write_text(MINUTES.format(n=n + 10))
        (folder / f"memo-{n}.txt").write_text(MEMO.format(n=n + 10))
    outcomes = json.loads(run_arsip(home, "ingest", "--wait", "--json", str(folder)).stdout)
    assert {arsip_json(home, "show", o["id"])["type"] for o in outcomes} == {"other"}
    # A clerk corrects the minutes to a type of their own: report; memos to letter.
    for o in outcomes:
        kind = "report" if "notulen" in o["original"] else "letter"
        run_arsip(home, "edit", o["id"], "--type", kind)
    trained = json.loads(run_arsip(home, "train", "--json").stdout)
    assert trained["documents"] == 12 and set(trained["classes"]["type"]) == {"report", "letter"}
    with zipfile.ZipFile(home / "state" / "model" / "model.npz") as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())  # arrays, no pickle
    new = tmp_path / "new"
    new.mkdir()
    (new / "rapat.txt").write_text(MINUTES.format(n=99))
    (new / "lain.txt").write_text("Daftar belanja: kopi, gula, teh, kertas HVS, tinta printer.")
    result = json.loads(run_arsip(home, "ingest", "--wait", "--json", str(new)).stdout)
    by_name = {Path(o["original"]).name: arsip_json(home, "show", o["id"]) for o in result}
    assert by_name["rapat.txt"]["type"] == "report"
    assert "auto classifier" in by_name["rapat.txt"]["classification"]["type"]["chosen"]
    # Nothing like anything filed: the classifier abstains instead of guessing.
    assert by_name["lain.txt"]["type"] == "other"
    explained = json.loads(run_arsip(home, "explain", str(new / "rapat.txt"), "--json").stdout)
    assert explained["reasons"]["auto"]["type"]["label"] == "report"


def test_a_running_arsip_trains_itself_once_the_archive_is_idle(home: Path,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(3):
        (folder / f"notulen-{n}.txt").write_text(MINUTES.format(n=n + 10))
    run_arsip(home, "ingest", "--wait", str(folder))
    model = home / "state" / "model" / "model.json"
    assert not model.exists()  # ingest was over long before its first training was due
    process = start_arsip(home, "run", env=arsip_env(home, ARSIP_AUTO_RETRAIN_MINUTES="0.02"))
    try:
        wait_until(model.exists, 60, "the running arsip trained its classifier")
        assert json.loads(model.read_text())["documents"] == 3
    finally:
        stop(process)


def test_training_waits_while_documents_are_in_flight(tmp_path: Path) -> None:
    runtime = Runtime(Settings(home=tmp_path / "data"))
    try:
        assert runtime._archive_idle()
        claim = runtime.ctx.layout.claims / "0123456789abcdef.pdf"
        claim.parent.mkdir(parents=True, exist_ok=True)
        claim.write_bytes(b"%PDF-1.4")
        assert not runtime._archive_idle()
        claim.unlink()
        (runtime.ctx.layout.index_pending / "0123456789abcdef").touch()
        assert not runtime._archive_idle()
    finally:
        runtime.stop()
