"""The sidecar: one JSON file per filed document, the record from which the index is rebuilt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from arsip.fsutil import read_json, write_json_atomic

SIDECAR_DIR = ".arsip"
SIDECAR_VERSION = 1
ID_LENGTH = 16


def doc_id_from_sha256(sha256: str) -> str:
    """The document id: the first 16 hex digits of the content's sha256."""
    return sha256[:ID_LENGTH]


def sidecar_dir(archive: Path) -> Path:
    return archive / SIDECAR_DIR


def sidecar_path(archive: Path, doc_id: str) -> Path:
    return sidecar_dir(archive) / f"{doc_id}.json"


def read_sidecar(archive: Path, doc_id: str) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = read_json(sidecar_path(archive, doc_id))
    except FileNotFoundError:
        return None
    return data


def write_sidecar(archive: Path, record: dict[str, Any], *, mode: int) -> None:
    write_json_atomic(sidecar_path(archive, record["id"]), {**record, "version": SIDECAR_VERSION},
                      mode=mode)


def iter_sidecar_ids(archive: Path) -> Iterator[str]:
    try:
        entries = os.scandir(sidecar_dir(archive))
    except FileNotFoundError:
        return
    with entries:
        for entry in entries:
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                yield entry.name[:-5]


def find_doc_ids(archive: Path, prefix: str) -> list[str]:
    """Ids starting with `prefix` (so that `arsip show 3fa2` works)."""
    prefix = prefix.lower()
    exact = sidecar_path(archive, prefix)
    if exact.exists():
        return [prefix]
    return sorted(i for i in iter_sidecar_ids(archive) if i.startswith(prefix))
