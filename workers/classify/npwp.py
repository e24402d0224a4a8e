"""The NPWP (Indonesian tax number) in both forms.

  15 digits  `01.234.567.8-901.000`, found anywhere in this shape (OCR may space the dash);
             printed without its dots and dash only next to an `NPWP` label
  16 digits  the form in use since 2024 (`0123 4567 8901 2345` or run together), only next to
             an `NPWP` label, because bank accounts and identity numbers look the same

The first NPWP of a document is usually its issuer's (in the letterhead); it is the one kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.classify.lowered import Lowered

DOTTED = re.compile(r"(?<![\d.])(\d{2})\.(\d{3})\.(\d{3})\.(\d)\s?-\s?(\d{3})\.(\d{3})(?![\d])")
LABEL = re.compile(r"\bnpwp\b|\btax\s*(id|number|no)\b|\bnomor\s*pokok\s*wajib\s*pajak\b",
                   re.IGNORECASE)
_LABEL = Lowered(LABEL)
AFTER_LABEL = re.compile(r"^[^\d\n]{0,25}?(?P<v>\d[\d .\-]{13,22}\d)")  # `NPWP Pembeli: …`


@dataclass(frozen=True)
class Npwp:
    value: str  # the 15-digit form dotted, the 16-digit form as 16 digits
    text: str
    line: int


def normalise_npwp(digits: str) -> str | None:
    """`012345678901000` → `01.234.567.8-901.000`; 16 digits stay as they are."""
    if len(digits) == 15:
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"
    if len(digits) == 16:
        return digits
    return None


def _labelled(line: str) -> tuple[str, str] | None:
    for label in LABEL.finditer(line):
        match = AFTER_LABEL.match(line[label.end():])
        if match:
            digits = re.sub(r"\D", "", match["v"])
            value = normalise_npwp(digits)
            if value is not None:
                return value, match["v"].strip()
    return None


def find_npwp(text: str, max_lines: int = 400) -> Npwp | None:
    lines = text.splitlines()[:max_lines]
    with_label = _LABEL.line_numbers(lines)  # one search, not one a line
    for number, line in enumerate(lines):
        labelled = _labelled(line) if number in with_label else None
        if labelled is not None:
            return Npwp(labelled[0], labelled[1], number + 1)
        dotted = DOTTED.search(line)
        if dotted:
            value = normalise_npwp("".join(dotted.groups()))
            assert value is not None
            return Npwp(value, dotted.group(0), number + 1)
    return None
