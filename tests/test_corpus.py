"""Every real document of the shared corpus ends filed or quarantined with a reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import arsip_json, start_arsip, stop, wait_until

EXPECTED_FAILURES = {
    "ocrmypdf/invalid.pdf": "corrupt",
    "pdfplumber/empty.pdf": "empty",
    "pdfplumber/password-example.pdf": "password_protected",
    "py-pdf-sample-files/libreoffice-writer-password.pdf": "password_protected",
    "pypdf/crazyones-encrypted-256.pdf": "password_protected",
    "pypdf/r2-user-password.pdf": "password_protected",
    "pypdf/r6-both-passwords.pdf": "password_protected",
}


@pytest.mark.slow
def test_whole_corpus_through_a_running_arsip(home: Path, corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    process = start_arsip(home, "run")
    try:
        inbox = home / "inbox"
        wait_until(inbox.is_dir, 30, "arsip run did not start")
        for path in files:
            target = inbox / path.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)

        def settled() -> bool:
            status = arsip_json(home, "status")
            done = status["filed"] + status["failed"] + status["duplicates"]
            return done == len(files) and status["indexed"] == status["filed"]

        wait_until(settled, 420, "the corpus did not settle")
        assert process.poll() is None, "arsip run died on the corpus"
        status = arsip_json(home, "status")
        assert (status["inbox"], status["queued"], status["processing"]) == (0, 0, 0)
    finally:
        assert stop(process) == 0
    failed = {}
    for reason_file in (home / "failed").glob("*/reason.json"):
        reason = json.loads(reason_file.read_text())
        assert reason["message"] and reason["what_to_do"], reason
        assert (reason_file.parent / "reason.txt").is_file()
        failed[reason["original"]] = reason["kind"]
    assert failed == EXPECTED_FAILURES
    # Identical files in the corpus are filed once; the copies are set aside as duplicates.
    filed = {json.loads(p.read_text())["sha256"] for p in
             (home / "archive" / ".arsip").glob("*.json")}
    assert len(filed) == status["filed"]
    assert status["filed"] + status["duplicates"] == len(files) - len(EXPECTED_FAILURES)
