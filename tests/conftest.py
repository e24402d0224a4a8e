"""Shared fixtures: the real `arsip` command, a real Redis, temporary homes, the corpus."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
ARSIP = Path(sys.executable).parent / "arsip"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def arsip_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    env.update({"ARSIP_HOME": str(home), "ARSIP_SETTLE_SECONDS": "0.3",
                "ARSIP_RESCAN_SECONDS": "2"})
    env.update(extra)
    return env


def run_arsip(home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300,
              check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(ARSIP), *args], env=env or arsip_env(home), text=True,
                            capture_output=True, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"arsip {' '.join(args)} exited {result.returncode}\n"
                             f"stdout: {result.stdout}\nstderr: {result.stderr[-4000:]}")
    return result


def arsip_json(home: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return json.loads(run_arsip(home, *args, "--json", env=env).stdout)


def filed_notes(home: Path, folder: Path, words: list[str]) -> list[str]:
    """Ingest one small note for each word (`Kata kunci: WORD`); their ids, in that order."""
    folder.mkdir(exist_ok=True)
    for word in words:
        (folder / f"{word}.txt").write_text(f"Catatan rapat\n\nKata kunci: {word}\n")
    run_arsip(home, "ingest", str(folder), "--wait")
    ids = [hit["id"] for word in words for hit in arsip_json(home, "search", word)]
    assert len(ids) == len(words)
    return ids


def wait_until(predicate: Any, timeout: float, message: str, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s: {message}")


def start_arsip(home: Path, *args: str, env: dict[str, str] | None = None,
                log_name: str = "arsip") -> subprocess.Popen[bytes]:
    log = open(home.parent / f"{log_name}.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([str(ARSIP), *args], env=env or arsip_env(home), stdout=log,
                            stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared test corpus is missing at {CORPUS}")
    return CORPUS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis: the one on 127.0.0.1:6379, else one started here; missing fails in CI."""
    url = "redis://127.0.0.1:6379"
    if _answers(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("no Redis answers on 127.0.0.1:6379 and redis-server is not installed")
        pytest.skip("no Redis server (install redis-server to run the distributed tests)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}"
    wait_until(lambda: _answers(url), 10, "redis-server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """A Redis database of its own for one test, emptied before and after."""
    url = f"{redis_server}/13"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
