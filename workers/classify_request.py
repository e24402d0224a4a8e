"""Classification as a picklable request, so that the extraction child classifies the document
it has just read: in parallel with the other documents, off the worker's interpreter lock."""

from __future__ import annotations

import pickle
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from config.rules import RuleSet
from workers.extract.model import Extraction

if TYPE_CHECKING:
    from workers.classify import Classification

_blob_lock = threading.Lock()
_blob_of: tuple[RuleSet, bytes] | None = None  # the worker's side: rules pickled once
_rules_of: tuple[bytes, RuleSet] | None = None  # the child's side: rules unpickled once


def rules_blob(rules: RuleSet) -> bytes:
    """The rules as bytes, pickled once for as long as the worker keeps the same rules."""
    global _blob_of
    with _blob_lock:
        if _blob_of is None or _blob_of[0] is not rules:
            _blob_of = (rules, pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
        return _blob_of[1]


def _rules_from(blob: bytes) -> RuleSet:
    global _rules_of
    if _rules_of is None or _rules_of[0] != blob:
        # Our own bytes, from the worker that started this child, over a private pipe.
        _rules_of = (blob, pickle.loads(blob))
    return _rules_of[1]


@dataclass(frozen=True)
class ClassifyRequest:
    """Everything classify() needs besides the text."""

    rules: bytes  # rules_blob(ctx.rules)
    file_name: str
    file_mtime: float
    folder_tags: tuple[str, ...]
    date_order: str
    today: date

    def __call__(self, extraction: Extraction) -> tuple[Classification, float]:
        """The classification, and the seconds it took."""
        # Imported here: the worker makes requests, the extraction children run them (their
        # forkserver preloads the classifier); the worker's start does without its 15 ms.
        from workers.classify import classify

        started = time.perf_counter()
        decision = classify(extraction.text, rules=_rules_from(self.rules),
                            file_name=self.file_name, file_mtime=self.file_mtime,
                            folder_tags=list(self.folder_tags), date_order=self.date_order,
                            today=self.today)
        return decision, time.perf_counter() - started
