"""`arsip doctor`: check the whole set-up, say what to fix for each problem.

Unlike the start-up checks (`cli.startup`), which stop at the first problem, the doctor looks
at everything, changes nothing, and exits with the first problem's exit code (1 when problems
of different kinds were found).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from arsip.errors import ArsipError, ConfigError, ExitCode
from cli.config_cmd import _config_option
from config.settings import Settings, load_settings

MIN_FREE_BYTES = 1 << 30  # warn under 1 GB free …
MIN_FREE_FRACTION = 0.05  # … or under 5 % of the filesystem


@dataclass
class Finding:
    check: str
    status: str  # "ok", "warn" (worth knowing, exit 0) or "fail"
    message: str
    advice: str = ""
    exit_code: int = 0


def _fail(check: str, exc: ArsipError) -> Finding:
    return Finding(check, "fail", exc.message, exc.advice, int(exc.exit_code))


def check_config(settings: Settings) -> list[Finding]:
    from config.rules import load_rules
    from workers.filing import check_template

    try:
        check_template(settings.filename_template)
        load_rules(settings.rules_dir)
    except ArsipError as exc:
        return [_fail("config", exc)]
    rules = f"rules from {settings.rules_dir}" if settings.rules_dir else "shipped rules"
    return [Finding("config", "ok", f"settings valid; filename template and {rules} load")]


def check_tesseract(settings: Settings) -> list[Finding]:
    import pytesseract

    from workers.tools.tesseract import check_languages, engine_check, installed_languages

    try:
        have = installed_languages()
        version = str(pytesseract.get_tesseract_version()).split()[0]
    except ArsipError as exc:
        return [_fail("tesseract", exc)]
    except (OSError, pytesseract.TesseractNotFoundError) as exc:
        return [Finding("tesseract", "fail", f"tesseract does not run: {exc}",
                        "Reinstall tesseract-ocr", int(ExitCode.missing_dependency))]
    found = [Finding("tesseract", "ok", f"tesseract {version} ({len(have)} languages)")]
    try:
        check_languages(settings.languages)
    except ArsipError as exc:
        return [*found, _fail("languages", exc)]
    found.append(Finding("languages", "ok", f"{settings.languages} installed"))
    try:
        engine = engine_check(settings.languages)
    except ArsipError as exc:
        return [*found, _fail("ocr engine", exc)]
    return [*found, Finding("ocr engine", "ok", f"tesseract {engine} library (tesserocr) "
                            f"reads pages with {settings.languages}")]


def check_broker(settings: Settings) -> list[Finding]:
    if settings.embedded:
        return [Finding("redis", "ok", "not used: embedded mode (ARSIP_BROKER_URL is unset)")]
    import redis

    from workers.broker import check_redis, mask

    assert settings.broker_url is not None
    try:
        check_redis(settings.broker_url)
        client = redis.Redis.from_url(settings.broker_url, socket_timeout=3)
        version = client.info("server").get("redis_version", "?")
    except ArsipError as exc:
        return [_fail("redis", exc)]
    except (redis.RedisError, OSError) as exc:
        return [Finding("redis", "fail", f"Redis at {mask(settings.broker_url)}: {exc}",
                        "Check that the server is Redis and the URL's database exists",
                        int(ExitCode.broker_unreachable))]
    return [Finding("redis", "ok", f"Redis {version} at {mask(settings.broker_url)} answers")]


def nearest_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def probe_folder(name: str, setting: str, path: Path) -> Finding | None:
    """None when arsip can write there (or create it); else what is wrong and what to do."""
    existing = nearest_existing(path)
    env = f"ARSIP_{setting.upper()}"
    if not existing.is_dir():
        return Finding(name, "fail", f"{existing} is a file, not a folder, so {path} cannot be "
                       "created", f"Point `{setting}` ({env}) at a folder that can be "
                       "created or written", int(ExitCode.bad_folders))
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".arsip-doctor-"):
            pass
    except OSError as exc:
        return Finding(name, "fail", f"cannot write in {existing}: {exc.strerror or exc}",
                       f"Give the user running arsip write access (`sudo chown -R "
                       f"{os.getenv('USER', 'arsip')} {existing}`) or change `{setting}` ({env})",
                       int(ExitCode.bad_folders))
    return None


def _folders(settings: Settings) -> list[tuple[str, str, Path]]:
    return [("inbox", "inbox", settings.inbox_path), ("archive", "archive", settings.archive_path),
            ("index", "index_dir", settings.index_path),
            ("state", "state_dir", settings.state_path),
            ("home", "home", settings.home)]  # failed/ and duplicates/ live under home


def check_folders(settings: Settings) -> list[Finding]:
    from cli.startup import _inside

    inbox, archive = settings.inbox_path, settings.archive_path
    if _inside(inbox, archive) or _inside(archive, inbox):
        return [Finding("folders", "fail", f"the inbox ({inbox}) and the archive ({archive}) "
                        "contain each other: arsip would claim its own archive",
                        "Point `inbox` and `archive` at separate folders",
                        int(ExitCode.bad_folders))]
    found = [f for name, setting, path in _folders(settings)
             if (f := probe_folder(name, setting, path)) is not None]
    if found:
        return found
    result = [Finding("folders", "ok", "inbox, archive, index, state and home writable")]
    if nearest_existing(inbox).stat().st_dev != \
            nearest_existing(settings.state_path).stat().st_dev:
        result.append(Finding("folders", "warn", "the inbox and the state folder are on "
                              "different filesystems: claims are copied, not renamed",
                              "Keep `state_dir` on the inbox's filesystem for atomic claims"))
    return result


def check_disk(settings: Settings) -> list[Finding]:
    by_device: dict[int, tuple[Path, list[str]]] = {}
    for name, _setting, path in _folders(settings):
        existing = nearest_existing(path)
        if existing.is_dir():
            by_device.setdefault(existing.stat().st_dev, (existing, []))[1].append(name)
    found = []
    for existing, names in by_device.values():
        usage = shutil.disk_usage(existing)
        free_gb, share = usage.free / 1e9, usage.free / usage.total if usage.total else 1.0
        text = f"{', '.join(names)}: {free_gb:.1f} GB free ({share:.0%}) on {existing}"
        if usage.free < MIN_FREE_BYTES or share < MIN_FREE_FRACTION:
            found.append(Finding("disk", "warn", "little space left: " + text,
                                 "Free some space or move the archive to a larger disk: "
                                 "a full disk stops filing (files wait in their claims)"))
        else:
            found.append(Finding("disk", "ok", text))
    return found


def check_search_index(settings: Settings) -> list[Finding]:
    from whoosh import index as whoosh_index

    from arsip.sidecar import iter_sidecar_ids
    from index.check import check_index
    from index.schema import index_is_fresh
    from intake.state import StateLayout

    index_dir, archive = settings.index_path, settings.archive_path
    if not nearest_existing(archive).is_dir() or not nearest_existing(index_dir).is_dir():
        return [Finding("index", "warn", "not checked: its folders are not usable (see above)")]
    filed = sum(1 for _ in iter_sidecar_ids(archive))
    code, fix = int(ExitCode.index_error), "Rebuild it from the sidecars: `arsip reindex`"
    if not whoosh_index.exists_in(str(index_dir)):
        if filed:
            return [Finding("index", "fail", f"no index at {index_dir}, but {filed} documents "
                            "are filed", fix, code)]
        return [Finding("index", "ok", "no index yet: it is created when the first document "
                        "is filed")]
    try:
        report = check_index(index_dir, archive)
    except Exception as exc:  # noqa: BLE001 - whatever Whoosh raises on a damaged index
        return [Finding("index", "fail", f"the index at {index_dir} cannot be read "
                        f"({type(exc).__name__}: {exc})", fix, code)]
    pending = StateLayout.of(settings).index_pending
    missing = [d for d in report.missing if not (pending / d).exists()]
    waiting = len(report.missing) - len(missing)
    found = []
    if missing or report.stale or report.orphaned:
        found.append(Finding(
            "index", "fail", f"the index disagrees with the archive: {len(missing)} missing, "
            f"{len(report.stale)} stale, {len(report.orphaned)} orphaned "
            f"({report.sidecars} documents filed)",
            "Run `arsip check --repair` (or `arsip reindex`)", code))
    else:
        found.append(Finding("index", "ok", f"{report.indexed} documents indexed"
                             + (f", {waiting} waiting for the index writer" if waiting else "")))
    if not index_is_fresh(index_dir):
        found.append(Finding("index", "warn", "the index was built by an older arsip",
                             "The index writer rebuilds it when it starts; or `arsip reindex`"))
    return found


CHECKS: list[Callable[[Settings], list[Finding]]] = [
    check_config, check_tesseract, check_broker, check_folders, check_disk, check_search_index,
]


def diagnose(settings: Settings) -> list[Finding]:
    findings = []
    for check in CHECKS:
        try:
            findings += check(settings)
        except OSError as exc:  # one check that cannot run must not hide the others
            name = check.__name__.removeprefix("check_")
            findings.append(Finding(name, "fail", f"could not be checked: {exc}",
                                    "Fix the problem named here, then run `arsip doctor` again",
                                    int(ExitCode.failure)))
    return findings


def exit_code(findings: list[Finding]) -> int:
    codes = [f.exit_code for f in findings if f.status == "fail"]
    if not codes:
        return int(ExitCode.ok)
    return codes[0] if len(set(codes)) == 1 else int(ExitCode.failure)


def as_json_report(findings: list[Finding]) -> dict[str, object]:
    code = exit_code(findings)
    return {"ok": code == 0, "exit_code": code, "checks": [asdict(f) for f in findings]}


def render(findings: list[Finding], *, home: Path | None) -> str:
    marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}
    width = max(len(f.check) for f in findings)
    lines = ["arsip doctor" + (f"  {home}" if home else ""), ""]
    for f in findings:
        lines.append(f"  {marks[f.status]}  {f.check:<{width}}  {f.message}")
        if f.advice and f.status != "ok":
            lines.append(f"        {'':<{width}}  what to do: {f.advice}")
    problems = sum(1 for f in findings if f.status == "fail")
    warnings = sum(1 for f in findings if f.status == "warn")
    lines.append("")
    if problems:
        lines.append(f"{problems} problem(s) found (exit {exit_code(findings)}); fix them as "
                     "said above, then run `arsip doctor` again")
    else:
        lines.append("everything arsip needs is in place"
                     + (f" ({warnings} warning(s) above)" if warnings else ""))
    return "\n".join(lines)


@click.command("doctor")
@_config_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def doctor_command(ctx: click.Context, as_json: bool) -> None:
    """Check tesseract, Redis, folders, disk space and the index; say what to fix."""
    obj = ctx.ensure_object(dict)
    flags = {k: v for k, v in obj.get("flags", {}).items() if v is not None}
    home: Path | None = None
    try:
        settings = load_settings(obj.get("config"), **flags)
    except ConfigError as exc:
        findings = [_fail("config", exc)]
    else:
        home = settings.home
        findings = diagnose(settings)
    if as_json:
        click.echo(json.dumps(as_json_report(findings), ensure_ascii=False, indent=2))
    else:
        click.echo(render(findings, home=home))
    code = exit_code(findings)
    if code:
        sys.exit(code)
