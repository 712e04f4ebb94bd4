"""Where the monitor writes on disk, checked in one place: the data folder, and every ``-o``.

A place that cannot be used is one line naming the path, never a traceback:

* the data folder (``[storage] data_dir``) must be a folder we can write in, or creatable:
  a file in its place, a file on the way to it, or a read-only folder is a ``ConfigError``
  (exit 2) before anything is opened;
* every ``-o`` of every command follows one rule (``output_target``): the parent folder must
  exist (``--parents`` makes it), the result gets the usual permissions (the umask decides,
  as for any file a program writes), and what is there already is replaced in one step, so a
  reader sees the old or the new, never half.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "file").write_text("x")
1
>>> data_folder(root / "file")
Traceback (most recent call last):
...
monitor.errors.ConfigError: storage.data_dir ...file: is a file, not a folder
>>> output_target(root / "missing" / "report.html", parents=False)
Traceback (most recent call last):
...
monitor.errors.BadInput: ...missing/report.html: the folder ...missing does not exist (create it, or add --parents)
"""

from __future__ import annotations

import os
from pathlib import Path

from monitor.errors import BadInput, ConfigError
from monitor.store.blobs import write_atomic


def data_folder(path: Path) -> Path:
    """``path``, made if missing; ``ConfigError`` naming it when it cannot be the data folder."""
    path = Path(path)
    key = "storage.data_dir"
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{key} {path}: is a file, not a folder")
    blocker = _file_on_the_way(path)
    if blocker is not None:
        raise ConfigError(f"{key} {path}: {blocker} is a file, so no folder can be made under it")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{key} {path}: cannot be made ({exc.strerror or exc})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{key} {path}: cannot be written (a read-only filesystem, or no permission)")
    return path


def output_target(path: Path, *, parents: bool) -> Path:
    """Check (or with ``parents``, make) the folder a ``-o`` file or folder goes into."""
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        blocker = _file_on_the_way(path)
        if blocker is not None:
            raise BadInput(f"{path}: {blocker} is a file, not a folder")
        if not parents:
            raise BadInput(f"{path}: the folder {parent} does not exist (create it, or add --parents)")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInput(f"{path}: cannot make the folder {parent} ({exc.strerror or exc})") from None
    return path


def write_output(path: Path, data: bytes, *, parents: bool = False) -> None:
    """Write a ``-o`` file by the rule above (a ``BadInput`` naming the path when it cannot be)."""
    output_target(path, parents=parents)
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; name a file")
    try:
        write_atomic(path, data, shared=True)
    except OSError as exc:
        raise BadInput(f"{path}: cannot write ({exc.strerror or exc})") from None


def _file_on_the_way(path: Path) -> Path | None:
    """The first ancestor of ``path`` that exists and is not a folder, if any."""
    for ancestor in reversed(path.parents):
        if ancestor.exists() and not ancestor.is_dir():
            return ancestor
    return None
