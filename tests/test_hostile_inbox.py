"""Bad input on purpose: links, FIFOs, odd names, empty files, duplicates, name clashes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import arsip_json, start_arsip, stop, wait_until
from tests.docsamples import Sample, write_sample


def reasons(home: Path) -> dict[str, dict]:
    out = {}
    for path in (home / "failed").glob("*/reason.json"):
        data = json.loads(path.read_text())
        out[data["name"]] = data
    return out


@pytest.fixture
def running(home: Path):
    process = start_arsip(home, "run")
    wait_until((home / "inbox").is_dir, 30, "arsip run did not start")
    yield home / "inbox"
    assert stop(process) == 0, (home.parent / "arsip.log").read_text()[-3000:]


@pytest.mark.slow
def test_links_fifos_and_empty_files_are_quarantined_without_being_opened(
        home: Path, tmp_path: Path, running: Path) -> None:
    inbox = running
    secret = tmp_path / "secret.txt"
    secret.write_text("Gaji direktur: Rp 99.000.000 rahasia")
    os.symlink(secret, inbox / "innocent.txt")
    os.symlink(tmp_path, inbox / "a-folder-link")
    os.mkfifo(inbox / "pipe.pdf")  # opening it would block forever
    (inbox / "kosong.pdf").write_bytes(b"")
    wait_until(lambda: len(reasons(home)) == 4, 60, f"not all quarantined: {reasons(home)}")
    found = reasons(home)
    assert "symbolic link" in found["innocent.txt"]["message"]
    assert "symbolic link" in found["a-folder-link"]["message"]
    assert "FIFO" in found["pipe.pdf"]["message"]
    assert found["kosong.pdf"]["kind"] == "empty"
    for data in found.values():
        assert data["what_to_do"]
    # The link itself was moved, never followed: the secret is untouched and nowhere filed.
    assert secret.read_text().startswith("Gaji")
    assert arsip_json(home, "status")["filed"] == 0
    assert not any(p.is_file() for p in (home / "archive").rglob("*")
                   if ".arsip" not in p.parts)
    assert list(inbox.iterdir()) == []


@pytest.mark.slow
def test_odd_names_duplicates_and_clashes_all_get_an_outcome(home: Path, tmp_path: Path,
                                                             running: Path) -> None:
    inbox = running
    made = tmp_path / "made"
    made.mkdir()
    letter = Sample("x.txt", "txt", "nangka", "Pemberitahuan Kenaikan Harga", "2026-03-02")
    source = write_sample(letter, made)
    odd_names = [b"line\nbreak.txt", b"-rf --no-preserve-root.txt", b"\xff\xfeinvalid.txt",
                 ("e\u0301\u00e9" + "x" * 236 + ".txt").encode()]
    for i, raw in enumerate(odd_names):
        content = source.read_text().replace("nangka", f"nangka{i}")
        with open(os.path.join(os.fsencode(inbox), raw), "w") as fh:
            fh.write(content)
    shutil.copy(source, inbox / "first copy.txt")
    wait_until(lambda: arsip_json(home, "status")["filed"] == 5, 60, "odd names not filed")
    shutil.copy(source, inbox / "second copy.txt")  # the same content again
    wait_until(lambda: arsip_json(home, "status")["duplicates"] == 1, 60, "no duplicate")
    status = arsip_json(home, "status")
    assert (status["filed"], status["failed"], status["inbox"]) == (5, 0, 0)
    folder = home / "archive" / "2026" / "letter" / "PT Sinar Abadi"
    names = {p.name for p in folder.iterdir()}
    # Five different documents with the same date and title: none overwritten.
    assert names == {"2026-03-02 Pemberitahuan Kenaikan Harga.txt"} | {
        f"2026-03-02 Pemberitahuan Kenaikan Harga ({n}).txt" for n in range(2, 6)}
    note = next((home / "duplicates").glob("*/duplicate-of.txt")).read_text()
    assert "same content" in note


@pytest.mark.slow
def test_content_cannot_steer_the_archive_path_outside(home: Path, tmp_path: Path,
                                                       running: Path) -> None:
    hostile = ("PT ../../../../etc\n"
               "Jakarta, 5 Mei 2026\n"
               "Perihal: ../../../tmp/pwned\\..\\..\\x\x07\n"
               "Dengan hormat, dokumen salak.\n")
    (running / "hostile.txt").write_text(hostile)
    wait_until(lambda: arsip_json(home, "status")["filed"] == 1, 60, "not filed")
    archive = (home / "archive").resolve()
    files = [p for p in archive.rglob("*") if p.is_file() and ".arsip" not in p.parts]
    assert len(files) == 1
    assert files[0].resolve().is_relative_to(archive)
    assert not (tmp_path / "pwned").exists()
    relative = files[0].relative_to(archive)
    assert ".." not in relative.parts
    assert all(not part.startswith(".") and "\x07" not in part for part in relative.parts)
    mode = files[0].stat().st_mode & 0o777
    assert mode & 0o002 == 0, "archive files must not be world-writable"
