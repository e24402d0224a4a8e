"""docker-compose.yml and the Dockerfile describe the distributed topology of DESIGN.md.

No Docker engine is needed: the compose file is parsed with PyYAML and checked for structure
(and against the Compose Specification schema when a package ships it), and every `arsip`
command line written in either file is checked against the real command's `--help`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ARSIP = Path(sys.executable).parent / "arsip"

ARSIP_SERVICES = ("watcher", "worker", "indexer")
QUEUES = {"documents", "index"}
SHELL_OPERATORS = {"|", "||", "&", "&&", ";", ";;", "(", ")"}


# --- reading the two files ----------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml is not a mapping"
    return data


def service(name: str) -> dict[str, Any]:
    services = compose().get("services") or {}
    assert name in services, f"docker-compose.yml has no service {name!r}"
    svc: dict[str, Any] = services[name]
    return svc


@cache
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def dockerfile_args(keyword: str) -> list[str]:
    return [rest for kw, rest in dockerfile() if kw == keyword]


def exec_or_shell(text: str) -> list[str]:
    """A Dockerfile command in exec form (a JSON list) or shell form."""
    text = text.strip()
    if text.startswith("["):
        argv = json.loads(text)
        assert all(isinstance(a, str) for a in argv), text
        return list(argv)
    return ["/bin/sh", "-c", text]


def image_entrypoint() -> list[str]:
    entries = dockerfile_args("ENTRYPOINT")
    assert entries, "the Dockerfile has no ENTRYPOINT"
    return exec_or_shell(entries[-1])


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for rest in dockerfile_args("ENV"):
        tokens = shlex.split(rest)
        if len(tokens) >= 2 and "=" not in tokens[0]:  # legacy `ENV KEY value`
            env[tokens[0]] = " ".join(tokens[1:])
            continue
        for token in tokens:
            key, _, value = token.partition("=")
            env[key] = value
    return env


def environment(svc: dict[str, Any]) -> dict[str, str]:
    env = svc.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.partition("=") for item in env)
        return {k: v for k, _, v in pairs}
    return {k: "" if v is None else str(v) for k, v in env.items()}


def as_argv(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else shlex.split(value)


def container_argv(svc: dict[str, Any]) -> list[str]:
    """What the container runs; the Dockerfile's ENTRYPOINT only for images built from it."""
    if "entrypoint" in svc:
        entrypoint = as_argv(svc["entrypoint"])
    else:
        entrypoint = image_entrypoint() if "build" in svc else []
    return entrypoint + as_argv(svc.get("command"))


def replicas(svc: dict[str, Any]) -> int:
    if "scale" in svc:
        return int(svc["scale"])
    return int((svc.get("deploy") or {}).get("replicas", 1))


def mounts(svc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(type, source, target) of each volume entry, short or long syntax."""
    found = []
    for entry in svc.get("volumes") or []:
        if isinstance(entry, dict):
            found.append((entry.get("type", "volume"), str(entry.get("source", "")),
                          str(entry["target"])))
            continue
        parts = str(entry).split(":")
        if len(parts) == 1:
            found.append(("volume", "", parts[0]))  # anonymous volume
            continue
        source, target = parts[0], parts[1]
        kind = "bind" if source.startswith((".", "/", "~", "$")) else "volume"
        found.append((kind, source, target))
    return found


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell line, split at |, &&, ; and friends."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in SHELL_OPERATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


def healthcheck_commands(test: str | list[str]) -> list[list[str]]:
    if isinstance(test, str):
        return shell_commands(test)
    kind, *rest = test
    if kind == "CMD-SHELL":
        return shell_commands(" ".join(rest))
    assert kind == "CMD", f"healthcheck test {test!r} is neither CMD nor CMD-SHELL"
    return [rest]


def healthcheck_script(test: str | list[str]) -> str:
    """The healthcheck as one shell line, to run it here."""
    if isinstance(test, str):
        return test
    kind, *rest = test
    return " ".join(rest) if kind == "CMD-SHELL" else shlex.join(rest)


def arsip_args(argv: list[str]) -> list[str] | None:
    """The arguments after `arsip` when argv runs arsip, else None."""
    if argv and Path(argv[0]).name == "arsip":
        return argv[1:]
    if argv[:2] == ["/bin/sh", "-c"]:
        for command in shell_commands(argv[2]):
            found = arsip_args(command)
            if found is not None:
                return found
    return None


def dockerfile_healthcheck() -> list[str] | None:
    checks = dockerfile_args("HEALTHCHECK")
    if not checks or checks[-1].upper() == "NONE":
        return None
    _, _, command = checks[-1].partition("CMD ")
    return exec_or_shell(command)


@cache
def arsip_invocations() -> list[tuple[str, list[str]]]:
    """Every `arsip …` command line that the compose file or the Dockerfile would run."""
    found: list[tuple[str, list[str]]] = []
    cmd = dockerfile_args("CMD")
    default = image_entrypoint() + (json.loads(cmd[-1]) if cmd and cmd[-1].startswith("[")
                                    else as_argv(cmd[-1] if cmd else None))
    if (args := arsip_args(default)) is not None:
        found.append(("Dockerfile ENTRYPOINT+CMD", args))
    check = dockerfile_healthcheck()
    if check is not None:
        for command in ([check] if check[:2] != ["/bin/sh", "-c"]
                        else shell_commands(check[2])):
            if (args := arsip_args(command)) is not None:
                found.append(("Dockerfile HEALTHCHECK", args))
    for kw, rest in dockerfile():
        if kw == "RUN":
            for command in shell_commands(rest):
                if (args := arsip_args(command)) is not None:
                    found.append(("Dockerfile RUN", args))
    for name, svc in (compose().get("services") or {}).items():
        if (args := arsip_args(container_argv(svc))) is not None:
            found.append((f"{name} command", args))
        test = (svc.get("healthcheck") or {}).get("test")
        if test:
            for command in healthcheck_commands(test):
                if (args := arsip_args(command)) is not None:
                    found.append((f"{name} healthcheck", args))
    return found


# --- what the real command accepts ----------------------------------------------------------


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}


@cache
def help_text(*command: str) -> str:
    result = subprocess.run([str(ARSIP), *command, "--help"], capture_output=True, text=True,
                            timeout=60, env=clean_env(), check=False)
    assert result.returncode == 0, (
        f"`arsip {' '.join(command)} --help` exited {result.returncode}: {result.stderr}")
    return result.stdout


OPTION_LINE = re.compile(r"^\s{2}(?:-\w, )?(--[a-z][\w-]*)(?: (\S+))?(?:\s{2,}|$)")


def help_options(text: str) -> dict[str, str | None]:
    """--name → its metavar (None for a flag), read from click's help layout."""
    options: dict[str, str | None] = {}
    for line in text.splitlines():
        if match := OPTION_LINE.match(line):
            options[match.group(1)] = match.group(2)
    return options


def help_commands(text: str) -> set[str]:
    _, _, section = text.partition("\nCommands:\n")
    return {line.split()[0] for line in section.splitlines() if line.startswith("  ")
            and not line.startswith("   ")}


def takes_arguments(text: str, command: str) -> bool:
    usage = next(line for line in text.splitlines() if line.startswith("Usage:"))
    return not usage.rstrip().endswith(f"{command} [OPTIONS]")


def check_options(tokens: list[str], text: str,
                  where: str) -> tuple[dict[str, str | None], list[str]]:
    """Check the leading options against the help text: (option → value, what follows)."""
    options = help_options(text)
    given: dict[str, str | None] = {}
    rest = list(tokens)
    while rest and rest[0].startswith("-"):
        name, eq, value = rest.pop(0).partition("=")
        assert name in options, f"{where}: `{name}` is not an option of: {text}"
        metavar = options[name]
        if metavar is None:
            assert not eq, f"{where}: `{name}` is a flag and takes no value"
            given[name] = None
            continue
        if not eq:
            assert rest, f"{where}: `{name}` needs a value ({metavar})"
            value = rest.pop(0)
        if metavar.startswith("[") and "|" in metavar:
            choices = metavar.strip("[]").lower().split("|")
            assert value.lower() in choices, f"{where}: `{name} {value}` is not one of {choices}"
        given[name] = value
    return given, rest


def parse_invocation(args: list[str], where: str) -> tuple[str, dict[str, str | None]]:
    """Validate `arsip ARGS` against the real help; return the sub-command and its options."""
    _, rest = check_options(args, help_text(), where)
    assert rest, f"{where}: no sub-command in `arsip {shlex.join(args)}`"
    command, rest = rest[0], rest[1:]
    assert command in help_commands(help_text()), f"{where}: `arsip {command}` does not exist"
    text = help_text(command)
    given, positional = check_options(rest, text, where)
    if positional:
        assert takes_arguments(text, command), (
            f"{where}: `arsip {command}` takes no arguments, got {positional}")
    return command, given


def queues_of(svc_name: str) -> set[str]:
    args = arsip_args(container_argv(service(svc_name)))
    assert args is not None, f"service {svc_name!r} does not run arsip"
    command, given = parse_invocation(args, svc_name)
    assert command == "worker", f"service {svc_name!r} runs `arsip {command}`, not a worker"
    default = re.search(r"\[default: ([\w,]+)\]", help_text("worker"))
    value = given.get("--queues") or (default.group(1) if default else "")
    return {q.strip() for q in str(value).split(",") if q.strip()}


# --- the compose file: structure ------------------------------------------------------------


def test_the_four_services_exist() -> None:
    services = compose().get("services") or {}
    for name in ("redis", *ARSIP_SERVICES):
        assert name in services, f"docker-compose.yml needs a {name!r} service"


def test_redis_persists_with_append_only_file_on_a_volume() -> None:
    redis_svc = service("redis")
    argv = as_argv(redis_svc.get("command"))
    assert any(argv[i:i + 2] == ["--appendonly", "yes"] for i in range(len(argv))), (
        f"redis must run with `--appendonly yes`, runs {argv}")
    named = compose().get("volumes") or {}
    data_mounts = [m for m in mounts(redis_svc) if m[2] == "/data"]
    assert data_mounts, "redis keeps its append-only file in /data: mount a volume there"
    kind, source, _ = data_mounts[0]
    assert kind == "volume" and source in named, (
        f"redis's /data must be a declared named volume, is {kind} {source!r}")
    test = (redis_svc.get("healthcheck") or {}).get("test")
    assert test and ["redis-cli", "ping"] in healthcheck_commands(test), (
        "redis needs a healthcheck with `redis-cli ping`")


def test_exactly_one_indexer_consuming_only_the_index_queue() -> None:
    assert replicas(service("indexer")) == 1, "the index has exactly one writer"
    assert queues_of("indexer") == {"index"}
    writers = [name for name in ARSIP_SERVICES
               if (arsip_args(container_argv(service(name))) or [])[:1] == ["worker"]
               and "index" in queues_of(name)]
    assert writers == ["indexer"], f"only the indexer may consume the index queue: {writers}"


def test_document_workers_have_replicas() -> None:
    assert queues_of("worker") == {"documents"}
    assert replicas(service("worker")) >= 2
    assert "container_name" not in service("worker"), "container_name forbids replicas"


def test_the_watcher_polls_the_shared_inbox() -> None:
    args = arsip_args(container_argv(service("watcher")))
    assert args is not None, "the watcher does not run arsip"
    command, given = parse_invocation(args, "watcher")
    assert command == "watch"
    polling_env = environment(service("watcher")).get("ARSIP_POLLING", "").lower()
    assert "--polling" in given or polling_env in ("1", "true", "yes", "on"), (
        "shared volumes deliver no inotify events: the watcher must poll")
    assert replicas(service("watcher")) == 1, "DESIGN.md: one `arsip watch`"


@pytest.mark.parametrize("name", ARSIP_SERVICES)
def test_every_arsip_service_uses_the_redis_service_as_broker(name: str) -> None:
    svc = service(name)
    url = urlparse(environment(svc).get("ARSIP_BROKER_URL", ""))
    assert url.scheme == "redis", f"{name}: ARSIP_BROKER_URL must be redis://redis:6379/N"
    assert url.hostname == "redis" and (url.port or 6379) == 6379, (
        f"{name}: ARSIP_BROKER_URL must point at the redis service, is {url.geturl()!r}")
    depends = svc.get("depends_on") or {}
    assert isinstance(depends, dict) and "redis" in depends, (
        f"{name}: depends_on redis, in the long form with a condition")
    assert depends["redis"].get("condition") == "service_healthy"


@pytest.mark.parametrize("name", ARSIP_SERVICES)
def test_every_arsip_service_is_built_here_restarts_and_has_a_healthcheck(name: str) -> None:
    svc = service(name)
    build = svc.get("build")
    context = build if isinstance(build, str) else (build or {}).get("context")
    assert context in (".", "./"), f"{name}: build the image from this folder's Dockerfile"
    policy = svc.get("restart") or ((svc.get("deploy") or {}).get("restart_policy") or {}).get(
        "condition")
    assert policy in ("always", "unless-stopped", "on-failure", "any"), (
        f"{name}: needs a restart policy, has {policy!r}")
    health = svc.get("healthcheck") or {}
    assert health.get("test") and not health.get("disable"), f"{name}: needs a healthcheck"
    runs_arsip = [c for c in healthcheck_commands(health["test"]) if arsip_args(c) is not None]
    assert runs_arsip, f"{name}: the healthcheck should ask arsip itself (`arsip status`)"


def test_arsip_services_share_one_data_volume_at_arsip_home() -> None:
    named = compose().get("volumes") or {}
    homes = set()
    shared: set[tuple[str, str]] | None = None
    for name in ARSIP_SERVICES:
        svc = service(name)
        home = environment(svc).get("ARSIP_HOME") or dockerfile_env().get("ARSIP_HOME")
        assert home, f"{name}: no ARSIP_HOME (neither in the service nor in the image)"
        homes.add(home)
        volumes = {(source, target) for kind, source, target in mounts(svc)
                   if kind == "volume" and source in named}
        assert any(target == home for _, target in volumes), (
            f"{name}: ARSIP_HOME {home} must be a named volume shared by every arsip service")
        shared = volumes if shared is None else shared & volumes
    assert len(homes) == 1, f"every arsip service must use the same ARSIP_HOME, not {homes}"
    assert shared and any(target in homes for _, target in shared), (
        "the arsip services do not share the volume holding inbox/, archive/, index/, state/")


# --- the compose file: the Compose Specification schema -------------------------------------


def test_compose_file_matches_the_compose_specification() -> None:
    """The schema is the one `check-jsonschema` ships (vendor/compose-spec.json)."""
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (ships compose-spec.json) "
                        "is not installed")
    from importlib.resources import files

    schema_file = files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json"
    if not schema_file.is_file():
        pytest.skip("this check-jsonschema has no vendored compose-spec.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(compose()), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors)


# --- every arsip command line is one the real CLI accepts -----------------------------------


def test_arsip_is_invoked_where_expected() -> None:
    sources = {where for where, _ in arsip_invocations()}
    for name in ARSIP_SERVICES:
        assert f"{name} command" in sources, f"{name} does not run arsip"
    assert "Dockerfile ENTRYPOINT+CMD" in sources, "the image's entrypoint should be arsip"


@pytest.mark.parametrize(
    ("where", "args"), arsip_invocations(), ids=[w for w, _ in arsip_invocations()])
def test_arsip_command_line_is_accepted_by_the_cli(where: str, args: list[str]) -> None:
    command, given = parse_invocation(args, where)
    if "--queues" in given:
        wanted = {q.strip() for q in str(given["--queues"]).split(",")}
        assert wanted <= QUEUES, f"{where}: unknown queue(s) {wanted - QUEUES}"
        text = help_text(command)
        assert all(q in text for q in wanted), (
            f"{where}: `arsip {command} --help` names no {wanted}")


# --- the healthcheck really tells a reachable broker from an unreachable one ----------------


@pytest.fixture
def healthcheck_path(tmp_path: Path) -> dict[str, str]:
    """PATH where `arsip` and `python` are this venv's, as they are in the image."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "arsip").symlink_to(ARSIP)
    (bin_dir / "python").symlink_to(sys.executable)
    env = clean_env()
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
               ARSIP_HOME=str(tmp_path / "data"))
    return env


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_healthcheck(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("name", ARSIP_SERVICES)
def test_healthcheck_fails_when_redis_is_unreachable(name: str,
                                                     healthcheck_path: dict[str, str]) -> None:
    script = healthcheck_script(service(name)["healthcheck"]["test"])
    env = {**healthcheck_path, "ARSIP_BROKER_URL": f"redis://127.0.0.1:{_closed_port()}/0"}
    result = run_healthcheck(script, env)
    assert result.returncode != 0, f"{name}: healthy with Redis down: {result.stdout}"


@pytest.mark.redis
@pytest.mark.parametrize("name", ARSIP_SERVICES)
def test_healthcheck_passes_with_a_real_redis(name: str, healthcheck_path: dict[str, str],
                                              redis_url: str) -> None:
    script = healthcheck_script(service(name)["healthcheck"]["test"])
    result = run_healthcheck(script, {**healthcheck_path, "ARSIP_BROKER_URL": redis_url})
    assert result.returncode == 0, f"{name}: unhealthy with Redis up: {result.stderr}"


def test_dockerfile_healthcheck_passes_embedded(healthcheck_path: dict[str, str]) -> None:
    check = dockerfile_healthcheck()
    if check is None:
        pytest.skip("the Dockerfile has no HEALTHCHECK")
    script = check[2] if check[:2] == ["/bin/sh", "-c"] else shlex.join(check)
    result = run_healthcheck(script, healthcheck_path)
    assert result.returncode == 0, f"unhealthy in embedded mode: {result.stderr}"


# --- the Dockerfile --------------------------------------------------------------------------


def test_dockerfile_uses_debian_slim_python_311() -> None:
    bases = dockerfile_args("FROM")
    assert bases, "the Dockerfile has no FROM"
    image = bases[-1].split()[0]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-(bookworm|trixie|bullseye))?", image), (
        f"base image should be Debian-based python:3.11-slim, is {image}")


def test_dockerfile_installs_tesseract_with_indonesian_and_english() -> None:
    installs = [rest for rest in dockerfile_args("RUN") if "apt-get" in rest]
    packages = set()
    for rest in installs:
        for command in shell_commands(rest):
            if command[:2] == ["apt-get", "install"]:
                packages.update(t for t in command[2:] if not t.startswith("-"))
    for package in ("tesseract-ocr", "tesseract-ocr-ind", "tesseract-ocr-eng",
                    "tesseract-ocr-osd"):
        assert package in packages, f"the Dockerfile does not apt-get install {package}"
    assert any("rm -rf /var/lib/apt/lists" in rest for rest in installs), (
        "clean the apt lists in the same layer")


def test_dockerfile_pip_installs_the_project() -> None:
    commands = [c for rest in dockerfile_args("RUN") for c in shell_commands(rest)]
    pip_installs = [c for c in commands if c[:2] == ["pip", "install"]
                    or c[:4] == ["python", "-m", "pip", "install"]]
    assert any("." in c for c in pip_installs), "the Dockerfile must `pip install .`"


def test_dockerfile_runs_as_non_root_with_data_home_and_arsip_entrypoint() -> None:
    users = dockerfile_args("USER")
    assert users and users[-1].split(":")[0] not in ("root", "0"), "run as a non-root user"
    assert dockerfile_env().get("ARSIP_HOME") == "/data"
    assert image_entrypoint() == ["arsip"]


def test_dockerignore_keeps_the_context_small_but_complete() -> None:
    ignored = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv"} <= ignored
    needed = {"pyproject.toml", "README.md", "arsip", "intake", "workers", "index", "config"}
    assert not needed & ignored, f"pip install . needs {needed & ignored}"
