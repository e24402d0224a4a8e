"""Check the world once, at start-up: one clear message and a distinct exit code."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from arsip.errors import FolderError
from config.settings import Settings
from workers.filing import check_template
from workers.tools.tesseract import check_languages


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def check_folders(settings: Settings) -> None:
    inbox, archive = settings.inbox_path, settings.archive_path
    if _inside(inbox, archive) or _inside(archive, inbox):
        raise FolderError(
            f"the inbox ({inbox}) and the archive ({archive}) must not contain each other",
            advice="Point `inbox` and `archive` at separate folders in arsip.toml",
        )
    for folder in (inbox, archive, settings.index_path, settings.state_path):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".arsip-write-test-"):
                pass
        except OSError as exc:
            raise FolderError(
                f"cannot write to {folder}: {exc.strerror or exc}",
                advice=f"Give the user running arsip write access (e.g. `sudo chown -R "
                f"{os.getenv('USER', 'arsip')} {folder}`) or choose another ARSIP_HOME",
            ) from exc


def check_all(settings: Settings, *, ocr: bool = True) -> None:
    check_template(settings.filename_template)
    check_folders(settings)
    if ocr:
        check_languages(settings.languages)
