"""What every command needs: the settings for this invocation, and a document by its id."""

from __future__ import annotations

from typing import Any

import click

from arsip.errors import NotFound
from arsip.sidecar import find_doc_ids, read_sidecar
from config.settings import Settings, load_settings


def settings_of(ctx: click.Context) -> Settings:
    """The settings of this invocation, loaded once: defaults, file, environment, flags."""
    obj = ctx.ensure_object(dict)
    if "settings" not in obj:
        obj["settings"] = load_settings(obj.get("config"), **obj.get("flags", {}))
    settings: Settings = obj["settings"]
    return settings


def find_record(settings: Settings, doc_id: str) -> dict[str, Any]:
    """The sidecar of the one document whose id starts with `doc_id`, or NotFound."""
    ids = find_doc_ids(settings.archive_path, doc_id)
    if not ids:
        raise NotFound(f"no document with id {doc_id!r}",
                       advice="Find ids with `arsip search` (the `id` of each hit)")
    if len(ids) > 1:
        raise NotFound(f"{len(ids)} documents have ids starting with {doc_id!r}",
                       advice="Give more of the id")
    record = read_sidecar(settings.archive_path, ids[0])
    assert record is not None
    return record
