"""arsip as a package: `pip install .` and `pipx install .` of the project into fresh
environments give a working `arsip` with its version, its commands and its shipped rules.

The install is non-editable and made from a copy of the project's files (tracked, or new and
not ignored: what the next commit would hold), so that a module or rule file missing from the
package shows up here, and the build leaves nothing behind in the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomllib

from tests.conftest import ROOT
from tests.docsamples import ALL_KINDS, write_sample

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
VERSION = PYPROJECT["project"]["version"]
PACKAGES = ("arsip", "intake", "workers", "index", "config", "cli")
SAMPLE = next(s for s in ALL_KINDS if s.kind == "txt")


def project_files() -> list[str]:
    """The working tree's files that git tracks or would track (not ignored build output)."""
    result = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=False)
    assert result.returncode == 0, f"these tests need the git checkout: {result.stderr!r}"
    names = {name for name in result.stdout.decode().split("\0") if name}
    return sorted(name for name in names if (ROOT / name).is_file())  # not deleted ones


def copy_project(dest: Path) -> Path:
    """A clean copy of the project as `pip install .` in the checkout would see it."""
    for name in project_files():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return dest


def plain_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh shell: no arsip settings, no active virtualenv, and neither
    the test's own environment nor the checkout reachable from PATH or PYTHONPATH."""
    own_bins = {str(Path(sys.executable).parent), str(Path(sys.prefix) / "bin"),
                str(ROOT / ".venv" / "bin")}
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ARSIP_") and k not in ("VIRTUAL_ENV", "PYTHONPATH",
                                                       "PYTHONHOME", "PYTHONSTARTUP")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and p not in own_bins)
    env.update(extra)
    return env


def run(args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env or plain_env(), text=True,
                            capture_output=True, timeout=timeout, check=False)
    assert result.returncode == 0, (f"{' '.join(map(str, args))} exited {result.returncode}\n"
                                    f"stdout: {result.stdout[-3000:]}\n"
                                    f"stderr: {result.stderr[-3000:]}")
    return result


@dataclass(frozen=True)
class Installed:
    venv: Path
    source: Path  # the copy of the checkout it was installed from
    elsewhere: Path  # an unrelated working directory

    @property
    def arsip(self) -> Path:
        return self.venv / "bin" / "arsip"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """`python -m venv` + `pip install <copy of the checkout>`, with the pip that venv ships."""
    base = tmp_path_factory.mktemp("pip-install")
    source = copy_project(base / "arsip-src")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=base)
    # An absolute path: a bare `src` would be looked up on the package index.
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", source.resolve()],
        cwd=base, timeout=480)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    yield Installed(venv, source, elsewhere)
    shutil.rmtree(venv, ignore_errors=True)  # hundreds of MB; pytest keeps the last runs


@pytest.mark.slow
def test_installed_arsip_has_the_pyproject_version_and_every_documented_command(
        installed: Installed) -> None:
    version = run([installed.arsip, "--version"], cwd=installed.elsewhere).stdout
    assert version.strip() == f"arsip, version {VERSION}"

    help_text = run([installed.arsip, "--help"], cwd=installed.elsewhere).stdout
    _, _, section = help_text.partition("\nCommands:\n")
    listed = {line.split()[0] for line in section.splitlines()
              if line.startswith("  ") and not line.startswith("   ")}
    documented = set(re.findall(r"^\| `arsip ([a-z]+)", (ROOT / "README.md").read_text(), re.M))
    assert len(documented) >= 10, "README.md's command table was not found"
    assert listed == documented, (f"only in --help: {sorted(listed - documented)}; "
                                  f"only in README.md: {sorted(documented - listed)}")


@pytest.mark.slow
def test_installed_metadata_states_python_requirement_and_entry_point(
        installed: Installed) -> None:
    probe = ("import importlib.metadata as m, json; d = m.distribution('arsip'); "
             "print(json.dumps({'version': d.version, 'requires_python': "
             "d.metadata['Requires-Python'], 'scripts': {e.name: e.value for e in "
             "d.entry_points if e.group == 'console_scripts'}, 'requires': d.requires}))")
    meta = json.loads(run([installed.python, "-c", probe], cwd=installed.elsewhere).stdout)
    project = PYPROJECT["project"]
    assert meta["version"] == VERSION
    assert meta["requires_python"] == project["requires-python"]
    assert meta["scripts"] == project["scripts"] == {"arsip": "cli.main:main"}
    runtime = {r.replace(" ", "") for r in meta["requires"] if "extra ==" not in r}
    assert runtime == {r.replace(" ", "") for r in project["dependencies"]}


@pytest.mark.slow
def test_installed_package_is_complete_and_comes_from_the_environment_not_the_checkout(
        installed: Installed) -> None:
    probe = ("import importlib, json, sys; print(json.dumps({n: importlib.import_module(n)"
             ".__file__ for n in sys.argv[1:]}))")
    files = json.loads(run([installed.python, "-c", probe, *PACKAGES],
                           cwd=installed.elsewhere).stdout)
    site = Path(files["cli"]).parent.parent
    assert site.is_relative_to(installed.venv), f"arsip was imported from {site}"
    for name in PACKAGES:
        assert Path(files[name]).is_relative_to(site), f"{name} imported from {files[name]}"

    shipped = [n for n in project_files() if n.split("/")[0] in PACKAGES
               and (n.endswith(".py") or n.startswith("config/rules/"))]
    assert any(n.startswith("config/rules/") and n.endswith(".toml") for n in shipped)
    missing = [n for n in shipped if not (site / n).is_file()]
    assert not missing, f"in the project but not installed: {missing}"
    for name in shipped:
        if name.startswith("config/rules/"):
            assert (site / name).read_bytes() == (ROOT / name).read_bytes(), name
    for stray in ("tests", "bench", "scripts", "build"):
        assert not (site / stray).exists(), f"the package installs a top-level `{stray}`"


@pytest.mark.slow
def test_installed_arsip_classifies_files_and_searches_with_its_shipped_rules(
        installed: Installed, tmp_path: Path) -> None:
    """From a directory that is not the checkout: the rules can only come from the package."""
    cwd = installed.elsewhere
    made = write_sample(SAMPLE, tmp_path)
    env = plain_env(ARSIP_HOME=str(tmp_path / "home"))
    run([installed.arsip, "config", "show"], cwd=cwd, env=env)

    explained = json.loads(run([installed.arsip, "explain", made, "--json"], cwd=cwd,
                               env=env).stdout)
    assert (explained["type"], explained["correspondent"], explained["created"],
            explained["title"]) == (SAMPLE.type, SAMPLE.correspondent, SAMPLE.created,
                                    SAMPLE.title)
    types_toml = tomllib.loads((ROOT / "config" / "rules" / "types.toml").read_text())
    shipped_rules = {f"{rule['algorithm']} {rule['match']!r}" for entry in types_toml["type"]
                     if entry["slug"] == SAMPLE.type for rule in entry.get("rules", [])}
    matched = explained["reasons"]["type"]["matched"]  # "literal 'surat' (+2)"
    assert matched and {m.rpartition(" (+")[0] for m in matched} <= shipped_rules, (
        f"the type was not decided by the shipped {SAMPLE.type} rules: {matched}")

    run([installed.arsip, "ingest", made, "--wait"], cwd=cwd, env=env, timeout=120)
    hits = json.loads(run([installed.arsip, "search", SAMPLE.word, "--json"], cwd=cwd,
                          env=env).stdout)
    assert [Path(h["path"]) for h in hits] == [tmp_path / "home" / "archive" /
                                               SAMPLE.expected_path]


@pytest.mark.slow
def test_pipx_installs_a_working_arsip(installed: Installed, tmp_path: Path) -> None:
    source = copy_project(tmp_path / "arsip-src")  # unbuilt, unlike the pip fixture's copy
    pipx = shutil.which("pipx", path=plain_env()["PATH"])
    if pipx is None:
        run([installed.python, "-m", "pip", "install", "--quiet", "pipx"], cwd=tmp_path,
            timeout=300)
        pipx = str(installed.venv / "bin" / "pipx")
    bin_dir = tmp_path / "pipx-bin"
    env = plain_env(PIPX_HOME=str(tmp_path / "pipx-home"), PIPX_BIN_DIR=str(bin_dir),
                    PIPX_MAN_DIR=str(tmp_path / "pipx-man"))
    try:
        run([pipx, "install", source.resolve()], cwd=tmp_path, env=env, timeout=480)
        listed = json.loads(run([pipx, "list", "--json"], cwd=tmp_path, env=env).stdout)
        package = listed["venvs"]["arsip"]["metadata"]["main_package"]
        assert package["package_version"] == VERSION
        assert package["apps"] == ["arsip"]
        arsip = bin_dir / "arsip"
        version = run([arsip, "--version"], cwd=tmp_path, env=env).stdout
        assert version.strip() == f"arsip, version {VERSION}"
        made = write_sample(SAMPLE, tmp_path)
        explained = json.loads(run([arsip, "explain", made, "--json"], cwd=tmp_path,
                                   env=plain_env(ARSIP_HOME=str(tmp_path / "home"))).stdout)
        assert explained["type"] == SAMPLE.type
    finally:
        shutil.rmtree(tmp_path / "pipx-home", ignore_errors=True)  # hundreds of MB
