"""Starting the extraction processes' forkserver, with what its children import."""

from __future__ import annotations

from workers.extract.isolation import warm_up

# Classification runs in the extraction children too (workers.classify_request, which
# imports the classifier itself only when it runs).
CHILD_MODULES = ("workers.classify_request", "workers.classify")


def start_extraction() -> None:
    """Start the forkserver now (idempotent): its imports run beside the caller's own."""
    warm_up(preload=CHILD_MODULES)
