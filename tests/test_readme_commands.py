"""README.md's commands, followed as written: its first command in a fresh clone of the
repository, its test command in CI, and its stated requirements against what is enforced.

The commands are read out of README.md's first code block (one a line, after the shell's own
`# comment`), so changing README changes what is tested here.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomllib

from tests.conftest import ROOT, wait_until
from tests.docsamples import ALL_KINDS, write_sample
from tests.test_packaging import plain_env

README = ROOT / "README.md"
CODE_BLOCK = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
SAMPLE = next(s for s in ALL_KINDS if s.kind == "pdf-text")  # a born-digital PDF


def readme_commands(readme: Path = README) -> list[str]:
    """The lines of README.md's first code block that are commands, as a user types them."""
    block = CODE_BLOCK.search(readme.read_text())
    assert block, "README.md has no code block"
    commands = [line for line in block.group(1).splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert len(commands) >= 2, f"README.md's first code block: {commands}"
    return commands


def words(command: str) -> list[str]:
    return shlex.split(command, comments=True)


def test_ci_runs_readmes_test_command_exactly_and_last() -> None:
    test_command = words(readme_commands()[1])
    assert "pytest" in " ".join(test_command), f"README's second command: {test_command}"
    script = (ROOT / ".ci" / "run").read_text().replace("\\\n", " ")  # join continued lines
    ci_commands = [w for w in map(words, script.splitlines()) if w]
    assert ci_commands[-1] == test_command, (
        f".ci/run ends with {shlex.join(ci_commands[-1])!r}, README.md says "
        f"{shlex.join(test_command)!r}")


def test_readme_pyproject_and_setup_agree_on_the_python_version() -> None:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    match = re.fullmatch(r">=\s*3\.(\d+)", requires)
    assert match, f"requires-python {requires!r}"
    minor = match.group(1)
    requirements = README.read_text().partition("\n## Requirements\n")[2].partition("\n## ")[0]
    assert f"Python 3.{minor} or newer" in requirements
    for wanted in ("tesseract", "`ind`", "`eng`", "`osd`", "Redis", "distributed mode only",
                   "pip install .", "pipx install .", "arsip --version"):
        assert wanted in requirements, f"README.md's requirements do not mention {wanted}"
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert f"sys.version_info >= (3, {minor})" in setup
    assert f"needs Python 3.{minor} or newer" in setup
    for lang in ("ind", "eng", "osd"):
        assert re.search(rf"for lang in [^;\n]*\b{lang}\b", setup), f"setup.sh skips {lang}"


def status(clone: Path, env: dict[str, str]) -> dict[str, Any] | None:
    """`arsip status --json` in the clone, or None while it cannot answer yet."""
    arsip = clone / ".venv" / "bin" / "arsip"
    if not arsip.exists():
        return None
    result = subprocess.run([str(arsip), "status", "--json"], cwd=clone, env=env, text=True,
                            capture_output=True, timeout=60, check=False)
    if result.returncode != 0:
        return None
    try:
        parsed: dict[str, Any] = json.loads(result.stdout)
    except ValueError:
        return None
    return parsed


def waited(predicate: Callable[[], bool], timeout: float, what: str, log: Callable[[], str],
           interval: float = 0.2) -> None:
    try:
        wait_until(predicate, timeout, what, interval=interval)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- its output ---\n{log()}") from None


@pytest.mark.slow
def test_readmes_first_command_in_a_fresh_clone_files_and_finds_a_dropped_pdf(
        tmp_path: Path) -> None:
    """`git clone`, then README's first command as it stands; drop a PDF into `data/inbox`,
    find it with `.venv/bin/arsip search`; Ctrl-C stops it cleanly."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to clone the repository")
    clone = tmp_path / "arsip"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    command = readme_commands(clone / "README.md")[0]  # the README that came with the clone
    env = plain_env()  # no ARSIP_*: the default home, ./data in the clone, as README says
    log_path = tmp_path / "readme-command.log"

    def log() -> str:
        return log_path.read_text(errors="replace")[-4000:]

    with open(log_path, "wb") as log_file:
        # Its own session, so that SIGINT reaches the whole command like a Ctrl-C would.
        process = subprocess.Popen(["bash", "-c", command], cwd=clone, env=env,
                                   stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        def running() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"`{command}` exited {process.returncode}:\n{log()}")
            now = status(clone, env)
            return bool(now and any(p["mode"] == "run" for p in now["workers"]["processes"]))

        waited(running, 420, f"`{command}` did not start `arsip run`", log, interval=1)
        inbox = clone / "data" / "inbox"
        assert inbox.is_dir(), f"no ./data/inbox in the clone: {sorted(os.listdir(clone))}"

        made = write_sample(SAMPLE, tmp_path)
        shutil.copyfile(made, inbox / SAMPLE.name)

        def filed_and_indexed() -> bool:
            now = status(clone, env)
            return bool(now and now["filed"] == 1 and now["indexed"] == 1)

        waited(filed_and_indexed, 120, f"{SAMPLE.name} was not filed and indexed", log)
        search = subprocess.run([str(clone / ".venv" / "bin" / "arsip"), "search", SAMPLE.word,
                                 "--json"], cwd=clone, env=env, text=True, capture_output=True,
                                timeout=60, check=False)
        assert search.returncode == 0, search.stderr
        hits = json.loads(search.stdout)
        filed = clone / "data" / "archive" / SAMPLE.expected_path
        assert [Path(h["path"]).resolve() for h in hits] == [filed.resolve()], hits
        assert filed.read_bytes() == made.read_bytes()
        assert list(inbox.iterdir()) == []

        os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"Ctrl-C did not stop it within 30 s:\n{log()}") from None
        assert code == 0, f"exit {code} after Ctrl-C:\n{log()}"
        # no process of the group (extraction children, the index writer) died of it loudly
        assert "Traceback" not in log_path.read_text(errors="replace"), log()
        after = status(clone, env)
        assert after is not None and after["workers"]["alive"] == 0, after
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(clone / ".venv", ignore_errors=True)  # hundreds of MB
