"""Filing: template → safe path → atomic, verified, never-overwriting placement + sidecar."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import string
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from arsip.errors import ConfigError
from arsip.faults import checkpoint
from arsip.fsutil import fsync_dir, link_no_overwrite, sha256_file
from arsip.names import clean_part

PLACEHOLDERS = {
    "created", "created_year", "created_month", "created_month_name", "created_day",
    "added", "added_year", "added_month", "added_day", "type", "correspondent", "title", "tags",
    "number", "original_name", "id", "ext", "language",
}
MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember"]
MAX_PART_BYTES = 120


def check_template(template: str) -> None:
    """Fail at start-up on a template with unknown placeholders or absolute parts."""
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise ConfigError(
            f"filename_template uses unknown placeholder(s) {', '.join(sorted(unknown))}",
            advice=f"Use only {{{'}, {'.join(sorted(PLACEHOLDERS))}}}",
        )
    if template.startswith("/") or ".." in PurePosixPath(template).parts:
        raise ConfigError("filename_template must be a relative path without '..'")


def template_values(meta: dict[str, Any], *, ext: str, added: date) -> dict[str, str]:
    created = meta.get("created")
    year = month = day = month_name = None
    if created:
        year, month, day = created[:4], created[5:7], created[8:10]
        month_name = MONTH_NAMES[int(month) - 1]
    raw = {
        "created": created, "created_year": year, "created_month": month,
        "created_month_name": month_name, "created_day": day,
        "added": added.isoformat(), "added_year": f"{added.year:04d}",
        "added_month": f"{added.month:02d}", "added_day": f"{added.day:02d}",
        "type": meta.get("type"), "correspondent": meta.get("correspondent"),
        "title": meta.get("title"), "tags": ", ".join(meta.get("tags") or []),
        "number": meta.get("number"), "original_name": meta.get("original_stem"),
        "id": meta.get("id"), "language": meta.get("language"),
    }
    values = {k: clean_part(str(v)) if v else "unknown" for k, v in raw.items()}
    values["title"] = clean_part(str(raw["title"] or "untitled"), limit=100)
    values["ext"] = ext
    return values


def render_relative_path(template: str, values: dict[str, str]) -> PurePosixPath:
    """The archive-relative path; every part safe, nothing can point outside the archive."""
    rendered = template.format_map(values)
    parts = [clean_part(p, limit=MAX_PART_BYTES + 16) for p in rendered.split("/") if p.strip()]
    if not parts:
        parts = [clean_part(values["id"]) + values["ext"]]
    return PurePosixPath(*parts)


def safe_extension(name: str, mime: str) -> str:
    suffix = Path(name).suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        return suffix
    return {
        "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg",
        "image/tiff": ".tif", "image/gif": ".gif", "image/bmp": ".bmp", "image/webp": ".webp",
        "image/jp2": ".jp2", "text/plain": ".txt",
    }.get(mime, "")


def with_suffix_number(path: PurePosixPath, n: int) -> PurePosixPath:
    """`2026-11-27 Faktur.pdf` → `2026-11-27 Faktur (2).pdf`."""
    name = path.name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    return path.with_name(f"{stem} ({n})" + (f".{ext}" if ext else ""))


def ensure_dirs(root: Path, relative_dir: PurePosixPath, mode: int) -> Path:
    """Create the folders under the archive root with the configured permissions."""
    current = root
    for part in relative_dir.parts:
        current = current / part
        try:
            st = os.lstat(current)  # a folder that is there: one look (not through a link)
        except FileNotFoundError:
            with contextlib.suppress(FileExistsError):
                current.mkdir(mode=mode)
                os.chmod(current, mode)
            st = os.lstat(current)
        if not stat.S_ISDIR(st.st_mode):  # a symbolic link, a file
            raise OSError(f"{current} is not a folder arsip made; refusing to file through it")
    return current


def free_path(archive: Path, wanted: PurePosixPath) -> PurePosixPath:
    """`wanted`, or the first of `wanted (2)`, `wanted (3)`, … that does not exist yet."""
    candidate = wanted
    n = 2
    while os.path.lexists(archive / candidate):
        candidate = with_suffix_number(wanted, n)
        n += 1
    return candidate


def link_into_archive(source: Path, archive: Path, relative: PurePosixPath, *, file_mode: int,
                      dir_mode: int, expected_sha256: str) -> bool:
    """Place `source` exactly at `relative`; False if something else is there already."""
    folder = ensure_dirs(archive, relative.parent, dir_mode)
    target = folder / relative.name
    os.chmod(source, file_mode)  # a hard link shares it: never in the archive with another mode
    if not link_no_overwrite(source, target):
        return False
    checkpoint("file.linked")
    if sha256_file(target) != expected_sha256:
        target.unlink()
        raise OSError(f"filed copy at {target} does not match the original; removed it")
    os.chmod(target, file_mode)
    fsync_dir(folder)
    return True
