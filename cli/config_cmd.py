"""`arsip config show` (the effective settings and where each came from) and
`arsip config check FILE` (is this arsip.toml valid, on its own)."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import click
import tomllib
from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from arsip.errors import ConfigError
from config.settings import Settings, find_config_file, load_settings

DERIVED = {"inbox", "archive", "index_dir", "state_dir"}  # defaults under `home`


def _config_option(f: Any) -> Any:
    """`--config` after the sub-command's name too, as on every other command."""
    def callback(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(dict)["config"] = value
    return click.option("--config", type=click.Path(path_type=Path), expose_value=False,
                        callback=callback, is_eager=True, help="arsip.toml to read.")(f)


def read_table(path: Path) -> dict[str, Any]:
    """The `[arsip]` table of a settings file, or its top level (as arsip reads it)."""
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}",
                          advice="Check the path and its permissions") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}",
                          advice="Fix the line named above") from exc
    table = raw.get("arsip", raw)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `arsip` must be a table", advice="Write [arsip] above the keys")
    return table


def setting_sources(config: Path | None, flags: dict[str, Any]) -> dict[str, str]:
    """Where each setting's value came from: flag, environment, file or default."""
    env = {key.lower() for key in os.environ}
    path = find_config_file(config)
    in_file = set(read_table(path)) if path is not None and path.is_file() else set()
    sources = {}
    for name in Settings.model_fields:
        if flags.get(name) is not None:
            sources[name] = "flag"
        elif f"arsip_{name}" in env:
            sources[name] = f"environment (ARSIP_{name.upper()})"
        elif name in in_file:
            sources[name] = f"file ({path})"
        else:
            sources[name] = "default (under home)" if name in DERIVED else "default"
    return sources


def _describe_file(config: Path | None) -> dict[str, Any]:
    path = find_config_file(config)
    if path is None:
        return {"path": None, "from": "none (no --config, no $ARSIP_CONFIG, no ./arsip.toml)"}
    origin = "--config" if config is not None else \
        "$ARSIP_CONFIG" if os.environ.get("ARSIP_CONFIG") else "./arsip.toml"
    return {"path": str(path.resolve()), "from": origin}


def _shown(name: str, value: Any) -> str:
    if name in ("file_mode", "dir_mode") and isinstance(value, int):
        return f"0o{value:o}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "unset" if value is None else str(value)


@click.group("config")
def config_group() -> None:
    """Show the effective settings, or check a settings file."""


@config_group.command("show")
@_config_option
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def show(ctx: click.Context, as_json: bool) -> None:
    """Every setting, its effective value and where it came from (secrets masked)."""
    obj = ctx.ensure_object(dict)
    config, flags = obj.get("config"), {k: v for k, v in obj.get("flags", {}).items()
                                        if v is not None}
    values = load_settings(config, **flags).public_dict()
    sources = setting_sources(config, flags)
    if as_json:
        click.echo(json.dumps({
            "config_file": _describe_file(config),
            "settings": {name: {"value": values[name], "source": sources[name],
                                "description": field.description}
                         for name, field in Settings.model_fields.items()},
        }, ensure_ascii=False, indent=2))
        return
    where = _describe_file(config)
    click.echo(f"config file: {where['path'] or 'none'}"
               + (f" (from {where['from']})" if where["path"] else ""))
    width = max(map(len, Settings.model_fields))
    for name in Settings.model_fields:
        click.echo(f"{name:<{width}}  {_shown(name, values[name])}  [{sources[name]}]")


class _FileOnly(Settings):
    """The settings a file gives, without the environment: `config check` judges the file."""

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def check_file(path: Path) -> int:
    """Raise ConfigError naming every problem in the file; return how many settings it sets."""
    from config.rules import load_rules
    from workers.filing import check_template

    table = read_table(path)
    known = set(Settings.model_fields)
    problems = []
    for key in sorted(set(table) - known):
        close = difflib.get_close_matches(key, known, n=1)
        problems.append(f"{key}: no such setting" + (f" (did you mean {close[0]}?)" if close
                                                      else ""))
    try:
        settings = _FileOnly(**{k: v for k, v in table.items() if k in known})
    except ValidationError as exc:
        problems += [f"{'.'.join(str(p) for p in err['loc'])} = {err.get('input')!r}: "
                     f"{err['msg']}" for err in exc.errors()]
        settings = None
    try:
        if isinstance(table.get("filename_template"), str):
            check_template(table["filename_template"])
        if settings is not None and settings.rules_dir is not None:
            load_rules(settings.rules_dir)
    except ConfigError as exc:
        problems.append(exc.message)
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems),
                          advice="Fix the entries named above (README.md, 'Settings', lists "
                          "every setting; `arsip config show` prints the defaults)")
    return len(table)


@config_group.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def check(file: Path) -> None:
    """Validate a settings file on its own: exit 0 with "ok", or 3 naming each problem."""
    count = check_file(file)
    click.echo(f"ok: {file} ({count} setting(s))")
