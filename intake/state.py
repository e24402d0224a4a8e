"""Where arsip keeps its own state, beside the inbox and the archive."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from arsip.fsutil import has_entries
from config.settings import Settings


@dataclass(frozen=True)
class StateLayout:
    """Folders of the state area; `claims/` is on the inbox's filesystem for atomic renames.
    (Each folder's path is made once: a worker asks for them several times a document.)"""

    root: Path
    home: Path

    @classmethod
    def of(cls, settings: Settings) -> StateLayout:
        return cls(root=settings.state_path, home=settings.home)

    @cached_property
    def claims(self) -> Path:
        return self.root / "claims"

    @cached_property
    def outcomes(self) -> Path:
        return self.root / "outcomes"

    @cached_property
    def index_pending(self) -> Path:
        return self.root / "index-pending"

    @cached_property
    def locks(self) -> Path:
        return self.root / "locks"

    @cached_property
    def failed(self) -> Path:
        return self.home / "failed"

    @cached_property
    def duplicates(self) -> Path:
        return self.home / "duplicates"

    def doc_lock(self, doc_id: str) -> Path:
        """The lock file that serialises work on document `doc_id` (across processes and
        machines). Documents share 4096 lock files by the first three hex digits of their
        id: a lock file per document left one file behind for every document ever filed, and
        each new file costs a fresh inode (on ext4 without a journal, a scan past every inode
        freed in the last minutes). Two documents in flight at once share a lock file about
        one time in 4096; the second then waits for the first."""
        return self.locks / f"doc-{doc_id[:3]}.lock"

    def claim_dir(self, claim_id: str) -> Path:
        return self.claims / claim_id

    def claim_lock(self, claim_id: str) -> Path:
        """The lock file held while a claim is processed (a file, not the claim's folder: on
        NFS and SMB a folder's flock is local to one machine)."""
        return self.locks / f"claim-{claim_id}.lock"

    def outcome(self, claim_id: str) -> Path:
        """What became of a claim, kept for whoever waits on it."""
        return self.outcomes / f"{claim_id}.json"

    def documents_in_flight(self) -> bool:
        """Some document is claimed and not yet let go (a cheap look: one folder entry)."""
        return has_entries(self.claims)

    def few_documents_in_flight(self, few: int = 32) -> bool:
        """At most `few` documents claimed and not yet let go (looks at `few` + 1 entries at
        most)."""
        try:
            with os.scandir(self.claims) as entries:
                return sum(1 for _ in itertools.islice(entries, few + 1)) <= few
        except FileNotFoundError:
            return True

    def index_behind(self) -> bool:
        """Some filed document waits for the index writer."""
        return has_entries(self.index_pending)

    def ensure(self) -> None:
        for path in (self.claims, self.outcomes, self.index_pending, self.locks, self.failed,
                     self.duplicates):
            path.mkdir(parents=True, exist_ok=True)
