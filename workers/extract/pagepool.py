"""The OCR of a document's pages on several threads, in page order.

Decoding and rendering stay on the calling thread (PDFium is not thread-safe); each page's OCR
(tesseract, a process of its own) runs on one of `workers` threads. At most `workers` decoded
pages wait for their OCR at once: pages are never all in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from types import TracebackType

from PIL import Image

from config.settings import Settings
from workers.extract.model import PageText
from workers.extract.pageocr import ocr_page

PageWork = PageText | Callable[[], PageText]  # a page read already, or the OCR still to do


class PagePool:
    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ocr")
        self._pages: list[PageText | Future[PageText]] = []

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def add(self, work: PageWork) -> None:
        """Queue one page; wait while `workers` pages are waiting for their OCR."""
        if isinstance(work, PageText):
            self._pages.append(work)
            return
        self._pages.append(self._executor.submit(work))
        waiting = [p for p in self._pages if isinstance(p, Future) and not p.done()]
        if len(waiting) >= self.workers:
            wait(waiting, return_when=FIRST_COMPLETED)

    def pages(self) -> list[PageText]:
        """Every page in order (the first failed OCR raises its error)."""
        return [p if isinstance(p, PageText) else p.result() for p in self._pages]


def ocr_later(gray: Image.Image, number: int, dpi: int, settings: Settings,
              tmp: Path) -> Callable[[], PageText]:
    """The OCR of one decoded page, to run on a pool thread (in a folder of its own under `tmp`;
    the image is closed once read)."""
    folder = tmp / f"page-{number}"
    folder.mkdir()

    def read() -> PageText:
        try:
            return ocr_page(gray, number=number, dpi=dpi, settings=settings, tmp=folder)
        finally:
            gray.close()

    return read
