"""What each process imports before its first document: every module here is time on the way to
the first document of every run (`arsip ingest`, a worker's start). What only some documents
need is imported by the process that meets the first of them."""

from __future__ import annotations

import subprocess
import sys

from workers.extract.isolation import PRELOAD
from workers.extraction_start import CHILD_MODULES


def imported_after(*modules: str) -> set[str]:
    """The modules in sys.modules, and their top-level packages, after importing `modules` in
    a fresh Python."""
    code = ("import importlib, sys\n"
            f"for name in {list(modules)!r}: importlib.import_module(name)\n"
            "print(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split()) | {name.split(".")[0] for name in out.split()}


def test_the_extraction_forkserver_preloads_only_what_every_document_needs() -> None:
    preloaded = imported_after(*[m for m in PRELOAD if m != "__main__"], *CHILD_MODULES)
    assert {"pypdfium2", "tesserocr", "workers.classify"} <= preloaded  # every PDF, classifying
    # Scans and photos only (numpy cleans up the page, pytesseract finds its orientation),
    # PDFs PDFium refuses (pdfminer), HEIC photos (pillow-heif):
    assert not preloaded & {"numpy", "pytesseract", "pdfplumber", "pdfminer", "pillow_heif"}


def test_the_worker_leaves_whoosh_and_the_classifier_to_its_child_processes() -> None:
    imported = imported_after("cli.main", "cli.runtime", "cli.startup")
    assert "dramatiq" in imported
    assert not imported & {"whoosh", "numpy", "sklearn", "pdfplumber", "pypdfium2"}
    assert "workers.classify" not in imported  # the extraction children classify
