"""What each process imports before its first document: every module here is time on the way to
the first document of every run (`arsip ingest`, a worker's start). What only some documents
need is imported by the process that meets the first of them."""

from __future__ import annotations

import subprocess
import sys

from workers.extract.isolation import PRELOAD
from workers.extraction_start import CHILD_MODULES


def imported_after(*modules: str) -> set[str]:
    """The top-level packages in sys.modules after importing `modules` in a fresh Python."""
    code = ("import importlib, sys\n"
            f"for name in {list(modules)!r}: importlib.import_module(name)\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_the_extraction_forkserver_preloads_only_what_every_document_needs() -> None:
    preloaded = imported_after(*[m for m in PRELOAD if m != "__main__"], *CHILD_MODULES)
    assert {"pypdfium2", "tesserocr", "regex"} <= preloaded  # every PDF; classification
    # Scans and photos only (numpy cleans up the page, pytesseract finds its orientation),
    # PDFs PDFium refuses (pdfminer), HEIC photos (pillow-heif):
    assert not preloaded & {"numpy", "pytesseract", "pdfplumber", "pdfminer", "pillow_heif"}


def test_the_worker_leaves_whoosh_to_the_index_writer_process() -> None:
    imported = imported_after("cli.main", "cli.runtime", "cli.startup")
    assert "dramatiq" in imported
    assert not imported & {"whoosh", "numpy", "sklearn", "pdfplumber", "pypdfium2"}
