"""`arsip config show` (the effective settings and where each came from) and
`arsip config check FILE` (is this arsip.toml valid, on its own)."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import click

from arsip.errors import ConfigError
from config.settings import (
    DERIVED,
    build,
    descriptions,
    gather,
    read_table,
    setting_names,
)


def _config_option(f: Any) -> Any:
    """`--config` after the sub-command's name too, as on every other command."""
    def callback(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(dict)["config"] = value
    return click.option("--config", type=click.Path(path_type=Path), expose_value=False,
                        callback=callback, is_eager=True, help="arsip.toml to read.")(f)


def _describe_file(config: Path | None, path: Path | None) -> dict[str, Any]:
    """The settings file read (`path`, as gather() found it) and what named it."""
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
    config = obj.get("config")
    layers = gather(config, obj.get("flags", {}))
    values = build(layers.values, layers.origins).public_dict()
    sources = {name: layers.origins.get(name) or
               ("default (under home)" if name in DERIVED else "default")
               for name in setting_names()}
    if as_json:
        click.echo(json.dumps({
            "config_file": _describe_file(config, layers.file),
            "settings": {name: {"value": values[name], "source": sources[name],
                                "description": description}
                         for name, description in descriptions().items()},
        }, ensure_ascii=False, indent=2))
        return
    where = _describe_file(config, layers.file)
    click.echo(f"config file: {where['path'] or 'none'}"
               + (f" (from {where['from']})" if where["path"] else ""))
    width = max(map(len, setting_names()))
    for name in setting_names():
        click.echo(f"{name:<{width}}  {_shown(name, values[name])}  [{sources[name]}]")


def check_file(path: Path) -> int:
    """Raise ConfigError naming every problem in the file; return how many settings it sets."""
    from config.rules import load_rules
    from workers.filing import check_template

    table = read_table(path)
    known = set(setting_names())
    problems = []
    for key in sorted(set(table) - known):
        close = difflib.get_close_matches(key, known, n=1)
        problems.append(f"{key}: no such setting" + (f" (did you mean {close[0]}?)" if close
                                                      else ""))
    given = {k: v for k, v in table.items() if k in known}
    try:
        settings = build(given, dict.fromkeys(given, "the file"))
    except ConfigError as exc:
        problems.append(exc.message.removeprefix("invalid settings: "))
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
