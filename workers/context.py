"""What every stage needs, built once per process at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config.rules import RuleSet, load_rules
from config.settings import Settings
from intake.state import StateLayout
from workers.learning import AutoClassifier


def model_dir(layout: StateLayout) -> Path:
    return layout.root / "model"


@dataclass(frozen=True)
class Context:
    settings: Settings
    rules: RuleSet
    layout: StateLayout
    auto: AutoClassifier | None = None

    @property
    def archive(self) -> Path:
        return self.settings.archive_path

    @classmethod
    def build(cls, settings: Settings) -> Context:
        layout = StateLayout.of(settings)
        layout.ensure()
        auto = AutoClassifier(model_dir(layout), settings.auto_min_confidence) \
            if settings.auto_classify else None
        return cls(settings=settings, rules=load_rules(settings.rules_dir), layout=layout,
                   auto=auto)
