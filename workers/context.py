"""What every stage needs, built once per process at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config.rules import RuleSet, load_rules
from config.settings import Settings
from intake.state import StateLayout


@dataclass(frozen=True)
class Context:
    settings: Settings
    rules: RuleSet
    layout: StateLayout

    @property
    def archive(self) -> Path:
        return self.settings.archive_path

    @classmethod
    def build(cls, settings: Settings) -> Context:
        layout = StateLayout.of(settings)
        layout.ensure()
        return cls(settings=settings, rules=load_rules(settings.rules_dir), layout=layout)
