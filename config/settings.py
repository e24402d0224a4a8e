"""The one typed, validated settings object: defaults ← arsip.toml ← ARSIP_* env ← flags.

The settings are a msgspec Struct: every `arsip` command builds one before it does anything,
`arsip search` included, and msgspec imports in ~13 ms where pydantic and pydantic-settings
took ~90 ms, most of the search command's start-up. msgspec converts the layered values
(strings from the environment and TOML, typed flags) and checks each constraint.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

import msgspec
import tomllib
from msgspec import Meta, field

from arsip.errors import ConfigError

DEFAULT_TEMPLATE = "{created_year}/{type}/{correspondent}/{created} {title}{ext}"

DEFAULT_IGNORE = [
    "*.part",
    "*.partial",
    "*.crdownload",
    "*.download",
    "*.tmp",
    "*.swp",
    "~$*",
    ".~lock*",
    ".*",
    "Thumbs.db",
    "desktop.ini",
    "*.arsip-tmp",
]

ENV_PREFIX = "ARSIP_"
DERIVED = ("inbox", "archive", "index_dir", "state_dir")  # default to a folder under `home`
OCTAL = ("file_mode", "dir_mode")  # also written as "0640"
GIVEN = "the values given"  # where a value came from, for a caller that does not say
_made_already: ContextVar[bool] = ContextVar("settings_made_already", default=False)


def _about(text: str, **constraints: Any) -> Meta:
    return Meta(description=text, **constraints)


class Settings(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Every setting arsip has, with its documented default."""

    # --- where things live ---
    home: Annotated[Path, _about("Root of inbox/, archive/, index/ and state/")] = Path("data")
    inbox: Annotated[Path | None, _about("Shared inbox folder (default HOME/inbox)")] = None
    archive: Annotated[Path | None, _about("Archive tree (default HOME/archive)")] = None
    index_dir: Annotated[Path | None, _about("Whoosh index (default HOME/index)")] = None
    state_dir: Annotated[
        Path | None, _about("Claims, quarantine, duplicates (HOME/state)")
    ] = None

    # --- broker ---
    broker_url: Annotated[
        str | None, _about("redis://host:port/db for distributed mode; unset = embedded")
    ] = None
    broker_wait_seconds: Annotated[
        float, _about("How long `watch` and `worker` wait for Redis at start-up", ge=0)
    ] = 120.0

    # --- intake ---
    polling: Annotated[
        bool, _about("Poll the inbox instead of inotify (NFS/SMB shares)")
    ] = False
    poll_interval_seconds: Annotated[float, _about("Polling observer interval", gt=0)] = 2.0
    settle_seconds: Annotated[float, _about(
        "A file must keep its size and mtime this long before it is claimed", ge=0)] = 1.0
    rescan_seconds: Annotated[float, _about("Full inbox rescan interval", gt=0)] = 30.0
    resend_after_seconds: Annotated[float, _about(
        "A claim idle this long (a lost message) is sent again", gt=0)] = 300.0
    ignore_patterns: Annotated[list[str], _about(
        "Names never claimed (temporary and system files: *.part, ~$*, dotfiles…)"
    )] = field(default_factory=lambda: list(DEFAULT_IGNORE))

    # --- extraction ---
    languages: Annotated[str, _about("tesseract languages, '+'-separated")] = "ind+eng"
    ocr_dpi: Annotated[int, _about("Resolution of PDF pages for OCR", ge=72, le=1200)] = 300
    ocr_timeout_seconds: Annotated[
        float, _about("tesseract time limit per page", gt=0)
    ] = 180.0
    max_file_mb: Annotated[float, _about("Largest file accepted, in MB", gt=0)] = 500.0
    max_pages: Annotated[int, _about("Most pages in one document", gt=0)] = 2000
    max_pixels: Annotated[
        int, _about("Largest image or rendered page, in pixels", gt=0)
    ] = 180_000_000

    # --- classification ---
    rules_dir: Annotated[Path | None, _about(
        "Folder with types.toml, correspondents.toml, tags.toml overriding ours")] = None
    auto_classify: Annotated[bool, _about(
        "Learn type and correspondent from the filed archive where rules say nothing")] = True
    auto_min_confidence: Annotated[
        float, _about("Below this the auto classifier abstains", ge=0, le=1)
    ] = 0.7
    auto_retrain_minutes: Annotated[float, _about(
        "The index writer retrains at most this often, when the archive changed", gt=0)] = 10.0
    date_order: Annotated[
        Literal["DMY", "MDY", "YMD"], _about("How to read 03/04/2026: DMY, MDY or YMD")
    ] = "DMY"

    # --- filing ---
    filename_template: Annotated[
        str, _about("Archive path of a document")
    ] = DEFAULT_TEMPLATE
    file_mode: Annotated[int, _about("Permissions of archived files", ge=0, le=0o7777)] = 0o640
    dir_mode: Annotated[int, _about("Permissions of archive folders", ge=0, le=0o7777)] = 0o750
    duplicates: Annotated[Literal["keep", "delete"], _about(
        "keep a second copy in duplicates/ with a note, or delete it")] = "keep"

    # --- workers and index ---
    worker_threads: Annotated[int, _about(
        "Documents in flight per worker process (0 = two per core: one is read or filed "
        "while another is OCR'd)", ge=0)] = 0
    ocr_processes: Annotated[int, _about(
        "tesseract processes at once per worker process (0 = one per core)", ge=0)] = 0
    index_batch_size: Annotated[int, _about(
        "Documents per index commit at most (at most 100 while documents keep arriving)",
        gt=0)] = 500
    index_commit_interval_seconds: Annotated[float, _about(
        "While documents keep coming, commit the index at most this often "
        "(a document after a quiet spell is committed at once)", ge=0)] = 1.0

    # --- operations ---
    metrics_port: Annotated[Annotated[int, Meta(ge=1, le=65535)] | None, _about(
        "Serve Prometheus metrics on this port (run, worker); unset = off")] = None
    metrics_address: Annotated[str, _about(
        "Address the metrics endpoint listens on (0.0.0.0: all)")] = "127.0.0.1"

    def __post_init__(self) -> None:
        if _made_already.get():
            return
        parts = [p for p in self.languages.split("+") if p]
        if not parts:
            raise ValueError("at least one tesseract language is needed, e.g. 'ind+eng'")
        self.languages = "+".join(parts)
        self.home = Path(self.home).expanduser().resolve()
        for name, default in zip(DERIVED, ("inbox", "archive", "index", "state"), strict=True):
            value = getattr(self, name)
            path = (self.home / default) if value is None else Path(value).expanduser()
            setattr(self, name, path.resolve() if path.is_absolute() else
                    (self.home / path).resolve())

    @property
    def inbox_path(self) -> Path:
        assert self.inbox is not None
        return self.inbox

    @property
    def archive_path(self) -> Path:
        assert self.archive is not None
        return self.archive

    @property
    def index_path(self) -> Path:
        assert self.index_dir is not None
        return self.index_dir

    @property
    def state_path(self) -> Path:
        assert self.state_dir is not None
        return self.state_dir

    @property
    def threads(self) -> int:
        return self.worker_threads or 2 * (os.cpu_count() or 1)

    @property
    def ocr_process_count(self) -> int:
        return self.ocr_processes or (os.cpu_count() or 1)

    @property
    def embedded(self) -> bool:
        return not self.broker_url

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent with every document to the extraction children: unpickled as it was, without
        # resolving the folders again (__post_init__ did, once; it costs tens of syscalls).
        return (_unpickled, (msgspec.structs.asdict(self),))

    def replaced(self, **changes: Any) -> Settings:
        """A copy with some settings changed, for code, not for users: the values are not
        converted or checked against their bounds (the folders are resolved again)."""
        return msgspec.structs.replace(self, **changes)

    def public_dict(self) -> dict[str, Any]:
        """Settings as JSON-able values, with secrets (broker password) masked."""
        data: dict[str, Any] = msgspec.to_builtins(self, enc_hook=str)
        url = data.get("broker_url")
        if url and "@" in url:
            scheme, _, rest = url.partition("://")
            data["broker_url"] = f"{scheme}://***@{rest.split('@', 1)[1]}"
        return data


def _unpickled(values: dict[str, Any]) -> Settings:
    token = _made_already.set(True)
    try:
        return Settings(**values)
    finally:
        _made_already.reset(token)


# --------------------------------------------------------------------------------------------
# What each setting means, and how a value is read
# --------------------------------------------------------------------------------------------


def setting_names() -> tuple[str, ...]:
    return Settings.__struct_fields__


@cache
def _annotations() -> dict[str, tuple[Any, list[Meta]]]:
    """Each setting's type (without Optional) and its Meta entries."""
    found = {}
    for name, hint in get_type_hints(Settings, include_extras=True).items():
        kind, *extras = get_args(hint)
        if get_origin(kind) in (UnionType, Union):  # X | None: X
            kind = next(k for k in get_args(kind) if k is not type(None))
        while get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        found[name] = (get_origin(kind) or kind, [m for m in extras if isinstance(m, Meta)])
    return found


def descriptions() -> dict[str, str]:
    """Each setting's one-line description, as `arsip config show` prints it."""
    return {name: next((m.description for m in metas if m.description), "")
            for name, (_, metas) in _annotations().items()}


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


def _from_environment(name: str, raw: str) -> Any:
    """An ARSIP_* variable's text as the value it stands for: lists are JSON (as before);
    everything else is read as any text is, by _as_written."""
    if _annotations()[name][0] is list:
        try:
            return json.loads(raw)
        except ValueError:
            return raw  # reported by validation as "expected array"
    return raw


def _path_hook(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str | os.PathLike):
        return Path(value)
    raise TypeError(f"expected {getattr(kind, '__name__', kind)}, got {value!r}")


def _as_written(values: dict[str, Any], origins: dict[str, str]
                ) -> tuple[dict[str, Any], list[str]]:
    """Settings written as text, from a file or the environment, read as people write them:
    numbers with spaces around them or `_` between digits (`" 300"`, `1_000`), yes/no/on/off
    for true and false, file_mode and dir_mode in octal (`"0640"`). Returns the values and the
    problems found (the settings named in them are left out of the values)."""
    out, problems = dict(values), []
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        kind = _annotations()[name][0]
        text = value.strip()
        if name in OCTAL:
            try:
                out[name] = int(text, 8)
            except ValueError:
                del out[name]
                origin = origins.get(name, GIVEN)
                problems.append(f"{name} = {value!r}, from {origin}: "
                                "expected an octal mode such as \"0640\"")
        elif kind is bool and text.lower() in _TRUE | _FALSE:
            out[name] = text.lower() in _TRUE
        elif kind in (int, float):
            with contextlib.suppress(ValueError):  # else left as written, for the message
                out[name] = kind(text)
    return out, problems


_LOCATION = re.compile(r"\s*-\s*at `\$\.(\w+)`.*$", re.S)


def _problem(name: str, value: Any, origin: str, exc: msgspec.ValidationError) -> str:
    message = _LOCATION.sub("", str(exc))
    message = message[:1].lower() + message[1:]
    return f"{name} = {value!r}, from {origin}: {message}"


def build(values: dict[str, Any], origins: dict[str, str] | None = None) -> Settings:
    """Settings from layered values, or ConfigError naming every bad value and where it came
    from. Callers leave out names that are no setting (a file may hold other tools' keys)."""
    origins = origins or {}
    given = values
    values, problems = _as_written(values, origins)
    whole = "invalid values"
    if not problems:
        try:
            return msgspec.convert(values, Settings, strict=False, dec_hook=_path_hook)
        except msgspec.ValidationError as exc:
            whole = str(exc)
    for name, value in values.items():  # one at a time, to name every problem, not the first
        try:
            msgspec.convert({name: value}, Settings, strict=False, dec_hook=_path_hook)
        except msgspec.ValidationError as exc:
            problems.append(_problem(name, given[name], origins.get(name, GIVEN), exc))
    raise ConfigError("invalid settings: " + "; ".join(problems or [whole]),
                      advice="Fix the values named above (README.md, 'Settings', lists every "
                      "setting; `arsip config show` prints the defaults) and start again")


# --------------------------------------------------------------------------------------------
# The layers: defaults ← file ← environment ← flags
# --------------------------------------------------------------------------------------------


def find_config_file(explicit: Path | None) -> Path | None:
    """--config, else $ARSIP_CONFIG, else ./arsip.toml if present."""
    if explicit is not None:
        return explicit
    env = os.environ.get("ARSIP_CONFIG")
    if env:
        return Path(env)
    local = Path("arsip.toml")
    return local if local.is_file() else None


def read_table(path: Path) -> dict[str, Any]:
    """The `[arsip]` table of a settings file, or its top level."""
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}",
                          advice="Check the path given to --config and its permissions") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}",
                          advice="Fix the line named above") from exc
    table = raw.get("arsip", raw)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `arsip` must be a table", advice="Write [arsip] above the keys")
    return table


@dataclass(frozen=True)
class Layers:
    """The values given for this invocation and where each came from."""

    values: dict[str, Any]
    origins: dict[str, str]  # setting -> "flag", "environment (ARSIP_X)", "file (path)"
    file: Path | None


def gather(config: Path | None = None, flags: dict[str, Any] | None = None) -> Layers:
    """Read the file, the environment and the flags, later layers winning."""
    names = set(setting_names())
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    path = find_config_file(config)
    if path is not None:
        for name, value in read_table(path).items():
            if name in names:
                values[name], origins[name] = value, f"file ({path})"
    for key, raw in os.environ.items():  # names are matched case-insensitively, as before
        name = key.lower().removeprefix(ENV_PREFIX.lower())
        if key.upper().startswith(ENV_PREFIX) and name in names:
            values[name] = _from_environment(name, raw)
            origins[name] = f"environment ({ENV_PREFIX}{name.upper()})"
    for name, value in (flags or {}).items():
        if value is not None:
            values[name], origins[name] = value, "flag"
    return Layers(values, origins, path)


def load_settings(config: Path | None = None, **flags: Any) -> Settings:
    """Load and validate settings; raise ConfigError with a readable message."""
    layers = gather(config, flags)
    return build(layers.values, layers.origins)
