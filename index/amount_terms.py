"""Amount clauses in queries, written the way people write money: `amount:>1.000.000`,
`amount:[1,000,000 to 2,000,000]`, `amount:<=12.50`, `amount:>1jt` (juta), `amount:500rb`.

Whoosh reads only plain numbers in a NUMERIC field (and silently drops the clause otherwise),
so each bound is rewritten to one: `amount:>1000000`.
"""

from __future__ import annotations

import re

from arsip.errors import QueryError
from arsip.money import parse_number

CLAUSE = re.compile(r"\bamount:(?P<op>[<>]=?)?(?P<value>\[[^\]]*\]|\S+)", re.IGNORECASE)
SCALE = {"jt": 1e6, "juta": 1e6, "m": 1e6, "rb": 1e3, "ribu": 1e3, "k": 1e3, "": 1.0}
BOUND = re.compile(r"^(?P<n>\d[\d.,]*)\s*(?P<unit>jt|juta|rb|ribu|k|m)?$", re.IGNORECASE)


def _plain(value: str, clause: str) -> str:
    value = value.strip()
    if not value:
        return ""
    match = BOUND.match(value)
    number = parse_number(match["n"]) if match else None
    if match is None or number is None:
        raise QueryError(f"cannot read the amount {value!r} in {clause}",
                         advice="Write amount:>1000000, amount:[1.000.000 to 2.000.000] "
                         "or amount:>1jt")
    number *= SCALE[(match["unit"] or "").lower()]
    return f"{number:.2f}".rstrip("0").rstrip(".")


def rewrite_amounts(text: str) -> str:
    """The query with every amount clause's numbers plain."""
    def replace(match: re.Match[str]) -> str:
        clause, value, op = match.group(0), match["value"], match["op"] or ""
        if value.startswith("[") and value.endswith("]"):
            pieces = re.split(r"\s+to\s+|^to\s+|\s+to$", value[1:-1].strip(), maxsplit=1,
                              flags=re.IGNORECASE)
            if len(pieces) != 2:
                raise QueryError(f"{clause}: write a range as [FROM to TO]")
            low, high = (_plain(p, clause) for p in pieces)
            return f"amount:[{low} to {high}]".replace("[ to", "[to").replace(" to ]", " to]")
        return f"amount:{op}{_plain(value, clause)}"

    return CLAUSE.sub(replace, text)
