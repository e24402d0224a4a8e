"""Running it for real: status dashboard, progress, logs, metrics, config and doctor."""

from __future__ import annotations

import json
import os
import pty
import re
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from config.settings import descriptions, setting_names
from tests.conftest import (
    ARSIP,
    ROOT,
    arsip_env,
    arsip_json,
    run_arsip,
    start_arsip,
    stop,
    wait_until,
)

STATUS_KEYS = {"inbox", "queued", "processing", "filed", "duplicates", "failed", "indexed",
               "broker", "index", "recent_failures"}
INVOICE = "FAKTUR No. INV/2026/0042\nPT Sinar Abadi\nTanggal 12 November 2026\nTotal Rp 1.500.000\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return str(response.read().decode())


def sample(metrics: str, name: str) -> float | None:
    """The value of one sample, e.g. 'arsip_documents_processed_total{outcome="filed"}'."""
    for line in metrics.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


# --- 1. status -------------------------------------------------------------------------------


def test_status_keeps_its_json_keys_and_shows_the_oldest_waiting_file(home: Path) -> None:
    (home / "inbox" / "pajak").mkdir(parents=True)
    (home / "inbox" / "pajak" / "waiting.txt").write_text("x")
    data = arsip_json(home, "status")
    assert set(data) >= STATUS_KEYS
    assert data["inbox"] == 1
    assert data["oldest_waiting"]["where"] == "inbox"
    assert data["oldest_waiting"]["name"] == "pajak/waiting.txt"
    assert data["oldest_waiting"]["age_seconds"] >= 0
    assert data["workers"] == {"alive": 0, "processes": []}
    assert {"size_bytes", "last_commit", "pending", "missing"} <= set(data["index"])
    text = run_arsip(home, "status").stdout
    assert "oldest pajak/waiting.txt" in text and "in the inbox" in text
    assert "none running" in text and "`arsip run`" in text


@pytest.mark.parametrize("as_json", [False, True], ids=["screen", "json-lines"])
def test_status_watch_redraws_until_stopped(home: Path, tmp_path: Path, as_json: bool) -> None:
    out = tmp_path / "watch.out"
    with open(out, "wb") as sink:
        args = [str(ARSIP), "status", "--watch", "0.3", *(["--json"] if as_json else [])]
        process = subprocess.Popen(args, env=arsip_env(home), stdout=sink,
                                   stderr=subprocess.STDOUT)
        try:
            marker = "\n" if as_json else "arsip status"
            wait_until(lambda: out.read_text().count(marker) >= 2, 20,
                       "status --watch did not redraw twice")
            assert process.poll() is None, "--watch stopped by itself"
        finally:
            stop(process)
    if as_json:
        lines = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
        assert len(lines) >= 2 and all(set(d) >= STATUS_KEYS for d in lines)


@pytest.mark.redis
def test_status_and_doctor_in_redis_mode_see_the_worker(home: Path, redis_url: str) -> None:
    env = arsip_env(home, ARSIP_BROKER_URL=redis_url)
    worker = start_arsip(home, "worker", "--threads", "1", env=env, log_name="worker")
    try:
        data = wait_until(lambda: (d := arsip_json(home, "status", env=env))["workers"]["alive"]
                          and d["broker"].get("consumers") and d, 30, "worker not seen alive")
        assert data["broker"]["ok"] and data["broker"]["queues"] == {"documents": 0, "index": 0}
        assert data["broker"]["delayed"] == {"documents": 0, "index": 0}
        assert data["workers"]["processes"][0]["mode"] == "worker"
        assert "documents" in data["workers"]["processes"][0]["queues"]
        text = run_arsip(home, "status", env=env).stdout
        assert "1 alive: worker on" in text and "start `arsip watch`" in text
        doctor = run_arsip(home, "doctor", env=env)
        assert re.search(r"ok +redis +Redis [\d.]+ at redis://", doctor.stdout)
    finally:
        stop(worker)
    wait_until(lambda: not arsip_json(home, "status", env=env)["workers"]["processes"], 10,
               "a stopped worker still shows as alive")


# --- 2. progress -----------------------------------------------------------------------------


def test_ingest_and_reindex_write_plain_lines_when_not_on_a_terminal(home: Path,
                                                                     tmp_path: Path) -> None:
    source = tmp_path / "old"
    source.mkdir()
    for n in range(3):
        (source / f"letter-{n}.txt").write_text(f"Surat nomor {n}\nHal: undangan rapat {n}\n")
    result = run_arsip(home, "ingest", str(source))
    assert "\r" not in result.stderr
    assert result.stderr.count("filed: ") == 3
    result = run_arsip(home, "reindex")
    assert "reindexed 3 document(s)" in result.stdout
    assert "\r" not in result.stderr and "reindex: 3/3 100%" in result.stderr


def test_ingest_draws_a_bar_on_a_terminal(home: Path, tmp_path: Path) -> None:
    source = tmp_path / "old"
    source.mkdir()
    for n in range(3):
        (source / f"note-{n}.txt").write_text(f"Memo {n}\n")
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run([str(ARSIP), "ingest", str(source)], env=arsip_env(home),
                                stdout=subprocess.PIPE, stderr=terminal, timeout=120,
                                check=False)
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal has no writer left
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    assert result.returncode == 0, shown.decode(errors="replace")
    screen = shown.decode(errors="replace")
    assert "\r" in screen and "ingest [" in screen and "3/3 100%" in screen
    assert result.stdout.strip() == b"3 filed"


# --- 3 and 4. logs and metrics ---------------------------------------------------------------


def test_metrics_endpoint_and_json_log_while_filing_a_dropped_file(home: Path) -> None:
    port = free_port()
    process = start_arsip(home, "--log-format", "json", "run", "--metrics-port", str(port))
    try:
        metrics = wait_until(lambda: _try_scrape(port), 60, "no metrics endpoint")
        filed = 'arsip_documents_processed_total{outcome="filed"}'
        assert sample(metrics, filed) == 0
        assert sample(metrics, 'arsip_queue_depth{queue="documents",state="ready"}') == 0
        (home / "inbox").mkdir(exist_ok=True)
        (home / "inbox" / "faktur.txt").write_text(INVOICE)
        metrics = wait_until(lambda: sample(m := scrape(port), filed) == 1 and m, 60,
                             "the filed counter did not count the dropped file")
        assert sample(metrics, 'arsip_stage_duration_seconds_count{stage="extract"}') == 1
        assert sample(metrics, "arsip_document_duration_seconds_count") == 1
        assert sample(metrics, 'arsip_documents_processed_total{outcome="failed"}') == 0
    finally:
        stop(process)
    lines = (home.parent / "arsip.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]  # every line is JSON
    outcome = next(r for r in records if r.get("event") == "outcome")
    assert outcome["outcome"] == "filed" and outcome["file"] == "faktur.txt"
    assert outcome["type"] == "invoice" and outcome["id"]
    assert outcome["path"].startswith(str(home / "archive")) and Path(outcome["path"]).is_file()
    assert set(outcome["stages"]) == {"extract", "classify", "file"}
    assert "type=invoice" in outcome["message"]


def _try_scrape(port: int) -> str | None:
    try:
        return scrape(port)
    except OSError:
        return None


def test_a_taken_metrics_port_is_refused_with_advice(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_arsip(home, "run", "--metrics-port", str(port), check=False, timeout=60)
    assert result.returncode == 3
    assert f"127.0.0.1:{port}" in result.stderr and "--metrics-port" in result.stderr


# --- 5. configuration ------------------------------------------------------------------------


def test_config_show_says_where_each_setting_came_from(home: Path, tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text("[arsip]\nocr_dpi = 400\n")
    env = arsip_env(home, ARSIP_LANGUAGES="eng")
    flagged = tmp_path / "flagged-home"
    data = json.loads(run_arsip(home, "--home", str(flagged), "config", "show", "--json",
                                "--config", str(config), env=env).stdout)
    settings = data["settings"]
    assert data["config_file"] == {"path": str(config), "from": "--config"}
    assert settings["ocr_dpi"]["value"] == 400 and settings["ocr_dpi"]["source"].startswith("file")
    assert settings["languages"] == {**settings["languages"], "value": "eng",
                                     "source": "environment (ARSIP_LANGUAGES)"}
    assert settings["home"]["value"] == str(flagged) and settings["home"]["source"] == "flag"
    assert settings["max_pages"]["value"] == 2000 and settings["max_pages"]["source"] == "default"
    assert settings["inbox"]["value"] == str(flagged / "inbox")
    assert set(settings) == set(setting_names())
    text = run_arsip(home, "--home", str(flagged), "config", "show", "--config", str(config),
                     env=env).stdout
    assert re.search(r"^ocr_dpi +400 +\[file \(.*arsip\.toml\)\]$", text, re.M)
    assert re.search(r"^languages +eng +\[environment \(ARSIP_LANGUAGES\)\]$", text, re.M)
    assert re.search(r"^home +\S+flagged-home +\[flag\]$", text, re.M)


def test_config_show_masks_the_broker_password(home: Path) -> None:
    env = arsip_env(home, ARSIP_BROKER_URL="redis://user:s3cret@redis.example:6379/0")
    text = run_arsip(home, "config", "show", env=env).stdout
    assert "s3cret" not in text and "redis://***@redis.example:6379/0" in text


def test_config_check_judges_a_file_on_its_own(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[arsip]\nlanguages = "ind"\nfile_mode = "0600"\nmax_pages = 50\n')
    env = arsip_env(home, ARSIP_OCR_DPI="not a number")  # the environment is not the file
    result = run_arsip(home, "config", "check", str(good), env=env)
    assert result.stdout.startswith("ok")
    bad = tmp_path / "bad.toml"
    bad.write_text('ocr_dpii = 300\nmax_pages = "many"\nfilename_template = "{year}/{title}"\n')
    result = run_arsip(home, "config", "check", str(bad), check=False)
    assert result.returncode == 3
    assert "ocr_dpii: no such setting (did you mean ocr_dpi?)" in result.stderr
    assert "max_pages = 'many'" in result.stderr and "year" in result.stderr
    assert str(bad) in result.stderr and "what to do" in result.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("languages = [\n")
    result = run_arsip(home, "config", "check", str(broken), check=False)
    assert result.returncode == 3 and "not valid TOML" in result.stderr
    result = run_arsip(home, "config", "check", str(tmp_path / "missing.toml"), check=False)
    assert result.returncode == 3 and "cannot read" in result.stderr


def test_every_setting_is_documented_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for name, description in descriptions().items():
        assert description, f"{name} has no description in config/settings.py"
        assert f"`{name}`" in table, f"{name} is missing from README.md's settings table"


# --- 6. doctor -------------------------------------------------------------------------------


def doctor(home: Path, **env: str) -> tuple[int, str, dict[str, Any]]:
    result = run_arsip(home, "doctor", env=arsip_env(home, **env), check=False, timeout=60)
    report = json.loads(run_arsip(home, "doctor", "--json", env=arsip_env(home, **env),
                                  check=False, timeout=60).stdout)
    assert report["exit_code"] == result.returncode
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout, report


def failed_checks(report: dict[str, Any]) -> set[str]:
    return {c["check"] for c in report["checks"] if c["status"] == "fail"}


def test_doctor_passes_a_healthy_setup(home: Path) -> None:
    code, text, report = doctor(home)
    assert code == 0 and report["ok"], text
    assert "everything arsip needs is in place" in text
    assert {"config", "tesseract", "languages", "redis", "folders", "disk", "index"} <= \
        {c["check"] for c in report["checks"]}
    assert not (home / "archive").exists(), "doctor must not create anything"


def test_doctor_names_a_missing_language_and_how_to_install_it(home: Path) -> None:
    code, text, report = doctor(home, ARSIP_LANGUAGES="ind+zzz")
    assert code == 4 and failed_checks(report) == {"languages"}
    assert "zzz not installed" in text and "sudo apt-get install tesseract-ocr-zzz" in text


def test_doctor_says_redis_is_down_and_what_to_do(home: Path) -> None:
    code, text, report = doctor(home, ARSIP_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert code == 6 and failed_checks(report) == {"redis"}
    assert "does not answer" in text and "redis-server" in text and "ARSIP_BROKER_URL" in text


def test_doctor_finds_an_archive_that_cannot_be_created(home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, text, report = doctor(home, ARSIP_ARCHIVE=str(blocker / "archive"))
    assert code == 5 and failed_checks(report) == {"archive"}
    assert f"{blocker} is a file, not a folder" in text and "ARSIP_ARCHIVE" in text


def test_doctor_exits_1_for_problems_of_different_kinds(home: Path) -> None:
    code, text, report = doctor(home, ARSIP_LANGUAGES="zzz",
                                ARSIP_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert code == 1 and failed_checks(report) == {"languages", "redis"}
    assert "2 problem(s) found (exit 1)" in text


def test_doctor_finds_documents_missing_from_the_index(home: Path, tmp_path: Path) -> None:
    letter = tmp_path / "surat.txt"
    letter.write_text("Surat undangan rapat\nNomor 12/UND/2026\n")
    run_arsip(home, "ingest", str(letter))
    code, text, _ = doctor(home)
    assert code == 0, text
    for entry in (home / "index").iterdir():  # lose the index: the sidecars remain
        entry.unlink()
    code, text, report = doctor(home)
    assert code == 8 and failed_checks(report) == {"index"}
    assert "1 documents are filed" in text and "arsip reindex" in text
    run_arsip(home, "reindex")
    code, text, _ = doctor(home)
    assert code == 0 and "1 documents indexed" in text


def test_doctor_reports_invalid_settings_with_exit_3(home: Path, tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text('ocr_dpi = "lots"\n')
    result = run_arsip(home, "doctor", "--config", str(config), check=False)
    assert result.returncode == 3 and "ocr_dpi" in result.stdout
