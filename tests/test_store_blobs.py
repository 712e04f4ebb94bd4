"""Blobs: content-addressed, gzip on disk, byte-exact back, atomic even when the writer dies."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.store.blobs import BlobStore, CorruptBlob


def test_a_blob_lives_under_its_hash_compressed(tmp_path):
    blobs = BlobStore(tmp_path)
    data = "Oekraïne, coördinatie, € 5 miljoen – \r\n".encode() * 50
    digest = blobs.put(data)
    path = tmp_path / digest[:2] / digest[2:4] / f"{digest}.gz"
    assert digest == hashlib.sha256(data).hexdigest()
    assert path.is_file() and gzip.decompress(path.read_bytes()) == data
    assert path.stat().st_size < len(data)


def test_putting_the_same_bytes_again_does_not_write(tmp_path):
    blobs = BlobStore(tmp_path)
    digest = blobs.put(b"same")
    path = blobs.path_for(digest)
    before = path.stat()
    assert blobs.put(b"same") == digest
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_no_temporary_files_are_left_behind(tmp_path):
    blobs = BlobStore(tmp_path)
    for i in range(20):
        blobs.put(f"blob {i}".encode())
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.endswith(".gz")]
    assert leftovers == []
    assert len(list(tmp_path.rglob("*.gz"))) == 20


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=4096))
def test_every_byte_string_comes_back_exactly(tmp_path_factory, data):
    blobs = BlobStore(tmp_path_factory.mktemp("blobs"))
    assert blobs.get(blobs.put(data)) == data


def test_paths_are_only_built_from_hex_digests(tmp_path):
    blobs = BlobStore(tmp_path)
    for bad in ["../../etc/passwd", "kst-28676-474", "A" * 64, "0" * 63, "0" * 64 + "/.."]:
        with pytest.raises(ValueError):
            blobs.path_for(bad)


def test_a_damaged_blob_is_reported_not_returned(tmp_path):
    blobs = BlobStore(tmp_path)
    digest = blobs.put(b"original")
    blobs.path_for(digest).write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(CorruptBlob, match="does not match its hash"):
        blobs.get(digest)
    blobs.path_for(digest).unlink()
    with pytest.raises(CorruptBlob, match="missing"):
        blobs.get(digest)


@pytest.mark.parametrize("crash_point", ["fsync", "replace"])
def test_a_writer_killed_mid_write_leaves_no_partial_blob(tmp_path, crash_point):
    # the child dies (os._exit: no cleanup, no flush of anything pending) after the data went
    # into the temporary file, just before it would have been made durable or renamed
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from monitor.store.blobs import BlobStore
        def die(*args, **kwargs):
            os._exit(9)
        os.{crash_point} = die
        BlobStore(Path(sys.argv[1])).put(b"x" * 1_000_000)
    """)
    child = subprocess.run([sys.executable, "-c", script, str(tmp_path)], timeout=60)
    assert child.returncode == 9
    blobs = BlobStore(tmp_path)
    digest = hashlib.sha256(b"x" * 1_000_000).hexdigest()
    assert not blobs.has(digest)
    assert list(tmp_path.rglob("*.gz")) == []
    # the next run stores it whole
    assert blobs.get(blobs.put(b"x" * 1_000_000)) == b"x" * 1_000_000


def test_blob_folder_layout_has_no_identifier_in_it(tmp_path):
    blobs = BlobStore(tmp_path)
    digest = blobs.put(b"<kst-28676-474/>")
    assert Path(blobs.path_for(digest)).relative_to(tmp_path).parts == (digest[:2], digest[2:4], f"{digest}.gz")


def test_old_leftovers_of_a_killed_writer_are_swept_young_ones_kept(tmp_path):
    blobs = BlobStore(tmp_path)
    folder = tmp_path / "ab" / "cd"
    folder.mkdir(parents=True)
    old, young = folder / ".tmp-old.part", folder / ".tmp-young.part"
    old.write_bytes(b"half")
    young.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert blobs.remove_stale_temporaries() == 1
    assert not old.exists() and young.exists()
