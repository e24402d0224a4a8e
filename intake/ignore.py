"""Which inbox entries are not documents: temporary, partial and system files."""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path


def is_ignored(path: Path, inbox: Path, patterns: list[str]) -> bool:
    """True for ignored names, and for anything inside an ignored (e.g. hidden) folder."""
    try:
        parts = path.relative_to(inbox).parts
    except ValueError:
        return True
    return any(fnmatchcase(part, pattern) or fnmatchcase(part.lower(), pattern.lower())
               for part in parts for pattern in patterns)
