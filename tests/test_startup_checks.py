"""Check the world once, at start-up: one clear message and a distinct exit code."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import arsip_env, run_arsip


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_missing_language_pack_stops_arsip_run_with_advice(home: Path) -> None:
    result = run_arsip(home, "run", env=arsip_env(home, ARSIP_LANGUAGES="ind+zzz"),
                       check=False, timeout=60)
    assert result.returncode == 4
    assert "zzz" in result.stderr and "tesseract-ocr-zzz" in result.stderr
    assert "Traceback" not in result.stderr


def test_inbox_inside_the_archive_is_refused(home: Path) -> None:
    env = arsip_env(home, ARSIP_INBOX=str(home / "archive" / "inbox"))
    result = run_arsip(home, "run", env=env, check=False, timeout=60)
    assert result.returncode == 5
    assert "must not contain each other" in result.stderr


def test_unwritable_archive_is_refused(home: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env = arsip_env(home, ARSIP_ARCHIVE=str(blocker / "archive"))
    result = run_arsip(home, "run", env=env, check=False, timeout=60)
    assert result.returncode == 5
    assert "cannot write" in result.stderr


def test_invalid_settings_name_the_problem(home: Path, tmp_path: Path) -> None:
    config = tmp_path / "arsip.toml"
    config.write_text('ocr_dpi = "lots"\n')
    result = run_arsip(home, "--config", str(config), "status", check=False)
    assert result.returncode == 3
    assert "ocr_dpi" in result.stderr and str(config) in result.stderr
    config.write_text("this is = not toml [")
    result = run_arsip(home, "status", "--config", str(config), check=False)
    assert result.returncode == 3 and "not valid TOML" in result.stderr


def test_bad_rule_file_fails_at_start_naming_file_and_entry(home: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "types.toml").write_text(
        '[[type]]\nslug = "invoice"\nrules = [{ algorithm = "regex", match = "(unclosed" }]\n')
    result = run_arsip(home, "run", env=arsip_env(home, ARSIP_RULES_DIR=str(rules)),
                       check=False, timeout=60)
    assert result.returncode == 3
    assert "types.toml" in result.stderr and "invalid regex" in result.stderr


def test_unknown_template_placeholder_is_refused(home: Path) -> None:
    env = arsip_env(home, ARSIP_FILENAME_TEMPLATE="{year}/{title}{ext}")
    result = run_arsip(home, "run", env=env, check=False, timeout=60)
    assert result.returncode == 3 and "year" in result.stderr


def test_distributed_commands_say_when_redis_is_away(home: Path) -> None:
    env = arsip_env(home, ARSIP_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0",
                    ARSIP_BROKER_WAIT_SECONDS="1")
    result = run_arsip(home, "worker", env=env, check=False, timeout=60)
    assert result.returncode == 6
    assert "does not answer" in result.stderr and "redis-server" in result.stderr
    result = run_arsip(home, "watch", env=arsip_env(home), check=False, timeout=60)
    assert result.returncode == 1 and "ARSIP_BROKER_URL" in result.stderr


def test_unknown_document_and_bad_query_exit_codes(home: Path) -> None:
    result = run_arsip(home, "show", "deadbeef", check=False)
    assert result.returncode == 7 and "no document" in result.stderr
    result = run_arsip(home, "search", "anything", check=False)
    assert result.returncode == 8 and "arsip reindex" in result.stderr
