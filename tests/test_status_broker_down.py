"""`arsip status` says when Redis is down with its exit code (6), and still prints what it can."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from arsip.errors import ExitCode
from tests.conftest import arsip_env, run_arsip


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_status_exits_6_without_redis_and_still_prints_its_json(home: Path) -> None:
    env = arsip_env(home, ARSIP_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0")
    result = run_arsip(home, "status", "--json", env=env, check=False)
    assert result.returncode == ExitCode.broker_unreachable, result.stderr
    data = json.loads(result.stdout)  # health checks read it: the broker is marked down
    assert data["broker"]["kind"] == "redis" and data["broker"]["ok"] is False
    assert data["broker"]["error"] and {"inbox", "filed", "failed", "indexed"} <= set(data)
    assert "does not answer" in result.stderr and "what to do:" in result.stderr

    text = run_arsip(home, "status", env=env, check=False)
    assert text.returncode == ExitCode.broker_unreachable
    assert "DOWN" in text.stdout and "documents" in text.stdout


@pytest.mark.redis
def test_status_exits_0_with_redis_up_and_embedded(home: Path, redis_url: str) -> None:
    up = run_arsip(home, "status", "--json", env=arsip_env(home, ARSIP_BROKER_URL=redis_url),
                   check=False)
    assert up.returncode == 0 and json.loads(up.stdout)["broker"]["ok"] is True, up.stderr
    embedded = run_arsip(home, "status", "--json", check=False)
    assert embedded.returncode == 0 and json.loads(embedded.stdout)["broker"]["kind"] == \
        "embedded", embedded.stderr
