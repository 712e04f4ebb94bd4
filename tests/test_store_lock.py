"""One instance per data folder: a second process is refused with the holder's pid; kill -9 frees it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from monitor.errors import LockHeld
from monitor.store.lock import DataDirLock

HOLDER = textwrap.dedent("""
    import sys, time
    from monitor.store.lock import DataDirLock
    with DataDirLock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
""")


@pytest.fixture
def holder(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def test_a_second_instance_is_refused_naming_the_holder(tmp_path, holder):
    with pytest.raises(LockHeld, match=rf"pid {holder.pid}\b") as err:
        DataDirLock(tmp_path).acquire()
    assert err.value.exit_code == 3
    assert str(tmp_path) in str(err.value)
    # a refused attempt must not wipe the holder's pid from the lock file
    assert (tmp_path / ".lock").read_text().strip() == str(holder.pid)


def test_a_lock_held_by_a_killed_process_is_free_again(tmp_path, holder):
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    with DataDirLock(tmp_path):
        assert (tmp_path / ".lock").read_text().strip() == str(os.getpid())


def test_the_lock_is_free_after_the_block_and_reusable(tmp_path):
    with DataDirLock(tmp_path):
        pass
    with DataDirLock(tmp_path):
        pass


def test_another_process_is_refused_while_we_hold_it(tmp_path):
    probe = textwrap.dedent("""
        import sys
        from monitor.errors import LockHeld
        from monitor.store.lock import DataDirLock
        try:
            DataDirLock(sys.argv[1]).acquire()
        except LockHeld as exc:
            print(exc); sys.exit(exc.exit_code)
    """)
    with DataDirLock(tmp_path):
        child = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True,
                               timeout=60)
    assert child.returncode == 3
    assert f"pid {os.getpid()}" in child.stdout
