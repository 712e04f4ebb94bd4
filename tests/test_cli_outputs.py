"""One rule for every ``-o`` (``snapshots export``, ``diff``, ``site``): the folder it goes into must
exist (or ``--parents``), what is written gets the usual permissions (the umask decides), and what
was there is replaced in one step: a reader holding the old file still reads it whole."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import Config
from monitor.model import Fetched, Publication
from monitor.store import Store
from tests.conftest import FIXTURES

PAIR = [str(FIXTURES / "pairs" / "agenda-2025.old.txt"), str(FIXTURES / "pairs" / "agenda-2025.new.txt")]
XML = b"<officiele-publicatie><kamerstuk><al>Nederland steunt Oekraine.</al></kamerstuk></officiele-publicatie>"


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    path = tmp_path / "monitor.toml"
    path.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    pub = Publication("kst-28676-474", "28676", "474", "Geannoteerde agenda", "Brief", dt.date(2024, 11, 22),
                      dt.date(2024, 11, 22), None)
    with Store.open(Config.load(path)) as store, store.transaction() as conn:
        store.record_publication(conn, pub, [Fetched("xml", "https://example.org/474.xml", XML,
                                                     dt.datetime(2024, 11, 22, tzinfo=dt.UTC))],
                                 series="fmm-agenda", meeting_date=None)
    return path


COMMANDS = {
    "snapshots export": lambda target: ["snapshots", "export", "kst-28676-474", "-o", str(target)],
    "diff": lambda target: ["diff", *PAIR, "--format", "html", "-o", str(target)],
    "site": lambda target: ["site", "-o", str(target)],
}


def dossier_monitor(config: Path, args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), *args])
    return exit_.value.code, capsys.readouterr().err


@pytest.fixture
def umask():
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_into_a_missing_folder_is_refused_unless_parents_is_given(config, tmp_path, capsys, command):
    target = tmp_path / "nonexistent" / "deeper" / "out"
    code, err = dossier_monitor(config, COMMANDS[command](target), capsys)
    assert code == 2
    assert err == (f"dossier-monitor: {target}: the folder {target.parent} does not exist "
                   "(create it, or add --parents)\n")
    assert not (tmp_path / "nonexistent").exists()

    code, err = dossier_monitor(config, [*COMMANDS[command](target), "--parents"], capsys)
    assert code == 0, err
    assert target.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_output_under_a_file_is_refused_with_one_line(config, tmp_path, capsys, command):
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "out"
    code, err = dossier_monitor(config, [*COMMANDS[command](target), "--parents"], capsys)
    assert (code, err) == (2, f"dossier-monitor: {target}: {tmp_path / 'a-file'} is a file, not a folder\n")
    assert (tmp_path / "a-file").read_text() == "not a folder"


@pytest.mark.parametrize("command", COMMANDS)
def test_outputs_get_the_usual_permissions_of_the_umask(config, tmp_path, capsys, umask, command):
    target = tmp_path / "out"
    assert dossier_monitor(config, COMMANDS[command](target), capsys)[0] == 0
    files = [p for p in target.rglob("*") if p.is_file()] if target.is_dir() else [target]
    assert files and {mode(f) for f in files} == {0o666 & ~umask}
    folders = [target, *(p for p in target.rglob("*") if p.is_dir())] if target.is_dir() else []
    assert {mode(d) for d in folders} <= {0o777 & ~umask}


@pytest.mark.parametrize("command", ["snapshots export", "diff"])
def test_an_existing_output_file_is_replaced_in_one_step(config, tmp_path, capsys, command):
    target = tmp_path / "out"
    target.write_bytes(b"the previous report\n")
    reader = tmp_path / "held-by-a-reader"
    os.link(target, reader)  # the old file, as a reader that opened it before still sees it

    assert dossier_monitor(config, COMMANDS[command](target), capsys)[0] == 0

    assert reader.read_bytes() == b"the previous report\n", "the old file was not rewritten in place"
    assert target.read_bytes() != b"the previous report\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
