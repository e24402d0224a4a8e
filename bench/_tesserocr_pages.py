"""The limit for arsip's own OCR engine: tesseract's library through tesserocr, one engine per
process, one process per core, each page read as plain text (no word table, no preparation).

    python bench/_tesserocr_pages.py --processes 2 --languages ind+eng --tessdata DIR PAGE...
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from typing import Any

_api: Any = None


def _start(tessdata: str, languages: str) -> None:
    global _api
    import tesserocr

    _api = tesserocr.PyTessBaseAPI(path=tessdata, lang=languages)


def _read(page: str) -> int:
    _api.SetImageFile(page)
    return len(_api.GetUTF8Text())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, required=True)
    parser.add_argument("--languages", required=True)
    parser.add_argument("--tessdata", required=True)
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    with multiprocessing.get_context("fork").Pool(
            args.processes, initializer=_start, initargs=(args.tessdata, args.languages)) as pool:
        empty = sum(1 for n in pool.imap_unordered(_read, args.pages) if n == 0)
    return 1 if empty else 0


if __name__ == "__main__":
    sys.exit(main())
