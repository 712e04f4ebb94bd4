"""One writer per data folder: an advisory ``flock`` on ``<data_dir>/.lock``.

The kernel drops a ``flock`` when its holder dies, even after ``kill -9``, so a stale lock
never needs cleaning up. The file holds the holder's pid, only to name it in the message.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from monitor.errors import LockHeld
from monitor.store.places import data_folder

LOCK_NAME = ".lock"


class DataDirLock:
    """``with DataDirLock(data_dir): …`` — raises ``LockHeld`` at once if another process holds it."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        data_folder(self.path.parent)
        # no O_TRUNC: the holder's pid must survive our failed attempt
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "another process"
            raise LockHeld(f"the data folder {self.path.parent} is in use by another dossier-monitor "
                           f"({who}); wait for it to finish or stop it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # the pid stays in the file; it means nothing without the flock
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
