"""Content-addressed blobs: the raw bytes of every fetched manifestation, gzip-compressed.

A blob lives at ``<root>/ab/cd/<sha256>.gz`` where the hash is of the *raw* bytes, so equal
content is stored once and a blob can always be checked against its name. Paths are built
only from validated hex digests, never from identifiers or URLs. Writes are atomic (temp
file in the same folder, fsync, rename, fsync of the folder): after a crash a blob is either
complete under its final name or absent.

>>> import tempfile
>>> blobs = BlobStore(Path(tempfile.mkdtemp()))
>>> digest = blobs.put(b"<officiele-publicatie/>")
>>> digest[:12], blobs.get(digest)
('cc6e4d9c9d0b', b'<officiele-publicatie/>')
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from monitor.errors import BadInput, MonitorError, StorageError

_HEX64 = re.compile(r"[0-9a-f]{64}")
IDENTIFIER = re.compile(r"[a-z]+-[0-9A-Za-z-]+")
_TMP_PREFIX, _TMP_SUFFIX = ".tmp-", ".part"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_identifier(identifier: str) -> str:
    """Refuse anything that is not a publisher identifier such as ``kst-28676-187-n1``.

    >>> check_identifier("kst-28676-187-n1")
    'kst-28676-187-n1'
    >>> check_identifier("../etc/passwd")
    Traceback (most recent call last):
    ...
    monitor.errors.BadInput: not a publication identifier: '../etc/passwd' (expected e.g. kst-28676-474)
    """
    if not isinstance(identifier, str) or not IDENTIFIER.fullmatch(identifier):
        raise BadInput(f"not a publication identifier: {identifier!r} (expected e.g. kst-28676-474)")
    return identifier


class CorruptBlob(MonitorError):
    """A stored blob is missing or does not hash to its name: the data folder was damaged."""


class BlobStore:
    """Blobs under one folder; ``put`` is idempotent, ``get`` returns the bytes exactly."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, digest: str) -> Path:
        if not _HEX64.fullmatch(digest):
            raise ValueError(f"not a sha256 hex digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / f"{digest}.gz"

    def has(self, digest: str) -> bool:
        return self.path_for(digest).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` (if not stored yet) and return its sha256 hex digest."""
        digest = sha256_hex(data)
        path = self.path_for(digest)
        if not path.is_file():
            try:
                # mtime=0 keeps the compressed bytes a function of the content alone
                write_atomic(path, gzip.compress(data, compresslevel=6, mtime=0))
            except OSError as exc:  # the disk is full, the folder went read-only: nothing half-written stays
                raise StorageError(f"cannot write snapshot blob {path}: {exc.strerror or exc}") from None
        return digest

    def remove_stale_temporaries(self, older_than_seconds: float = 3600) -> int:
        """Delete temporary files a killed writer left behind; return how many.

        Only old ones: a younger temporary file may belong to a writer that is still running.
        """
        cutoff = time.time() - older_than_seconds
        removed = 0
        for tmp in self.root.glob(f"*/*/{_TMP_PREFIX}*{_TMP_SUFFIX}"):
            try:
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
        return removed

    def get(self, digest: str) -> bytes:
        path = self.path_for(digest)
        try:
            data = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise CorruptBlob(f"snapshot blob {digest} is missing from {self.root}") from None
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise CorruptBlob(f"snapshot blob {digest} cannot be read ({exc})") from None
        if sha256_hex(data) != digest:
            raise CorruptBlob(f"snapshot blob {digest} does not match its hash: the data folder is damaged")
        return data


def write_atomic(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one.

    The file is private to its owner (0600), or with ``shared`` has the usual permissions: 0666
    less the umask, as the user's own programs make them.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if shared:
        tmp = str(path.parent / f"{_TMP_PREFIX}{secrets.token_hex(8)}{_TMP_SUFFIX}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the kernel applies the umask
    else:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # the rename is only durable once the folder entry itself reaches the disk
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the rename is still atomic
    finally:
        os.close(fd)
