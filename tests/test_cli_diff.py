"""`dossier-monitor diff OLD NEW`: files or stored kst ids in, a report out; bad input is one line, exit 2."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import pty
import subprocess
import sys
import time

import pytest

from monitor.cli import main
from monitor.config import Config
from monitor.model import Fetched, Publication
from monitor.store import Store
from tests.conftest import FIXTURES

PAIRS = FIXTURES / "pairs"
OLD = str(PAIRS / "agenda-2025.old.txt")
NEW = str(PAIRS / "agenda-2025.new.txt")


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_text_report_on_two_files(capsys):
    code, out, err = run(capsys, "diff", OLD, NEW)
    assert code == 0, err
    assert out.startswith("Vergelijking: kst-28676-474 (2024-11-22) → kst-28676-999 (2025-03-21)\nSamenvatting: ")
    assert "[-2-]{+3,5+}%" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_no_changes_is_still_exit_zero(capsys):
    code, out, _ = run(capsys, "diff", OLD, OLD, "--language", "en")
    assert code == 0 and "No changes" in out


def test_json_and_html_to_a_file(capsys, tmp_path):
    target = tmp_path / "diff.json"
    code, out, _ = run(capsys, "diff", OLD, NEW, "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == "dossier-monitor.diff/1"
    assert data["old"]["id"] == "kst-28676-474" and data["new"]["date"] == "2025-03-21"
    code, out, _ = run(capsys, "diff", OLD, NEW, "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "<del style=" in out


def test_a_dash_for_the_output_means_standard_output(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "diff", OLD, NEW, "--format", "json", "-o", "-")
    assert code == 0 and json.loads(out)["schema"] == "dossier-monitor.diff/1"
    assert list(tmp_path.iterdir()) == []  # no file called "-"


def test_verbose_turns_on_debug_logging(capsys):
    assert run(capsys, "diff", OLD, OLD)[0] == 0
    assert logging.getLogger().getEffectiveLevel() == logging.INFO
    assert run(capsys, "-v", "diff", OLD, OLD)[0] == 0
    assert logging.getLogger().getEffectiveLevel() == logging.DEBUG
    run(capsys, "diff", OLD, OLD)


def test_reads_xml_against_ocr_text_of_the_same_letter(capsys):
    code, out, err = run(capsys, "diff", str(FIXTURES / "letters" / "kst-28676-474.xml"),
                         str(FIXTURES / "corpus" / "kst-28676-474.ocr.txt"), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    # the same letter from two formats: nearly everything is unchanged
    assert data["summary"]["unchanged"] >= 0.8 * sum(data["summary"].values())


def test_colour_when_standard_output_is_a_terminal():
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "diff", OLD, NEW], stdout=follower,
                            stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:  # read while it writes: a full terminal buffer would block the child
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    assert b"\x1b[31m[-2-]\x1b[0m" in b"".join(chunks)


@pytest.fixture
def store_config(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    xml = (FIXTURES / "letters" / "kst-28676-474.xml").read_bytes()
    pub = Publication("kst-28676-474", "28676", "474", "Geannoteerde agenda", "Brief",
                      dt.date(2024, 11, 22), dt.date(2024, 11, 22), None)
    fetched = Fetched("xml", "https://repository.overheid.nl/kst-28676-474.xml", xml,
                      dt.datetime(2024, 11, 22, 12, tzinfo=dt.UTC))
    with Store.open(Config.load(path)) as store, store.transaction() as conn:
        store.record_publication(conn, pub, [fetched], series="fmm-agenda", meeting_date=None)
    return path


def test_a_kst_id_reads_the_stored_snapshot(capsys, store_config):
    code, out, err = run(capsys, "--config", str(store_config), "diff", "kst-28676-474", NEW, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["old"]["source"] == "store:kst-28676-474@1" and data["old"]["id"] == "kst-28676-474"
    assert any(c["status"] == "changed" for c in data["changes"])
    code, out, err = run(capsys, "--config", str(store_config), "diff", "kst-28676-474@1", "kst-28676-474")
    assert code == 0 and "Geen wijzigingen" in out, err


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "empty"),
    (bytes(range(256)) * 8, "binary data, not a letter"),
    (b"<!DOCTYPE html><html><head><title>Zoeken</title></head><body><nav>Menu</nav>"
     b"<p>Geen resultaten gevonden.</p></body></html>", "HTML page holds no letter"),
], ids=["missing", "empty", "binary", "not-an-agenda-html"])
def test_bad_files_are_one_line_and_exit_2(capsys, tmp_path, content, message):
    bad = tmp_path / "bad.html"
    if content is not None:
        bad.write_bytes(content)
    code, out, err = run(capsys, "diff", str(bad), NEW)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("dossier-monitor: ") and "Traceback" not in err
    assert message in err


def test_an_unknown_kst_id_is_one_line_and_exit_2(capsys, store_config):
    code, out, err = run(capsys, "--config", str(store_config), "diff", "kst-28676-9999", NEW)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "kst-28676-9999" in err


def test_a_kst_id_without_a_store_creates_none(capsys, tmp_path):
    config = tmp_path / "monitor.toml"
    config.write_text('[storage]\ndata_dir = "nowhere"\n', encoding="utf-8")
    code, _, err = run(capsys, "--config", str(config), "diff", "kst-28676-474", NEW)
    assert code == 2 and "unknown kst id kst-28676-474 (no snapshot store at" in err
    assert not (tmp_path / "nowhere").exists()


def test_neither_file_nor_kst_id(capsys):
    code, _, err = run(capsys, "diff", "agenda-van-vorige-week", NEW)
    assert code == 2 and "no such file" in err and err.count("\n") == 1


# --- big inputs -----------------------------------------------------------------------------


def test_a_file_over_the_cap_is_refused_in_one_line_before_it_is_read(capsys, tmp_path):
    big = tmp_path / "huge.txt"
    big.write_bytes(b"Nederland steunt Oekraine.\n\n" * 80_000)  # 2.2 MB
    code, out, err = run(capsys, "diff", str(big), NEW, "--max-mb", "2")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{big}: too big to read as a letter (2.1 MB; the limit is 2 MB)" in err
    code, _, err = run(capsys, "diff", NEW, str(big), "--max-mb", "3")
    assert code == 0, err


def test_the_default_cap_is_the_fetchers():
    from monitor.cli.diff import diff
    from monitor.config import SourceConfig
    from monitor.documents import MAX_DOCUMENT_BYTES

    assert MAX_DOCUMENT_BYTES == SourceConfig().max_response_bytes
    assert next(p for p in diff.params if p.name == "max_mb").default * 2**20 == MAX_DOCUMENT_BYTES


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_a_slow_run_shows_its_step_on_a_terminal_and_wipes_it_at_the_end():
    from monitor.cli.diff import Progress

    terminal = FakeTerminal(tty=True)
    with Progress(terminal, after=0) as step:
        step("comparing")
        deadline = time.monotonic() + 10
        while "comparing" not in terminal.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    shown = terminal.getvalue()
    assert "\rdossier-monitor diff: comparing … " in shown.replace("\x1b[K", "")
    assert shown.endswith("\r\x1b[K")  # the report that follows starts on a clean line


def test_no_progress_line_when_standard_error_is_no_terminal():
    from monitor.cli.diff import Progress

    log = FakeTerminal(tty=False)
    with Progress(log, after=0) as step:
        step("comparing")
        time.sleep(0.05)
    assert log.getvalue() == ""
