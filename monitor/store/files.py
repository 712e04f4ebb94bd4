"""Whole folders replaced at once: build a new tree beside the old one, then swap.

The static site is served straight from its folder, so a reader (or a web server) must
see either the previous build or the next one, never a mix. A build writes into a
*staging* folder next to the target (same filesystem, so a rename can move it), then
``swap_in`` exchanges the two names in one ``renameat2(RENAME_EXCHANGE)`` call where the
kernel offers it; elsewhere two renames leave the target absent for an instant but never
half-built. Unchanged files are hard-linked from the previous build instead of rewritten,
so an incremental build costs only what changed.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with FolderBuild(root / "site") as build:
...     build.write("index.html", b"<p>eerste</p>")
...     build.commit()
>>> with FolderBuild(root / "site") as build:
...     reused = build.reuse("index.html")
...     build.write("feed.atom", b"<feed/>")
...     build.commit()
>>> sorted(p.name for p in (root / "site").iterdir()), sorted(p.name for p in root.iterdir())
(['feed.atom', 'index.html'], ['.site.lock', 'site'])
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import time
from pathlib import Path, PurePosixPath

from monitor.errors import BadInput
from monitor.store.blobs import _fsync_dir

_STAGE_MARK = ".build-"
_OLD_MARK = ".old-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class FolderBuild:
    """A new version of the folder ``target``, staged beside it until ``commit``.

    Builds of the same target wait for each other (an advisory lock next to it). Leaving
    the ``with`` block without ``commit`` (an error during the build) removes the staging
    folder and leaves the target exactly as it was.
    """

    def __init__(self, target: Path, *, marker: str | None = None):
        """``marker``: a file name the target must contain if it exists and is not empty,
        so a mistyped ``-o`` never replaces a folder this program did not make."""
        # a symlinked site folder stays a symlink: the folder it points to is the one replaced
        self.target = Path(target).resolve()
        self.marker = marker
        self.stage: Path | None = None
        self._lock_fd: int | None = None
        self._committed = False

    def __enter__(self) -> FolderBuild:
        parent = self.target.parent
        if self.target.exists() and not self.target.is_dir():
            raise BadInput(f"{self.target}: exists and is not a folder")
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent / f".{self.target.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)  # a concurrent build of the same folder finishes first
        self._lock_fd = fd
        try:
            self._check_target()
            _remove_leftovers(parent, self.target.name)
            # the usual permissions (0777 less the umask), not mkdtemp's 0700 that hides the site from a web server
            self.stage = parent / f".{self.target.name}{_STAGE_MARK}{secrets.token_hex(6)}"
            os.mkdir(self.stage, 0o777)
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if not self._committed and self.stage is not None:
                shutil.rmtree(self.stage, ignore_errors=True)
        finally:
            self._unlock()

    def _check_target(self) -> None:
        if self.marker is None or not self.target.is_dir():
            return
        if any(self.target.iterdir()) and not (self.target / self.marker).is_file():
            raise BadInput(f"{self.target}: folder is not empty and was not made by dossier-monitor "
                           f"(no {self.marker}); choose a new or empty folder")

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing drops the flock
            self._lock_fd = None

    def _staged(self, relpath: str) -> Path:
        assert self.stage is not None, "use FolderBuild in a with block"
        parts = PurePosixPath(relpath).parts
        if not parts or PurePosixPath(relpath).is_absolute() or any(p in ("..", ".") for p in parts):
            raise ValueError(f"not a relative path inside the folder: {relpath!r}")
        return self.stage.joinpath(*parts)

    def write(self, relpath: str, data: bytes) -> None:
        """Write one file of the new version (durable before ``commit`` swaps it in)."""
        path = self._staged(relpath)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def reuse(self, relpath: str) -> bool:
        """Carry an unchanged file over from the current version; False when it is not there."""
        source = self.target.joinpath(*PurePosixPath(relpath).parts)
        path = self._staged(relpath)
        if not source.is_file():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, path)
        except OSError:  # a filesystem without hard links: copy instead
            shutil.copy2(source, path)
        return True

    def commit(self) -> None:
        """Put the staged folder in place of the target; the previous version is removed."""
        assert self.stage is not None
        for folder in {p.parent for p in self.stage.rglob("*")} | {self.stage}:
            _fsync_dir(folder)
        old = _swap_in(self.stage, self.target)
        self._committed = True
        _fsync_dir(self.target.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _swap_in(stage: Path, target: Path) -> Path | None:
    """Move ``stage`` to ``target``; return where the previous target now is (to delete)."""
    if not target.exists():
        os.rename(stage, target)
        return None
    if _exchange(stage, target):
        return stage
    # no atomic exchange here: move the old one aside, the new one in (target briefly absent)
    old = target.with_name(f".{target.name}{_OLD_MARK}{os.getpid()}-{time.monotonic_ns()}")
    os.rename(target, old)
    os.rename(stage, target)
    return old


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the filesystem or kernel cannot exchange
    raise OSError(err, os.strerror(err), str(b))


def _remove_leftovers(parent: Path, name: str) -> None:
    """Staging and old folders that a killed build left behind (we hold the lock: none is in use)."""
    for marker in (_STAGE_MARK, _OLD_MARK):
        for leftover in parent.glob(f".{name}{marker}*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
