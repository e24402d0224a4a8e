"""One root error, two families: the document's fault and the world's fault.

Each error carries a message that tells a person what happened and what to do.
What an error *means* (quarantine, retry, exit code) is decided in one place:
the actor boundary (`workers.actors`) or the command boundary (`cli.main`).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the `arsip` command; documented in README.md."""

    ok = 0
    failure = 1
    usage = 2
    bad_config = 3
    missing_dependency = 4
    bad_folders = 5
    broker_unreachable = 6
    not_found = 7
    index_error = 8
    bad_query = 9
    interrupted = 130


class ArsipError(Exception):
    """Root of every error arsip raises on purpose."""

    exit_code: ExitCode = ExitCode.failure
    advice: str = ""

    def __init__(self, message: str, *, advice: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if advice is not None:
            self.advice = advice

    def __str__(self) -> str:
        return f"{self.message}. {self.advice}" if self.advice else self.message


# --- the document's fault: quarantine, never retry automatically -------------------------


class BadDocument(ArsipError):
    """The file itself cannot be processed; it is quarantined with this reason."""

    kind = "bad_document"
    advice = "Check the file; after fixing it, drop it into the inbox again or run `arsip retry ID`"


class EmptyDocument(BadDocument):
    kind = "empty"
    advice = "Save or scan it again and drop the new copy into the inbox"


class EncryptedDocument(BadDocument):
    kind = "password_protected"
    advice = (
        "Remove the password (print it to PDF, or "
        "`qpdf --decrypt --password=… in.pdf out.pdf`) and drop the unprotected copy into the inbox"
    )


class CorruptDocument(BadDocument):
    kind = "corrupt"
    advice = "The file is damaged or truncated. Export or scan it again and drop the new copy in"


class UnsupportedDocument(BadDocument):
    kind = "unsupported"
    advice = (
        "arsip reads PDF, PNG, JPEG, TIFF, GIF, WebP, BMP, JPEG 2000 and plain-text files. "
        "Convert the file to PDF and drop it into the inbox"
    )


class TooLargeDocument(BadDocument):
    kind = "too_large"
    advice = (
        "The file is over a configured limit (max_file_mb, max_pages or max_pixels). Split or "
        "downscale it, or raise the limit in arsip.toml and run `arsip retry ID`"
    )


class OcrTimeout(BadDocument):
    kind = "ocr_timeout"
    advice = (
        "OCR took longer than ocr_timeout_seconds on one page. Scan at 300 dpi, or raise "
        "ocr_timeout_seconds and run `arsip retry ID`"
    )


class OcrFailed(BadDocument):
    kind = "ocr_failed"
    advice = "tesseract could not read this file. Check that the languages are installed " \
        "(`tesseract --list-langs`), then run `arsip retry ID`"


class InternalError(BadDocument):
    kind = "internal_error"
    advice = (
        "arsip hit an unexpected error on this file; it is kept safe in failed/. "
        "Please report it with the reason file, then run `arsip retry ID`"
    )


# --- the world's fault: retry with backoff, never quarantine for good --------------------


class Transient(ArsipError):
    """Something outside the document failed (disk, broker, lock); it is retried."""

    advice = "arsip retries this by itself; if it persists, check disk space, Redis and permissions"


class IndexBusy(Transient):
    exit_code = ExitCode.index_error
    advice = "Another process is writing the index; try again in a moment"


class BrokerUnavailable(Transient):
    exit_code = ExitCode.broker_unreachable
    advice = (
        "Start Redis (e.g. `redis-server --daemonize yes`), or unset ARSIP_BROKER_URL to run "
        "embedded without Redis"
    )


# --- the set-up's fault: fail once at start-up with one clear message ----------------------


class SetupError(ArsipError):
    """The installation or configuration is wrong; checked once at start-up."""


class ConfigError(SetupError):
    exit_code = ExitCode.bad_config


class MissingDependency(SetupError):
    exit_code = ExitCode.missing_dependency


class FolderError(SetupError):
    exit_code = ExitCode.bad_folders


class NotFound(ArsipError):
    exit_code = ExitCode.not_found


class QueryError(ArsipError):
    exit_code = ExitCode.bad_query
    advice = (
        'Check the query: close quotes and brackets, write dates as YYYY-MM-DD, e.g. '
        '`arsip search \'faktur created:[2026-01-01 to 2026-03-31]\'`'
    )


class IndexError_(ArsipError):
    exit_code = ExitCode.index_error
    advice = "Rebuild the index from the sidecars with `arsip reindex`"
