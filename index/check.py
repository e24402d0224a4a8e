"""`arsip check`: documents missing from the index, stale in it, or indexed without a sidecar."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from arsip.sidecar import iter_sidecar_ids, read_sidecar
from index.schema import open_index
from index.writer import apply_pending


@dataclass
class CheckReport:
    sidecars: int = 0
    indexed: int = 0
    missing: list[str] = field(default_factory=list)  # a sidecar, no index entry
    stale: list[str] = field(default_factory=list)  # the index disagrees with the sidecar
    orphaned: list[str] = field(default_factory=list)  # indexed, but no sidecar any more

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)


def check_index(index_dir: Path, archive: Path) -> CheckReport:
    report = CheckReport()
    stored: dict[str, tuple[str, str]] = {}
    try:
        ix = open_index(index_dir, create=False)
    except (FileNotFoundError, OSError):
        ix = None
    if ix is not None:
        with ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                stored[fields["id"]] = (fields.get("path", ""), fields.get("title", ""))
        ix.close()
    report.indexed = len(stored)
    ids = set(iter_sidecar_ids(archive))
    report.sidecars = len(ids)
    for doc_id in sorted(ids):
        if doc_id not in stored:
            report.missing.append(doc_id)
            continue
        record = read_sidecar(archive, doc_id)
        if record is None:
            continue
        if stored[doc_id] != (str(archive / record["path"]), record.get("title") or ""):
            report.stale.append(doc_id)
    report.orphaned = sorted(set(stored) - ids)
    return report


def repair_index(index_dir: Path, archive: Path, pending_dir: Path, report: CheckReport,
                 *, batch_size: int) -> int:
    """Mark every problem document pending and let the one writer fix them."""
    pending_dir.mkdir(parents=True, exist_ok=True)
    for doc_id in (*report.missing, *report.stale, *report.orphaned):
        (pending_dir / doc_id).touch()
    return apply_pending(index_dir, pending_dir, archive, batch_size=batch_size)
