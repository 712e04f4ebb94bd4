"""``dossier-monitor doctor``: against the local KOOP peer and SMTP peer, healthy and with each
deviation a publisher may show; ``--save`` writes answers the tests can take as fixtures."""

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from monitor.documents import load_document
from monitor.source.sru import parse_response
from tests.peer import make_doc
from tests.peer.server import error_page
from tests.smtp_peer import SmtpPeer

TODAY = dt.date.today()
NEWEST = "kst-28676-5"


@pytest.fixture
def letters(peer):
    peer.add([make_doc(f"kst-28676-{n}", "Brief regering over de NAVO", available=TODAY - dt.timedelta(days=10 - n))
              for n in range(1, 6)])
    return peer


def write_config(tmp_path, peer, mail_port: int, **mail) -> str:
    mail = {"smtp_host": "127.0.0.1", "smtp_port": mail_port, "security": "none",
            "from": "dossier-monitor <alerts@example.org>"} | mail
    path = tmp_path / "monitor.toml"
    path.write_text(textwrap.dedent(f"""
        [source]
        sru_url = "{peer.sru_url}"
        allowed_hosts = ["127.0.0.1"]
        min_request_interval_seconds = 0
        timeout_seconds = 2
        max_retries = 1
        page_size = 10

        [storage]
        data_dir = "data"

        [mail]
        """) + "".join(f"{key} = {json.dumps(value)}\n" for key, value in mail.items()), encoding="utf-8")
    return str(path)


@pytest.fixture
def config_file(tmp_path, letters, smtp_peer, monkeypatch):
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    return write_config(tmp_path, letters, smtp_peer.port)


def lines(out: str) -> dict[str, str]:
    """check name -> its whole line"""
    return {line[2:].split(" — ")[0]: line for line in out.splitlines() if line[:1] in "✓!✗"}


# --- healthy -----------------------------------------------------------------------------------


def test_a_healthy_installation_and_publisher_pass_every_check(run, smtp_peer):
    code, out, err = run("doctor", "--live")
    checks = lines(out)
    assert code == 0, out + err
    assert all(line.startswith("✓") for line in checks.values()), out
    for name in ("configuration", "data folder", "database", "mail", "SRU 28676: namespaces",
                 "SRU 28676: required record fields", "SRU 28676: expected record fields", "SRU 28676: sort order",
                 "SRU 28676: paging", "SRU 28676: item URLs", "SRU 28676: encoding", "letter 28676: xml",
                 "letter 28676: html", "letter 28676: metadata", "letter 28676: pdf", "letter 28676: soft-404 guard",
                 "letter 28676: formats read alike"):
        assert name in checks, f"{name} not checked:\n{out}"
    assert NEWEST in checks["letter 28676: newest Kamerstuk"]
    assert "EHLO" in checks["mail"] and "nothing sent" in checks["mail"]
    assert smtp_peer.received == []


def test_without_live_the_publisher_is_not_asked(run, letters):
    code, out, _ = run("doctor")
    assert code == 0 and letters.count() == 0
    assert list(lines(out)) == ["configuration", "data folder", "database", "mail", "Tweede Kamer"]


def test_saved_answers_are_fixtures_the_parser_and_readers_take(run, tmp_path, letters):
    saved = tmp_path / "captured"
    code, out, _ = run("doctor", "--live", "--save", str(saved))
    assert code == 0, out
    page = parse_response((saved / "sru-28676.xml").read_bytes())
    assert [p.identifier for p in page.publications] == [f"kst-28676-{n}" for n in range(1, 6)]
    assert parse_response((saved / "sru-28676-newest.xml").read_bytes()).publications[0].identifier == NEWEST
    doc = letters.doc(NEWEST)
    for kind, name in (("xml", f"{NEWEST}.xml"), ("html", f"{NEWEST}.html"), ("pdf", f"{NEWEST}.pdf"),
                       ("metadata", "metadata.xml")):
        assert (saved / NEWEST / name).read_bytes() == doc.files[kind]
    assert load_document(saved / NEWEST / f"{NEWEST}.xml").identifier == NEWEST
    provenance = (saved / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"`{NEWEST}/{NEWEST}.xml` | {letters.url}{doc.path('xml')}" in provenance
    assert "✓ SRU 28676: namespaces" in provenance


def test_save_without_live_is_a_usage_error(run, tmp_path):
    code, _, err = run("doctor", "--save", str(tmp_path / "x"))
    assert code == 2 and "--save needs --live" in err


# --- deviations ----------------------------------------------------------------------------------


def named(run, mark: str, name: str, evidence: str) -> str:
    """``doctor --live`` marks the check ``name`` with ``mark`` and ``evidence``; only a ✗ fails it
    (exit 1, the check named on stderr). Its output, for more."""
    code, out, err = run("doctor", "--live")
    line = lines(out).get(name, "")
    assert line.startswith(mark) and evidence in line, out
    assert code == (1 if mark == "✗" else 0), out + err
    if mark == "✗":
        assert name in err  # "… checks failed: <names>"
    return out


DEVIATIONS = {
    # a prefix renamed, its namespace kept: read by URI, so it works, and the doctor says so
    "renamed prefix": ([(r"(?<=[<:/])gzd(?=[:=])", "ns2")], "!", "SRU 28676: namespaces", "gzd is now ns2"),
    # the namespace itself moved: nothing of gzd can be read any more
    "moved namespace": ([(r'"http://standaarden.overheid.nl/sru"', '"http://standaarden.overheid.nl/sru/2"')],
                        "✗", "SRU 28676: namespaces", "missing http://standaarden.overheid.nl/sru"),
    "missing field": ([(r"<dcterms:available>[^<]*</dcterms:available>", "")], "✗",
                      "SRU 28676: required record fields", "dcterms:available missing in 5 of 5"),
    "missing stamp": ([(r"<cd:datumTijdstipWijzigingWork>[^<]*</cd:datumTijdstipWijzigingWork>", "")], "!",
                      "SRU 28676: expected record fields", "cd:datumTijdstipWijzigingWork missing in 5 of 5"),
    "HTML error page": ([(r"(?s)\A.*\Z", error_page("sru").decode())], "✗", "SRU 28676: answer is XML",
                        "got an HTML page (title 'Pagina niet gevonden | Officiële bekendmakingen')"),
}


@pytest.mark.parametrize("deviation", [d for d, (_, mark, _, _) in DEVIATIONS.items() if mark])
def test_each_deviation_of_the_publisher_is_named(run, letters, deviation):
    rewrites, mark, name, evidence = DEVIATIONS[deviation]
    letters.set(sru_rewrites=rewrites)
    named(run, mark, name, evidence)


def test_records_out_of_order_are_named(run, letters):
    letters.set(sru_rewrites=[(r"(?s)<dcterms:available>[^<]*</dcterms:available>(?=(?:(?!<sru:record>).)*"
                               r"kst-28676-2\.html)", "<dcterms:available>2001-01-01</dcterms:available>")])
    code, out, _ = run("doctor", "--live")
    assert code == 1 and "kst-28676-2 (2001-01-01) comes after kst-28676-1" in lines(out)["SRU 28676: sort order"]


def test_paging_without_next_position_works_but_is_named(run, letters):
    letters.add([make_doc(f"kst-28676-{n}", "Brief", available=TODAY - dt.timedelta(days=30)) for n in range(6, 20)])
    letters.set(next_position=False)
    code, out, _ = run("doctor", "--live")
    assert code == 0 and lines(out)["SRU 28676: paging"].startswith("! ") and "no nextRecordPosition" in out


def test_a_letter_page_that_is_an_error_page_is_named(run, letters):
    letters.corrupt(NEWEST, "error-page", kind="html")
    code, out, _ = run("doctor", "--live")
    assert code == 1 and "soft 404" in lines(out)["letter 28676: html"]


def test_an_unreachable_mail_server_is_a_failed_check(tmp_path, letters, monkeypatch):
    from monitor.cli import main
    from tests.smtp_peer import free_port

    config = write_config(tmp_path, letters, free_port())
    with pytest.raises(SystemExit) as exit_:
        main(["--config", config, "doctor"])
    assert exit_.value.code == 1


def test_starttls_and_login_are_tried_and_a_wrong_password_named(tmp_path, letters, monkeypatch, capsys):
    from monitor.cli import main

    server = SmtpPeer(login=("alerts@example.org", "geheim"), tls="starttls", ca_folder=tmp_path).start()
    try:
        config = write_config(tmp_path, letters, server.port, security="starttls", username="alerts@example.org",
                              ca_file=str(server.ca_file))
        for password, code in (("geheim", 0), ("fout", 1)):
            monkeypatch.setenv("DOSSIER_MONITOR_SMTP_PASSWORD", password)
            with pytest.raises(SystemExit) as exit_:
                main(["--config", config, "doctor"])
            mail = lines(capsys.readouterr().out)["mail"]
            assert exit_.value.code == code, mail
            assert ("STARTTLS TLSv1" in mail and "logged in as alerts@example.org" in mail) if code == 0 else \
                "refused the login" in mail
        assert server.received == [] and server.logins == ["alerts@example.org"]
    finally:
        server.stop()


def test_a_configuration_that_cannot_be_read_is_the_first_failed_check(tmp_path, monkeypatch, capsys):
    from monitor.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text("[source]\nno_such_key = 1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(bad), "doctor"])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert out.startswith("✗ configuration — ") and "no_such_key" in out and "no_such_key" in err


def test_a_database_behind_the_code_is_named_with_its_remedy(run, tmp_path):
    import shutil

    (tmp_path / "data").mkdir(exist_ok=True)
    shutil.copy(Path(__file__).parent / "fixtures" / "databases" / "release-0.1.0.sqlite",
                tmp_path / "data" / "monitor.sqlite")
    code, out, _ = run("doctor")
    assert code == 1 and "db upgrade" in lines(out)["database"]


def test_a_data_folder_that_is_a_file_is_a_failed_check_naming_it(tmp_path, letters, capsys):
    from monitor.cli import main

    config = write_config(tmp_path, letters, 25)
    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--config", config, "doctor"])
    checks = lines(capsys.readouterr().out)
    assert exit_.value.code == 1
    assert "is a file, not a folder" in checks["data folder"] and str(tmp_path / "data") in checks["data folder"]
