"""The Whoosh schema, its version stamp, and opening the index."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from index.analysis import bilingual_analyzer, plain_analyzer
from index.word_formats import with_word_formats

log = logging.getLogger(__name__)

# 8: words once each, codes without plain numbers, dates not indexed. The text fields'
# formats of index.word_formats (since 8, without a new version: the same postings; an index
# made before keeps whoosh's, and gets these at its next rebuild).
SCHEMA_VERSION = 8
STAMP = "arsip-schema.json"
# Codes people type as printed: INV/2026/0042, BX-275045, 01.234.567.8-901.000.
CODE = re.compile(r"\b[A-Za-z0-9]+(?:[/.\-][A-Za-z0-9]+)+\b")


def build_schema() -> Schema:
    text = bilingual_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=STORED,
        title=with_word_formats(TEXT(analyzer=text, stored=True, field_boost=2.0)),
        content=with_word_formats(TEXT(analyzer=text, stored=True)),
        words=with_word_formats(TEXT(analyzer=plain_analyzer(), phrase=False)),
        codes=KEYWORD(lowercase=True, scorable=True),
        type=ID(stored=True),
        correspondent=with_word_formats(TEXT(analyzer=text, stored=True)),
        correspondent_exact=ID(stored=False),
        tag=KEYWORD(stored=True, commas=True, lowercase=True),
        number=KEYWORD(stored=True, lowercase=True),
        amount=NUMERIC(float, stored=True),  # whoosh cannot make a float column sortable
        currency=KEYWORD(stored=True, lowercase=True),
        due=date_column(),
        npwp=KEYWORD(stored=True),  # as printed and as digits only
        year=ID(stored=False),
        created=date_column(),
        added=date_column(),
        # The same dates as day numbers, for ranges: a range over a DATETIME (microseconds,
        # 64 bits) expands into hundreds of terms, half a year of `created` into ~600 at
        # 100,000 documents (0.2 s a query); over days, a few dozen.
        created_day=day_field(),
        added_day=day_field(),
        due_day=day_field(),
    )


def date_column() -> DATETIME:
    """A date kept for showing and sorting, without index terms: queries on dates search the
    day fields (index.date_terms), and the eight terms whoosh writes for each DATETIME value
    were a sixth of the terms a batch of 400 documents wrote."""
    field = DATETIME(stored=True, sortable=True)
    field.indexed = False  # an instance attribute: pickled with the schema, no class of ours
    return field


def day_field() -> NUMERIC:
    """A date as its day number (date.toordinal()), for ranges."""
    return NUMERIC(int, bits=32, shift_step=4)


OCR_FOLD = str.maketrans({"o": "0", "i": "1", "l": "1"})


def fold_code(code: str) -> str:
    """OCR confuses O/0 and I/l/1 in reference numbers: compare codes with those folded."""
    return code.lower().translate(OCR_FOLD)


SEPARATOR = re.compile(r"[/.\-]")


def is_dotted_number(code: str) -> bool:
    """Digits and dots only: an amount (1.250.000) or a date (27.11.2026)."""
    return code.replace(".", "").isdigit()


def codes_in(text: str) -> str:
    """Every code in the text, as printed and folded (INV/XI/2026 also as 1nv/x1/2026), and
    without leading segments, so that a label glued on (`No.202605-008661`) does not hide it.
    Not numbers of digits and dots (`1.250.000`, `27.11.2026`): `content` keeps those whole
    (index.analysis.WORD). With their tails (`250.000`) they were 23,000 of the 24,000 codes
    of 400 generated invoices and letters, and a third of all the terms written for them.
    One that OCR misread (`13.299.OOO`) is kept, as read and folded, without tails."""
    found: set[str] = set()
    for match in CODE.finditer(text):
        code = match.group(0).lower()
        if is_dotted_number(fold_code(code)):
            if not is_dotted_number(code):
                found.add(code)  # misread by OCR (13.299.OOO): as read and folded, no tails
            continue
        found.add(code)
        for cut in SEPARATOR.finditer(code):
            rest = code[cut.end():]
            if SEPARATOR.search(rest) and any(ch.isdigit() for ch in rest):
                found.add(rest)
    return " ".join(sorted(found | {fold_code(c) for c in found}))


def open_index(index_dir: Path, *, create: bool = True) -> whoosh_index.Index:
    """Open the index; create it, or rebuild an outdated one (the caller reindexes)."""
    stamp = index_dir / STAMP
    if whoosh_index.exists_in(str(index_dir)):
        try:
            version = json.loads(stamp.read_text()).get("version")
        except (OSError, ValueError):
            version = None
        if version == SCHEMA_VERSION or not create:
            return _without_mmap(whoosh_index.open_dir(str(index_dir)))
        log.warning("index schema changed (%s → %s): rebuilding it from the sidecars",
                    version, SCHEMA_VERSION)
        shutil.rmtree(index_dir)
    if not create:
        raise FileNotFoundError(str(index_dir))
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    stamp.write_text(json.dumps({"version": SCHEMA_VERSION}))
    return _without_mmap(ix)


def _without_mmap(ix: whoosh_index.Index) -> whoosh_index.Index:
    """Read the index through plain files: with mmap, whoosh copies every part of a compound
    segment it opens into memory (the whole stored text, the whole postings file), which at
    100,000 documents costs seconds per search and gigabytes for `arsip check`."""
    ix.storage.supports_mmap = False
    return ix


def index_is_fresh(index_dir: Path) -> bool:
    try:
        return json.loads((index_dir / STAMP).read_text()).get("version") == SCHEMA_VERSION
    except (OSError, ValueError):
        return False
