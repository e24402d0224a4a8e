"""A filed document's key fields — total amount with currency, due date, NPWP — read from its
sidecar record.

They live at the record's top level (`"amount": {"value": 1250000.0, "currency": "IDR"}`,
`"due_date": "2026-12-12"`, `"npwp": "01.234.567.8-901.000"`); a record that has them only in
its classification reasons (`classification.key_fields`, where classify always puts them with
the line each was read from) gives those.
"""

from __future__ import annotations

from typing import Any

KEY_FIELDS = ("amount", "due_date", "npwp")


def key_fields(record: dict[str, Any]) -> dict[str, Any]:
    """{"amount": {"value", "currency", "text"} or None, "due_date": str or None, "npwp": …}"""
    found = (record.get("classification") or {}).get("key_fields") or {}
    out: dict[str, Any] = {}
    for name in KEY_FIELDS:
        if name in record:
            out[name] = record[name]
            continue
        reason = found.get(name)
        if name == "amount":
            out[name] = {k: reason.get(k) for k in ("value", "currency", "text")} \
                if isinstance(reason, dict) else None
        else:
            out[name] = reason.get("value") if isinstance(reason, dict) else None
    return out
