"""A worker killed with SIGKILL at every step boundary in turn: the restart finishes the work
exactly once.

The kill is real (the process signals itself at a named checkpoint, see `arsip/faults.py`);
everything else is the real `arsip run`, real files and the real index. After the restart the
original must be in the archive once and unchanged, with one sidecar, found once by a search,
and nothing left over in the claims, the index queue, failed/ or duplicates/.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from arsip.faults import CHECKPOINTS, KILL_ENV
from config.settings import load_settings
from intake.claims import claim_inbox_file
from intake.quarantine import REASON_JSON, REASON_TEXT
from intake.state import StateLayout
from tests.conftest import arsip_env, arsip_json, run_arsip, start_arsip, stop, wait_until
from tests.docsamples import Sample, write_sample

FILING_STEPS = [c for c in CHECKPOINTS if not c.startswith(("quarantine.", "duplicate."))]
DUPLICATE_STEPS = [c for c in CHECKPOINTS if c.startswith("duplicate.")]
QUARANTINE_STEPS = [c for c in CHECKPOINTS if c.startswith("quarantine.")]
# The quarantine path also releases its claim: a kill there must not change the outcome.
QUARANTINE_PATH_STEPS = [*QUARANTINE_STEPS, "release.outcome-recorded"]
PARALLEL = 6  # scenarios played at once: each mostly waits (settling, polling, stopping)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archive_files(home: Path) -> list[Path]:
    return sorted(p for p in (home / "archive").rglob("*")
                  if p.is_file() and ".arsip" not in p.parts)


def entries(folder: Path) -> list[str]:
    """Everything in a folder, hidden names included."""
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def outcomes(home: Path) -> list[dict]:
    folder = home / "state" / "outcomes"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def settled(home: Path, count: int = 1) -> bool:
    """No claim left, `count` outcomes recorded, and every index marker committed."""
    state = home / "state"
    return not entries(state / "claims") and len(outcomes(home)) >= count and \
        not entries(state / "index-pending")


def run_until_killed(home: Path, step: str) -> None:
    process = start_arsip(home, "run", env=arsip_env(home, **{KILL_ENV: step}),
                          log_name="killed")
    try:
        code = process.wait(timeout=60)
    except Exception:
        stop(process)
        raise
    log = (home.parent / "killed.log").read_text(errors="replace")[-3000:]
    assert code == -signal.SIGKILL, f"not killed at {step} (exit {code}):\n{log}"


def restart_until_settled(home: Path, count: int = 1) -> None:
    process = start_arsip(home, "run")
    log = home.parent / "arsip.log"
    try:
        # Up first (a stop before its signal handlers exist is no clean stop), then settled.
        wait_until(lambda: "arsip is running" in log.read_text(errors="replace"), 60,
                   "the restart did not come up")
        wait_until(lambda: settled(home, count), 60, "the restart did not finish the document")
    finally:
        code = stop(process)
    assert code == 0, (home.parent / "arsip.log").read_text(errors="replace")[-3000:]


def assert_nothing_left_over(home: Path) -> None:
    state = home / "state"
    assert entries(state / "claims") == []
    assert entries(state / "index-pending") == []  # no marker, no `.ID.taken`
    assert entries(home / "inbox") == []
    assert entries(home / "duplicates") == []


def assert_index_clean(home: Path) -> None:
    check = run_arsip(home, "check", "--json")
    report = json.loads(check.stdout)
    assert report["ok"] and report["indexed"] == report["sidecars"], report


def corrupt_pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" +
                     hashlib.sha256(name.encode()).digest() * 64 + b"\n%%EOF\n")
    return path


def assert_one_complete_quarantine(home: Path, original: Path) -> str:
    """failed/ holds exactly one entry: the file, unchanged, with its real reason."""
    failed = home / "failed"
    assert len(entries(failed)) == 1, entries(failed)  # no hidden staging folder either
    folder = failed / entries(failed)[0]
    reason = json.loads((folder / REASON_JSON).read_text())
    assert reason["kind"] == "corrupt", reason  # not "the claimed file disappeared"
    assert reason["claim_id"] == folder.name and reason["what_to_do"]
    assert "arsip retry" in (folder / REASON_TEXT).read_text()
    kept = [p for p in folder.iterdir() if p.name not in (REASON_JSON, REASON_TEXT, "claim.json")]
    assert [sha256(p) for p in kept] == [sha256(original)], kept
    return folder.name


def play_filing(step: str, base: Path) -> None:
    """Drop a text letter, kill `arsip run` at `step`, restart it, check the outcome."""
    home = base / "data"
    home.mkdir(parents=True)
    word = "kenari" + hashlib.sha256(step.encode()).hexdigest()[:6]
    sample = Sample("surat-uji.txt", "txt", word, "Surat Uji Kegagalan", "2026-03-04")
    made = base / "made"
    made.mkdir()
    original = write_sample(sample, made)
    (home / "inbox").mkdir()
    (home / "inbox" / sample.name).write_bytes(original.read_bytes())

    run_until_killed(home, step)
    if step.startswith("index."):  # killed inside the writer: the index is still readable
        left = json.loads(run_arsip(home, "check", "--json", check=False).stdout)
        assert (left["sidecars"], left["indexed"]) == (1, int(step == "index.committed")), left
    restart_until_settled(home)

    # The original, once and byte-identical, where the template puts it, not world-readable.
    filed = archive_files(home)
    assert [sha256(p) for p in filed] == [sha256(original)], filed
    assert filed[0] == home / "archive" / sample.expected_path
    assert stat.S_IMODE(filed[0].stat().st_mode) == 0o640, oct(filed[0].stat().st_mode)
    # One sidecar naming it, one search hit for its word.
    sidecars = list((home / "archive" / ".arsip").glob("*.json"))
    assert len(sidecars) == 1, sidecars
    record = json.loads(sidecars[0].read_text())
    assert record["sha256"] == sha256(original) and record["path"] == sample.expected_path
    hits = arsip_json(home, "search", word)
    assert [(h["id"], h["path"]) for h in hits] == [(record["id"], str(filed[0]))], hits
    # One outcome (filed), nothing claimed, queued, quarantined or set aside.
    assert [o["status"] for o in outcomes(home)] == ["filed"]
    assert_nothing_left_over(home)
    assert entries(home / "failed") == []
    assert_index_clean(home)


def play_quarantine(step: str, base: Path) -> None:
    """Drop a corrupt PDF, kill `arsip run` at `step`, restart, then retry the failed file."""
    home = base / "data"
    home.mkdir(parents=True)
    made = base / "made"
    made.mkdir()
    original = corrupt_pdf(made, "rusak.pdf")
    (home / "inbox").mkdir()
    (home / "inbox" / "rusak.pdf").write_bytes(original.read_bytes())

    run_until_killed(home, step)
    restart_until_settled(home)

    claim_id = assert_one_complete_quarantine(home, original)
    assert [(o["status"], o["kind"]) for o in outcomes(home)] == [("failed", "corrupt")]
    assert_nothing_left_over(home)
    assert archive_files(home) == []
    status = arsip_json(home, "status")
    assert status["failed"] == 1 and [f["id"] for f in status["recent_failures"]] == [claim_id]
    # `arsip retry` acts on it: processed again, and quarantined again, complete.
    retried = run_arsip(home, "retry", claim_id, "--json", check=False)
    assert [o["status"] for o in json.loads(retried.stdout)] == ["failed"], retried.stderr
    assert assert_one_complete_quarantine(home, original) == claim_id
    assert_nothing_left_over(home)


def play_duplicate(step: str, base: Path) -> None:
    """File a letter, drop the same bytes again under another name, kill `arsip run` while
    it sets the copy aside, restart: one filed original, one duplicate with its note."""
    home = base / "data"
    home.mkdir(parents=True)
    sample = Sample("surat-asli.txt", "txt", "kedondong", "Surat Asli", "2026-06-07")
    made = base / "made"
    made.mkdir()
    original = write_sample(sample, made)
    (home / "inbox").mkdir()
    (home / "inbox" / sample.name).write_bytes(original.read_bytes())
    restart_until_settled(home)
    (home / "inbox" / "salinan.txt").write_bytes(original.read_bytes())

    run_until_killed(home, step)
    restart_until_settled(home, count=2)

    assert [sha256(p) for p in archive_files(home)] == [sha256(original)]
    assert sorted(o["status"] for o in outcomes(home)) == ["duplicate", "filed"], outcomes(home)
    duplicate = next(o for o in outcomes(home) if o["status"] == "duplicate")
    filed = next(o for o in outcomes(home) if o["status"] == "filed")
    assert duplicate["id"] == filed["id"] and duplicate["path"] == filed["path"], duplicate
    folder = home / "duplicates" / duplicate["claim_id"]
    assert entries(folder) == ["duplicate-of.txt", "salinan.txt"]
    assert sha256(folder / "salinan.txt") == sha256(original)
    assert filed["id"] in (folder / "duplicate-of.txt").read_text()
    assert entries(home / "state" / "claims") == [] and entries(home / "failed") == []
    assert len(arsip_json(home, "search", "kedondong")) == 1
    assert_index_clean(home)


Played = dict[tuple[str, str], "Future[None]"]


@pytest.fixture(scope="module")
def played(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Played]:
    """Every selected scenario at once, each with its own home and processes, so that the
    file stays fast; each test below then reports its own scenario's result."""
    base = tmp_path_factory.mktemp("kills")
    plays: dict[str, Callable[[str, Path], None]] = {
        test_a_kill_at_each_step_is_finished_by_the_restart_exactly_once.__name__:
            play_filing,
        test_a_kill_while_quarantining_leaves_one_complete_entry_that_can_be_retried.__name__:
            play_quarantine,
        test_a_kill_while_setting_a_duplicate_aside_keeps_it_a_duplicate.__name__:
            play_duplicate,
    }
    selected = [(item.originalname, item.callspec.params["step"])
                for item in request.session.items
                if isinstance(item, pytest.Function) and item.originalname in plays]
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        yield {(test, step): pool.submit(plays[test], step, base / f"{plays[test].__name__}-{step}")
               for test, step in selected}


@pytest.mark.slow
@pytest.mark.parametrize("step", FILING_STEPS)
def test_a_kill_at_each_step_is_finished_by_the_restart_exactly_once(
        request: pytest.FixtureRequest, played: Played, step: str) -> None:
    played[request.node.originalname, step].result()


@pytest.mark.slow
@pytest.mark.parametrize("step", QUARANTINE_PATH_STEPS)
def test_a_kill_while_quarantining_leaves_one_complete_entry_that_can_be_retried(
        request: pytest.FixtureRequest, played: Played, step: str) -> None:
    played[request.node.originalname, step].result()


@pytest.mark.slow
@pytest.mark.parametrize("step", DUPLICATE_STEPS)
def test_a_kill_while_setting_a_duplicate_aside_keeps_it_a_duplicate(
        request: pytest.FixtureRequest, played: Played, step: str) -> None:
    played[request.node.originalname, step].result()


@pytest.mark.slow
@pytest.mark.parametrize("good", [True, False], ids=["then-filed", "then-quarantined"])
def test_a_reason_left_by_the_old_order_is_never_mistaken_for_an_outcome(
        home: Path, tmp_path: Path, good: bool) -> None:
    """Earlier versions wrote failed/<id>/reason.json before moving the file: a worker killed
    in between left a reason beside a claim that still holds the file."""
    settings = load_settings(home=home)
    layout = StateLayout.of(settings)
    layout.ensure()
    settings.inbox_path.mkdir(parents=True)
    made = tmp_path / "made"
    made.mkdir()
    if good:
        sample = Sample("surat-lama.txt", "txt", "cengkeh", "Surat Lama", "2026-05-06")
        original = write_sample(sample, made)
    else:
        original = corrupt_pdf(made, "lama.pdf")
    dropped = settings.inbox_path / original.name
    dropped.write_bytes(original.read_bytes())
    claim = claim_inbox_file(layout, settings.inbox_path, dropped)
    assert claim is not None
    leftover = layout.failed / claim.claim_id
    leftover.mkdir(parents=True)
    (leftover / REASON_JSON).write_text(json.dumps(
        {"claim_id": claim.claim_id, "kind": "ocr_timeout", "message": "stale",
         "what_to_do": "stale", "attempts": 1, "name": claim.name}))
    (leftover / REASON_TEXT).write_text("stale\n")

    # Not a failure while the claim still holds the file: status counts it as queued, and
    # `arsip retry` refuses it (it is not in failed/), leaving the claim alone.
    status = arsip_json(home, "status")
    assert (status["failed"], status["queued"]) == (0, 1), status
    assert run_arsip(home, "retry", claim.claim_id, check=False).returncode == 7
    assert (layout.claim_dir(claim.claim_id) / "document").is_file()

    restart_until_settled(home)
    status = arsip_json(home, "status")
    assert_nothing_left_over(home)
    if good:
        assert [sha256(p) for p in archive_files(home)] == [sha256(original)]
        assert (status["filed"], status["failed"], status["recent_failures"]) == (1, 0, [])
        assert len(arsip_json(home, "search", "cengkeh")) == 1
    else:
        assert assert_one_complete_quarantine(home, original) == claim.claim_id
        assert status["failed"] == 1 and status["recent_failures"][0]["kind"] == "corrupt"


def test_every_checkpoint_in_the_code_is_one_these_tests_kill_at() -> None:
    """A boundary added to the code without a kill test here (or a misspelt one) fails."""
    root = Path(__file__).resolve().parent.parent
    found = set()
    for package in ("arsip", "intake", "workers", "index", "cli"):
        for source in (root / package).rglob("*.py"):
            found |= set(re.findall(r'\bcheckpoint\("([^"]+)"\)', source.read_text()))
    assert found == set(CHECKPOINTS)
