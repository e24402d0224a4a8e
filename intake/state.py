"""Where arsip keeps its own state, beside the inbox and the archive."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config.settings import Settings


@dataclass(frozen=True)
class StateLayout:
    """Folders of the state area; `claims/` is on the inbox's filesystem for atomic renames."""

    root: Path
    home: Path

    @classmethod
    def of(cls, settings: Settings) -> StateLayout:
        return cls(root=settings.state_path, home=settings.home)

    @property
    def claims(self) -> Path:
        return self.root / "claims"

    @property
    def outcomes(self) -> Path:
        return self.root / "outcomes"

    @property
    def index_pending(self) -> Path:
        return self.root / "index-pending"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    @property
    def failed(self) -> Path:
        return self.home / "failed"

    @property
    def duplicates(self) -> Path:
        return self.home / "duplicates"

    def claim_dir(self, claim_id: str) -> Path:
        return self.claims / claim_id

    def ensure(self) -> None:
        for path in (self.claims, self.outcomes, self.index_pending, self.locks, self.failed,
                     self.duplicates):
            path.mkdir(parents=True, exist_ok=True)
