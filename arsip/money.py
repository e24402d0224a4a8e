"""Money as documents print it and people type it: `1.250.000`, `1.250.000,00`,
`1,250,000.00`, `12.50`, `45,93`."""

from __future__ import annotations

from typing import Any


def parse_number(text: str) -> float | None:
    """`1.250.000` → 1250000, `1.250.000,00` → 1250000, `1,250,000.00` → 1250000,
    `12.50` → 12.5, `45,93` → 45.93: three digits after a lone separator group thousands."""
    digits = text.strip().rstrip("-").rstrip(",")
    separators = [ch for ch in digits if ch in ".,"]
    if not separators:
        return float(digits) if digits.isdigit() else None
    last = max(digits.rfind("."), digits.rfind(","))
    tail = digits[last + 1:]
    decimal = len(tail) in (1, 2) or (len(set(separators)) == 2)
    if decimal:
        whole, fraction = digits[:last], tail
    else:
        whole, fraction = digits, ""
    whole = whole.replace(".", "").replace(",", "")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return float(f"{whole}.{fraction}" if fraction else whole)


def format_amount(amount: dict[str, Any] | None) -> str | None:
    """`IDR 1,250,000` or `USD 12.50` (whole amounts without cents), None without an amount."""
    if not amount or not isinstance(amount.get("value"), (int, float)):
        return None
    value = float(amount["value"])
    shown = f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return f"{amount.get('currency') or ''} {shown}".strip()
