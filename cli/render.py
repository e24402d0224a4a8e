"""Human output: tables that fit the terminal, colour only on a terminal."""

from __future__ import annotations

import shutil
import sys
from typing import Any

BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"


def colour_enabled() -> bool:
    return sys.stdout.isatty()


def emphasise(snippet: str) -> str:
    """Turn ** … ** marks into bold on a terminal, leave them as they are elsewhere."""
    if not colour_enabled():
        return snippet
    parts = snippet.split("**")
    return "".join(f"{BOLD}{p}{RESET}" if i % 2 else p for i, p in enumerate(parts))


def fit(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def hits_table(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return "No documents found."
    width = shutil.get_terminal_size((100, 24)).columns
    lines = []
    for n, hit in enumerate(hits, start=1):
        head = (f"{n:>2}. {hit['created'] or '----------'}  {hit['type']:<14} "
                f"{fit(hit['correspondent'] or 'unknown', 24):<24} ")
        title = fit(hit["title"], max(10, width - len(head)))
        lines.append(f"{BOLD if colour_enabled() else ''}{head}{title}"
                     f"{RESET if colour_enabled() else ''}")
        lines.append(f"    {hit['path']}")
        if hit.get("snippet"):
            lines.append(f"    {emphasise(fit(hit['snippet'], max(20, width * 2 - 8)))}")
        lines.append(f"    id {hit['id']}  score {hit['score']}"
                     + (f"  tags {', '.join(hit['tags'])}" if hit["tags"] else ""))
    return "\n".join(lines)


def key_values(pairs: list[tuple[str, Any]]) -> str:
    width = max(len(k) for k, _ in pairs)
    return "\n".join(f"{k:<{width}}  {'' if v is None else v}" for k, v in pairs)


def facets_table(facets: dict[str, dict[str, int]]) -> str:
    lines = []
    for name, counts in facets.items():
        shown = ", ".join(f"{key} {count}" for key, count in list(counts.items())[:12])
        lines.append(f"{name:<14} {shown or '-'}")
    return "\n".join(lines)


def key_field_rows(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """`amount`, `due date` and `NPWP` rows for `arsip show` and `arsip explain` (empty
    values shown as `-`)."""
    from arsip.money import format_amount

    return [("amount", format_amount(fields.get("amount")) or "-"),
            ("due date", fields.get("due_date") or "-"),
            ("NPWP", fields.get("npwp") or "-")]

