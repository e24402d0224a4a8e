"""The one typed, validated settings object: defaults ← arsip.toml ← ARSIP_* env ← flags."""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

import tomllib
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

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

_toml_file: ContextVar[Path | None] = ContextVar("arsip_toml_file", default=None)


class _TomlSource(PydanticBaseSettingsSource):
    """Reads the `[arsip]` table (or the top level) of the chosen arsip.toml."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        path = _toml_file.get()
        self.data: dict[str, Any] = {}
        if path is not None:
            try:
                with open(path, "rb") as fh:
                    raw = tomllib.load(fh)
            except OSError as exc:
                raise ConfigError(
                    f"cannot read config file {path}: {exc.strerror}",
                    advice="Check the path given to --config",
                ) from exc
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(
                    f"config file {path} is not valid TOML: {exc}",
                    advice="Fix the line named above",
                ) from exc
            self.data = raw.get("arsip", raw)

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k in self.settings_cls.model_fields}


class Settings(BaseSettings):
    """Every setting arsip has, with its documented default."""

    model_config = SettingsConfigDict(env_prefix="ARSIP_", extra="forbid")

    # --- where things live ---
    home: Path = Field(Path("data"), description="Root of inbox/, archive/, index/ and state/")
    inbox: Path | None = Field(None, description="Shared inbox folder (default HOME/inbox)")
    archive: Path | None = Field(None, description="Archive tree (default HOME/archive)")
    index_dir: Path | None = Field(None, description="Whoosh index (default HOME/index)")
    state_dir: Path | None = Field(None, description="Claims, quarantine, duplicates (HOME/state)")

    # --- broker ---
    broker_url: str | None = Field(
        None, description="redis://host:port/db for distributed mode; unset = embedded"
    )

    broker_wait_seconds: float = Field(
        120.0, ge=0, description="How long `watch` and `worker` wait for Redis at start-up"
    )

    # --- intake ---
    polling: bool = Field(False, description="Poll the inbox instead of inotify (NFS/SMB shares)")
    poll_interval_seconds: float = Field(2.0, gt=0, description="Polling observer interval")
    settle_seconds: float = Field(
        1.0, ge=0, description="A file must keep its size and mtime this long before it is claimed"
    )
    rescan_seconds: float = Field(30.0, gt=0, description="Full inbox rescan interval")
    resend_after_seconds: float = Field(
        300.0, gt=0, description="A claim idle this long (a lost message) is sent again"
    )
    ignore_patterns: list[str] = Field(
        default_factory=lambda: list(DEFAULT_IGNORE),
        description="Names never claimed (temporary and system files: *.part, ~$*, dotfiles…)",
    )

    # --- extraction ---
    languages: str = Field("ind+eng", description="tesseract languages, '+'-separated")
    ocr_dpi: int = Field(300, ge=72, le=1200, description="Resolution of PDF pages for OCR")
    ocr_timeout_seconds: float = Field(180.0, gt=0, description="tesseract time limit per page")
    max_file_mb: float = Field(500.0, gt=0, description="Largest file accepted, in MB")
    max_pages: int = Field(2000, gt=0, description="Most pages in one document")
    max_pixels: int = Field(
        180_000_000, gt=0, description="Largest image or rendered page, in pixels"
    )

    # --- classification ---
    rules_dir: Path | None = Field(
        None, description="Folder with types.toml, correspondents.toml, tags.toml overriding ours"
    )
    auto_classify: bool = Field(
        True, description="Learn type and correspondent from the filed archive where rules "
        "say nothing"
    )
    auto_min_confidence: float = Field(
        0.7, ge=0, le=1, description="Below this the auto classifier abstains"
    )
    auto_retrain_minutes: float = Field(
        10.0, gt=0, description="The index writer retrains at most this often, when the "
        "archive changed"
    )
    date_order: Literal["DMY", "MDY", "YMD"] = Field(
        "DMY", description="How to read 03/04/2026: DMY, MDY or YMD"
    )

    # --- filing ---
    filename_template: str = Field(DEFAULT_TEMPLATE, description="Archive path of a document")
    file_mode: int = Field(0o640, description="Permissions of archived files")
    dir_mode: int = Field(0o750, description="Permissions of archive folders")
    duplicates: Literal["keep", "delete"] = Field(
        "keep", description="keep a second copy in duplicates/ with a note, or delete it"
    )

    # --- workers and index ---
    worker_threads: int = Field(
        0, ge=0,
        description="Documents in flight per worker process (0 = two per core: one is read "
                    "or filed while another is OCR'd)",
    )
    ocr_processes: int = Field(
        0, ge=0,
        description="tesseract processes at once per worker process (0 = one per core)",
    )
    index_batch_size: int = Field(500, gt=0, description="Documents per index commit at most")
    index_commit_interval_seconds: float = Field(
        1.0, ge=0,
        description="While documents keep coming, commit the index at most this often "
                    "(a document after a quiet spell is committed at once)",
    )

    # --- operations ---
    metrics_port: int | None = Field(
        None, ge=1, le=65535,
        description="Serve Prometheus metrics on this port (run, worker); unset = off",
    )
    metrics_address: str = Field(
        "127.0.0.1", description="Address the metrics endpoint listens on (0.0.0.0: all)"
    )

    @field_validator("file_mode", "dir_mode", mode="before")
    @classmethod
    def _octal(cls, value: Any) -> Any:
        if isinstance(value, str):
            return int(value, 8)
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: str) -> str:
        parts = [p for p in value.split("+") if p]
        if not parts:
            raise ValueError("at least one tesseract language is needed, e.g. 'ind+eng'")
        return "+".join(parts)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlSource(settings_cls))

    # --- derived paths ---
    def model_post_init(self, __context: Any) -> None:
        home = self.home.expanduser().resolve()
        object.__setattr__(self, "home", home)
        for name, default in (
            ("inbox", "inbox"),
            ("archive", "archive"),
            ("index_dir", "index"),
            ("state_dir", "state"),
        ):
            value = getattr(self, name)
            path = (home / default) if value is None else value.expanduser()
            object.__setattr__(self, name, path.resolve() if path.is_absolute() else
                               (home / path).resolve())

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

    def public_dict(self) -> dict[str, Any]:
        """Settings as JSON-able values, with secrets (broker password) masked."""
        data = self.model_dump(mode="json")
        url = data.get("broker_url")
        if url and "@" in url:
            scheme, _, rest = url.partition("://")
            data["broker_url"] = f"{scheme}://***@{rest.split('@', 1)[1]}"
        return data


def find_config_file(explicit: Path | None) -> Path | None:
    """--config, else $ARSIP_CONFIG, else ./arsip.toml if present."""
    if explicit is not None:
        return explicit
    env = os.environ.get("ARSIP_CONFIG")
    if env:
        return Path(env)
    local = Path("arsip.toml")
    return local if local.is_file() else None


def load_settings(config: Path | None = None, **flags: Any) -> Settings:
    """Load and validate settings; raise ConfigError with a readable message."""
    path = find_config_file(config)
    token = _toml_file.set(path)
    try:
        return Settings(**{k: v for k, v in flags.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        where = f" in {path}" if path else ""
        raise ConfigError(
            f"invalid settings{where}: {problems}",
            advice="Fix the value (see README.md, 'Settings') and start again",
        ) from exc
    finally:
        _toml_file.reset(token)
