"""Logging belongs to entry points: only commands configure handlers."""

from __future__ import annotations

import json
import logging
import sys

CHATTY = ("pdfminer", "pdfplumber", "PIL", "watchdog", "dramatiq", "pika", "urllib3")


# Attributes every LogRecord has; anything else came from `extra=` and is a field of its own.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {"time": self.formatTime(record), "level": record.levelname,
                                   "logger": record.name, "message": record.getMessage()}
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in data:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    handler.addFilter(_drop_known_noise)


def _drop_known_noise(record: logging.LogRecord) -> bool:
    """arsip runs the index writer as a dramatiq worker of its own beside the document worker;
    dramatiq warns about the second worker's middleware, which is exactly what is meant."""
    return not (record.name.startswith("dramatiq.broker")
                and "middleware of the same type twice" in record.getMessage())
