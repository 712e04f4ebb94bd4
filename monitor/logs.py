"""Log lines: plain for a terminal, one JSON object per line for journald and log shippers."""

from __future__ import annotations

import json
import logging
import sys
import time


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in getattr(record, "fields", {}).items():
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def own_messages(record: logging.LogRecord) -> bool:
    """Our own lines, and other libraries' errors; their warnings and notes (pypdf's font advice,
    bs4's parser hints, routed here as ``py.warnings``) are not the user's business.

    >>> own_messages(logging.makeLogRecord({"name": "monitor.pipeline", "levelno": logging.INFO}))
    True
    >>> own_messages(logging.makeLogRecord({"name": "pypdf._cmap", "levelno": logging.WARNING}))
    False
    """
    return record.levelno >= logging.ERROR or record.name == "monitor" or record.name.startswith("monitor.")


def setup_logging(fmt: str = "plain", level: int = logging.INFO) -> None:
    """One handler on stderr, showing only ``own_messages`` unless at DEBUG level (``-v``)."""
    handler = logging.StreamHandler(sys.stderr)
    if level > logging.DEBUG:
        handler.addFilter(own_messages)
        logging.captureWarnings(True)  # a library's warnings.warn, filtered like its log lines
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic narrates its context on every open; monitor.store.migrate logs the upgrade itself
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
