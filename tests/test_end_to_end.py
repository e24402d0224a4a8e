"""The whole path, as a user meets it: drop files, find them filed and searchable."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import (
    arsip_env,
    arsip_json,
    run_arsip,
    start_arsip,
    stop,
    wait_until,
)
from tests.docsamples import ALL_KINDS, Sample, write_sample

HIT_FIELDS = {"id", "path", "title", "type", "correspondent", "created", "tags", "score",
              "snippet"}
STATUS_FIELDS = {"inbox", "queued", "processing", "filed", "duplicates", "failed", "indexed"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def drop(sample: Sample, source_dir: Path, inbox: Path, how: str) -> str:
    """Put a sample into the inbox the way people do: copy, move, or write then rename."""
    made = write_sample(sample, source_dir)
    digest = sha256(made)
    if how == "copy":
        shutil.copyfile(made, inbox / sample.name)
    elif how == "move":
        shutil.move(str(made), inbox / sample.name)
    else:
        partial = inbox / (sample.name + ".part")
        shutil.copyfile(made, partial)
        os.rename(partial, inbox / sample.name)
    return digest


def assert_filed_and_found(home: Path, samples: list[Sample], digests: dict[str, str],
                           env: dict[str, str] | None = None) -> None:
    archive = home / "archive"
    for sample in samples:
        filed = archive / sample.expected_path
        assert filed.is_file(), f"{sample.name} not at {sample.expected_path}: " + \
            str(sorted(str(p.relative_to(archive)) for p in archive.rglob("*") if p.is_file()))
        assert sha256(filed) == digests[sample.name], f"{sample.name} changed on its way"
        hits = arsip_json(home, "search", sample.word, env=env)
        assert [h["path"] for h in hits] == [str(filed)], f"search {sample.word!r}: {hits}"
        assert set(hits[0]) == HIT_FIELDS
        assert hits[0]["created"] == sample.created
        assert hits[0]["type"] == sample.type
        assert "**" in hits[0]["snippet"]


@pytest.mark.slow
def test_every_kind_dropped_into_the_inbox_is_filed_and_searchable(home: Path,
                                                                   tmp_path: Path) -> None:
    inbox = home / "inbox"
    process = start_arsip(home, "run")
    try:
        wait_until(inbox.is_dir, 30, "arsip run did not create the inbox")
        source = tmp_path / "made"
        source.mkdir()
        digests = {}
        for i, sample in enumerate(ALL_KINDS):
            digests[sample.name] = drop(sample, source, inbox, ("copy", "move", "rename")[i % 3])
        wait_until(lambda: arsip_json(home, "status")["filed"] == len(ALL_KINDS), 240,
                   "not every dropped file was filed")
        wait_until(lambda: arsip_json(home, "status")["indexed"] == len(ALL_KINDS), 30,
                   "not every filed document was indexed")
        status = arsip_json(home, "status")
        assert set(status) >= STATUS_FIELDS
        idle = (status["inbox"], status["queued"], status["processing"], status["failed"])
        assert idle == (0, 0, 0, 0)
        assert_filed_and_found(home, ALL_KINDS, digests)
    finally:
        assert stop(process) == 0, (home.parent / "arsip.log").read_text()[-3000:]
    assert list(inbox.iterdir()) == []


@pytest.mark.slow
@pytest.mark.redis
def test_distributed_mode_with_separate_watcher_workers_and_indexer(home: Path, tmp_path: Path,
                                                                    redis_url: str) -> None:
    env = arsip_env(home, ARSIP_BROKER_URL=redis_url)
    samples = [s for s in ALL_KINDS if s.kind in ("pdf-text", "pdf-scan", "png", "txt")]
    processes = [
        start_arsip(home, "watch", env=env, log_name="watch"),
        start_arsip(home, "worker", "--threads", "1", env=env, log_name="worker1"),
        start_arsip(home, "worker", "--threads", "1", env=env, log_name="worker2"),
        start_arsip(home, "worker", "--queues", "index", env=env, log_name="indexer"),
    ]
    try:
        inbox = home / "inbox"
        wait_until(inbox.is_dir, 30, "arsip watch did not create the inbox")
        source = tmp_path / "made"
        source.mkdir()
        digests = {s.name: drop(s, source, inbox, "copy") for s in samples}
        wait_until(lambda: arsip_json(home, "status", env=env)["indexed"] == len(samples), 180,
                   "not every dropped file was filed and indexed")
        status = arsip_json(home, "status", env=env)
        assert status["broker"]["kind"] == "redis" and status["broker"]["ok"]
        assert_filed_and_found(home, samples, digests, env=env)
    finally:
        codes = [stop(p) for p in processes]
    logs = {p.name: p.read_text() for p in tmp_path.glob("*.log")}
    assert codes == [0, 0, 0, 0], logs
    workers_used = [name for name in ("worker1.log", "worker2.log") if "filed " in logs[name]]
    assert workers_used, logs


def test_ingest_wait_files_existing_folders_and_reports_each_outcome(home: Path,
                                                                     tmp_path: Path,
                                                                     corpus: Path) -> None:
    folder = tmp_path / "old-files"
    (folder / "2025").mkdir(parents=True)
    sample = ALL_KINDS[0]
    write_sample(sample, folder / "2025")
    shutil.copy(corpus / "pypdf" / "r2-user-password.pdf", folder / "locked.pdf")
    result = run_arsip(home, "ingest", str(folder), "--wait", "--json", check=False)
    assert result.returncode == 1  # one file failed
    outcomes = {Path(o["original"]).name: o for o in json.loads(result.stdout)}
    assert outcomes[sample.name]["status"] == "filed"
    assert outcomes["locked.pdf"]["status"] == "failed"
    assert "password" in outcomes["locked.pdf"]["reason"]
    assert (folder / "locked.pdf").exists(), "ingest must leave the originals where they are"
    reason = (home / "failed").glob("*/reason.txt")
    assert any("Remove the password" in p.read_text() for p in reason)
    shown = arsip_json(home, "show", outcomes[sample.name]["id"])
    assert shown["path"] == outcomes[sample.name]["path"]
    assert shown["type"] == "letter" and shown["created"] == sample.created
    assert "content" not in shown
    text = run_arsip(home, "show", outcomes[sample.name]["id"][:8], "--text").stdout
    assert sample.word in text


def test_documents_sharing_a_lock_file_are_both_filed_and_locks_stay_few(home: Path,
                                                                          tmp_path: Path) -> None:
    # Two notes whose ids begin with the same three hex digits: they share a lock file.
    folder = tmp_path / "notes"
    folder.mkdir()
    seen: dict[str, int] = {}
    pair = None
    for n in range(20_000):
        body = f"Catatan rapat nomor {n}\n\nKata kunci: kenarikunci{n}x\n".encode()
        prefix = hashlib.sha256(body).hexdigest()[:3]
        if prefix in seen:
            pair = (seen[prefix], n)
            break
        seen[prefix] = n
    assert pair is not None
    for n in pair:
        (folder / f"note-{n}.txt").write_text(
            f"Catatan rapat nomor {n}\n\nKata kunci: kenarikunci{n}x\n")
    result = run_arsip(home, "ingest", str(folder), "--wait", "--json")
    assert [o["status"] for o in json.loads(result.stdout)] == ["filed", "filed"]
    for n in pair:
        assert len(arsip_json(home, "search", f"kenarikunci{n}x")) == 1
    locks = sorted(p.name for p in (home / "state" / "locks").iterdir())
    # one lock file for both documents; none per document, and each claim's went with it
    assert locks == [f"doc-{prefix}.lock"], locks
