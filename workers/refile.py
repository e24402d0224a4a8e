"""Moving filed documents: `arsip edit` (a person's correction) and `arsip refile` (rules or the
template changed). The original, its sidecar and its index entry change together or not at
all: a small journal in `state/refile/` lets a crash be rolled back at the next start."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from arsip.fsutil import file_lock, read_json, sha256_file, write_json_atomic
from arsip.keyfields import KEY_FIELDS, key_fields
from arsip.sidecar import iter_sidecar_ids, read_sidecar, write_sidecar
from workers.context import Context
from workers.filing import free_path, link_into_archive
from workers.learning import apply_auto
from workers.pipeline import mark_for_index, target_path

EDITABLE = ("type", "correspondent", "created", "tags", "title")


@dataclass(frozen=True)
class Move:
    doc_id: str
    old: str
    new: str
    changes: dict[str, Any]


def journal_dir(ctx: Context) -> Path:
    return ctx.layout.root / "refile"


def reclassified(ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
    """The record as today's rules would file it; a person's corrections always win."""
    from workers.classify import classify  # refiling only: not on the worker's way to start

    decision = classify(record.get("content") or "", rules=ctx.rules,
                        file_name=record.get("original_name") or "", file_mtime=0.0,
                        folder_tags=[], date_order=ctx.settings.date_order, today=date.today())
    if ctx.auto is not None:
        apply_auto(decision, ctx.auto.predict(record.get("content") or ""))
    updated = dict(record)
    updated.update(type=decision.type, correspondent=decision.correspondent,
                   title=decision.title, number=decision.number,
                   tags=list(dict.fromkeys([*(record.get("tags") or []), *decision.tags])),
                   **decision.key_fields())
    if decision.created_source == "content":
        updated.update(created=decision.created, created_source="content")
    updated.update(record.get("manual") or {})
    return updated


def plan_refile(ctx: Context) -> list[Move]:
    """Every document whose path would change under today's rules and template."""
    moves = []
    for doc_id in sorted(iter_sidecar_ids(ctx.archive)):
        record = read_sidecar(ctx.archive, doc_id)
        if record is None:
            continue
        updated = reclassified(ctx, record)
        wanted = str(target_path(ctx, updated))
        current = {**record, **key_fields(record)}
        changes = {k: updated.get(k) for k in ("type", "correspondent", "created", "title",
                                               "tags", "number", *KEY_FIELDS)
                   if updated.get(k) != current.get(k)}
        if wanted != record["path"] or changes:
            moves.append(Move(doc_id, record["path"], wanted, changes))
    return moves


def apply_changes(ctx: Context, doc_id: str, changes: dict[str, Any], *,
                  manual: bool) -> Move:
    """Change a document's metadata and move its original to the path they imply."""
    with file_lock(ctx.layout.doc_lock(doc_id)):
        record = read_sidecar(ctx.archive, doc_id)
        if record is None:
            raise KeyError(doc_id)
        updated = {**record, **changes}
        if manual:
            updated["manual"] = {**(record.get("manual") or {}),
                                 **{k: v for k, v in changes.items() if k in EDITABLE}}
            if "created" in changes:
                updated["created_source"] = "manual"
        old = PurePosixPath(record["path"])
        wanted = target_path(ctx, updated)
        if wanted == old:
            write_sidecar(ctx.archive, updated, mode=ctx.settings.file_mode)
            mark_for_index(ctx, doc_id)
            return Move(doc_id, str(old), str(old), changes)
        journal = journal_dir(ctx) / f"{doc_id}.json"
        while True:
            relative = free_path(ctx.archive, wanted)
            write_json_atomic(journal, {"old": str(old), "new": str(relative)})
            if link_into_archive(ctx.archive / old, ctx.archive, relative,
                                 file_mode=ctx.settings.file_mode,
                                 dir_mode=ctx.settings.dir_mode,
                                 expected_sha256=record["sha256"]):
                break
        updated["path"] = str(relative)
        write_sidecar(ctx.archive, updated, mode=ctx.settings.file_mode)  # the commit point
        _remove_with_empty_parents(ctx.archive, old)
        journal.unlink()
        mark_for_index(ctx, doc_id)
        return Move(doc_id, str(old), str(relative), changes)


def _remove_with_empty_parents(archive: Path, relative: PurePosixPath) -> None:
    with contextlib.suppress(FileNotFoundError):
        (archive / relative).unlink()
    folder = (archive / relative).parent
    while folder != archive and folder.is_relative_to(archive):
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def finish_interrupted_moves(ctx: Context) -> int:
    """At start-up: complete a move whose sidecar was written, undo one whose was not."""
    done = 0
    folder = journal_dir(ctx)
    if not folder.is_dir():
        return 0
    for journal in folder.glob("*.json"):
        doc_id = journal.stem
        entry = read_json(journal)
        with file_lock(ctx.layout.doc_lock(doc_id)):
            record = read_sidecar(ctx.archive, doc_id)
            old, new = PurePosixPath(entry["old"]), PurePosixPath(entry["new"])
            if record is not None:
                keep, drop = (new, old) if record["path"] == str(new) else (old, new)
                kept = ctx.archive / keep
                dropped = ctx.archive / drop
                if kept.is_file() and dropped.is_file() and \
                        sha256_file(dropped) == record["sha256"]:
                    _remove_with_empty_parents(ctx.archive, drop)
                mark_for_index(ctx, doc_id)
            os.unlink(journal)
            done += 1
    return done
