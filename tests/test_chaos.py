"""Distributed arsip under SIGKILLs, a Redis restart and a Redis stall: nothing lost or doubled.

The short version runs in every test run; `bench/chaos.py` runs the long one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.chaos import run_chaos
from tests.conftest import IN_CI


@pytest.mark.slow
@pytest.mark.redis
def test_chaos_short(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server is needed for the chaos test")
        pytest.skip("redis-server is not installed")
    report = run_chaos(tmp_path, documents=100, kills=10, seed=3, timeout=300,
                       search_sample=25)
    assert len(report.kills) == 10 and report.redis_restarts == 1 and report.redis_stalls == 1
    assert report.problems == [], report
    assert report.filed_once == 100  # sha256 over the archive tree: each exactly once
    assert report.indexed_once == report.searched == 25  # each sampled number: exactly one hit
