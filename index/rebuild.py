"""`arsip reindex`: a fresh index from the sidecars, swapped in whole (no OCR)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from arsip.sidecar import iter_sidecar_ids
from index.writer import apply_pending


def rebuild(index_dir: Path, archive: Path, *, batch_size: int = 1000) -> int:
    """Build the new index beside the old one, then swap; searches keep working meanwhile."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=".index-new-", dir=index_dir.parent))
    pending = Path(tempfile.mkdtemp(prefix=".index-pending-", dir=index_dir.parent))
    try:
        for doc_id in iter_sidecar_ids(archive):
            (pending / doc_id).touch()
        count = apply_pending(build, pending, archive, batch_size=batch_size)
        old = index_dir.with_name(index_dir.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if index_dir.exists():
            index_dir.rename(old)
        build.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
        return count
    finally:
        shutil.rmtree(build, ignore_errors=True)
        shutil.rmtree(pending, ignore_errors=True)
