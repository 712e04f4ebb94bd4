"""``dossier-monitor doctor`` and the Tweede Kamer: with ``[tk]`` on, ``--live`` asks the local OData
peer (tests/peer/tk.py) as the poll asks it, healthy and with each deviation the real service may
show; with ``[tk]`` off one line says it is not checked and nothing is asked."""

import json
from pathlib import Path

import pytest

from monitor.documents import read_document
from monitor.source.tk import parse_page
from tests.peer.tk import WORD, TkPeer, docx_bytes
from tests.test_doctor import letters, lines, named, write_config  # noqa: F401  (letters: a pytest fixture)

PAGE = 4  # [tk] page_size: seven rows of 28676 are two pages


def letter(subject: str) -> bytes:
    return docx_bytes([("heading", subject), ("paragraph", f"Hierbij bied ik u de brief over {subject} aan."),
                       ("paragraph", "De regering steunt de inzet van de NAVO.")])


@pytest.fixture
def documents(tk: TkPeer) -> TkPeer:
    """Six letters of the government and a motion in 28676 (the newest letter a PDF), one letter elsewhere."""
    for n in range(1, 6):
        tk.publish(f"NAVO-brief {n}", data=letter(f"NAVO-brief {n}"))
    tk.publish("Motie over de NAVO", kind="Motie", data=letter("de motie"))
    tk.publish("Geannoteerde agenda NAVO", content_type="application/pdf",
               data=(Path(__file__).parent / "fixtures" / "koop" / "captured" / "kst-32545-143" /
                     "kst-32545-143.pdf").read_bytes())
    tk.publish("Brief over iets anders", dossier="36000", data=letter("iets anders"))
    return tk


def agenda(tk: TkPeer):
    """The newest letter in 28676: the one ``doctor`` fetches."""
    return next(d for d in tk.state.docs.values() if d.subject == "Geannoteerde agenda NAVO")


def tk_config(tmp_path, peer, mail_port: int, odata_url: str, enabled: bool = True) -> str:
    path = Path(write_config(tmp_path, peer, mail_port))
    text = path.read_text(encoding="utf-8").replace("max_retries = 1\n", "max_retries = 1\nbackoff_base_seconds = 0.01\n")
    path.write_text(text + f'\n[tk]\nenabled = {json.dumps(enabled)}\nodata_url = "{odata_url}"\n'
                    f'allowed_hosts = ["127.0.0.1"]\npage_size = {PAGE}\n', encoding="utf-8")
    return str(path)


@pytest.fixture
def config_file(tmp_path, letters, documents, smtp_peer, monkeypatch):  # noqa: F811
    monkeypatch.delenv("DOSSIER_MONITOR_CONFIG", raising=False)
    return tk_config(tmp_path, letters, smtp_peer.port, documents.odata_url)


def tk_lines(out: str) -> dict[str, str]:
    return {name: line for name, line in lines(out).items() if name.startswith("TK ")}


# --- healthy -----------------------------------------------------------------------------------


def test_with_tk_on_a_healthy_service_passes_every_check_of_the_tweede_kamer(run, documents):
    code, out, err = run("doctor", "--live")
    checks = tk_lines(out)
    assert code == 0, out + err
    assert all(line.startswith("✓") for line in lines(out).values()), out
    assert list(checks) == [
        "TK 28676: search answers", "TK 28676: search answer is OData JSON", "TK 28676: required row fields",
        "TK 28676: expected row fields", "TK 28676: dossier filter", "TK 28676: document kinds", "TK 28676: order",
        "TK 28676: next page answers", "TK 28676: next page answer is OData JSON", "TK 28676: paging",
        "TK 28676: newest search answers", "TK 28676: newest search answer is OData JSON", "TK 28676: file",
        "TK 28676: file reads"]
    assert "[tk] is on" in lines(out)["Tweede Kamer"]
    assert "a value array of 4 rows, with @odata.nextLink" in checks["TK 28676: search answer is OData JSON"]
    assert "each of 4 rows linked to Kamerstukdossier 28676" in checks["TK 28676: dossier filter"]
    assert "next page of 3 rows" in checks["TK 28676: paging"]
    assert "(Brief regering," in checks["TK 28676: file"] and "application/pdf" in checks["TK 28676: file"]
    assert "sentences from the pdf file" in checks["TK 28676: file reads"]
    # asked as the poll asks: the dossier and GewijzigdOp filter, $top from [tk] page_size
    first = documents.queries[0]
    assert "Kamerstukdossier/any(d:d/Nummer eq 28676)" in first["$filter"][0] and "GewijzigdOp ge" in first["$filter"][0]
    assert first["$top"] == [str(PAGE)] and first["$orderby"] == ["GewijzigdOp asc"]


def test_without_live_the_tweede_kamer_is_not_asked_but_its_settings_are_checked(run, documents):
    code, out, _ = run("doctor")
    assert code == 0 and documents.count() == 0
    assert lines(out)["Tweede Kamer"].startswith("✓ Tweede Kamer — [tk] is on: http://127.0.0.1:")
    assert not tk_lines(out)


def test_with_tk_off_one_line_says_it_is_not_checked_and_nothing_is_asked(tmp_path, letters, documents,  # noqa: F811
                                                                          smtp_peer, capsys):
    from monitor.cli import main

    config = tk_config(tmp_path, letters, smtp_peer.port, documents.odata_url, enabled=False)
    with pytest.raises(SystemExit) as exit_:
        main(["--config", config, "doctor", "--live"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0 and documents.count() == 0 and not tk_lines(out)
    assert [line for line in out.splitlines() if "Tweede Kamer" in line] == [
        "✓ Tweede Kamer — [tk] is off: no early warning, the Tweede Kamer is not checked"]


def test_saved_answers_of_the_tweede_kamer_are_what_the_parser_and_readers_take(run, tmp_path, documents):
    saved = tmp_path / "captured"
    code, out, _ = run("doctor", "--live", "--save", str(saved))
    assert code == 0, out
    rows, following = parse_page((saved / "tk-28676.json").read_bytes(), "saved")
    assert len(rows) == PAGE and following
    assert len(parse_page((saved / "tk-28676-next.json").read_bytes(), "saved")[0]) == 3
    newest = parse_page((saved / "tk-28676-newest.json").read_bytes(), "saved")[0][0]
    assert newest["Onderwerp"] == "Geannoteerde agenda NAVO"
    ident = f"tk-{newest['DocumentNummer']}"
    assert read_document((saved / ident / f"{ident}.pdf").read_bytes(), source="saved").sentences
    provenance = (saved / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"| `tk-28676.json` | {documents.odata_url}/Document?" in provenance
    assert "✓ TK 28676: paging" in provenance and "✓ SRU 28676: namespaces" in provenance


# --- deviations ----------------------------------------------------------------------------------


def drop(field: str):
    def rewrite(body: dict) -> dict:
        for row in body["value"]:
            row.pop(field, None)
        return body
    return rewrite


def elsewhere(body: dict) -> dict:  # the service ignores the dossier filter
    body["value"][0]["Kamerstukdossier"] = [{"Nummer": 36000, "Toevoeging": None}]
    return body


def reversed_rows(body: dict) -> dict:
    body["value"].reverse()
    return body


def foreign_next(body: dict) -> dict:
    if "@odata.nextLink" in body:
        body["@odata.nextLink"] = body["@odata.nextLink"].replace("127.0.0.1", "localhost")
    return body


def no_next(body: dict) -> dict:
    body.pop("@odata.nextLink", None)
    return body


def renamed_kind(body: dict) -> dict:
    for row in body["value"]:
        row["Soort"] = row["Soort"].replace("Brief regering", "Brief van de regering")
    return body


ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Er is een fout opgetreden</title></head>"
              b"<body><h1>Fout</h1></body></html>")

DEVIATIONS = {
    "HTML error page": (lambda body: ERROR_PAGE, "✗", "TK 28676: search answer is OData JSON",
                        "got an HTML page (title 'Er is een fout opgetreden')"),
    "OData error body": (lambda body: {"error": {"code": "0x0", "message": "The query is not valid."}}, "✗",
                         "TK 28676: search answer is OData JSON", "OData error 0x0: The query is not valid."),
    "no value array": (lambda body: {"@odata.context": body["@odata.context"]}, "✗",
                       "TK 28676: search answer is OData JSON", "an OData response without a value list"),
    "missing field": (drop("GewijzigdOp"), "✗", "TK 28676: required row fields", "GewijzigdOp missing in 4 of 4"),
    "missing expanded version": (drop("HuidigeDocumentVersie"), "!", "TK 28676: expected row fields",
                                 "HuidigeDocumentVersie missing in 4 of 4"),
    "filter not applied": (elsewhere, "✗", "TK 28676: dossier filter",
                           "1 of 4 rows not linked to Kamerstukdossier 28676"),
    "kind renamed": (renamed_kind, "!", "TK 28676: document kinds", "none of 4 rows is a Brief regering"),
    "order": (reversed_rows, "✗", "TK 28676: order", "not GewijzigdOp ascending"),
    "next link elsewhere": (foreign_next, "✗", "TK 28676: paging",
                            "host localhost is not in tk.allowed_hosts, so the poll cannot read past the first page"),
    "no next link": (no_next, "!", "TK 28676: paging", "a full page of 4 rows without @odata.nextLink"),
}


@pytest.mark.parametrize("deviation", DEVIATIONS)
def test_each_deviation_of_the_tweede_kamer_is_named(run, documents, deviation):
    rewrite, mark, name, evidence = DEVIATIONS[deviation]
    documents.deviate(rewrite)
    out = named(run, mark, name, evidence)
    # the publisher's checks are not touched by the Tweede Kamer's deviation
    assert all(check.startswith("✓") for check in lines(out).values() if not check[2:].startswith("TK ")), out


def test_an_odata_error_body_is_named_with_its_message(run, documents):
    documents.odata_error_next()
    code, out, _ = run("doctor", "--live")
    line = lines(out)["TK 28676: search answers"]
    assert code == 1 and line.startswith("✗") and "OData error: An error has occurred." in line
    assert "\n" not in line


def test_an_unreachable_service_is_one_failed_check(tmp_path, letters, smtp_peer, capsys):  # noqa: F811
    from monitor.cli import main
    from tests.smtp_peer import free_port

    config = tk_config(tmp_path, letters, smtp_peer.port, f"http://127.0.0.1:{free_port()}/OData/v4/2.0")
    with pytest.raises(SystemExit) as exit_:
        main(["--config", config, "doctor", "--live"])
    checks = tk_lines(capsys.readouterr().out)
    assert exit_.value.code == 1
    assert list(checks) == ["TK 28676: search answers", "TK 28676: newest search answers"]
    assert checks["TK 28676: search answers"].startswith("✗") and "127.0.0.1" in checks["TK 28676: search answers"]


def test_a_file_that_is_an_html_error_page_is_named(run, documents):
    agenda(documents).error_page = True
    code, out, _ = run("doctor", "--live")
    line = lines(out)["TK 28676: file"]
    assert code == 1 and line.startswith("✗") and "not a PDF (an HTML page?)" in line


def test_a_word_file_that_cannot_be_read_is_named(run, documents):
    documents.update(agenda(documents).id, content_type=WORD, data=b"PK\x03\x04 no zip at all")
    code, out, _ = run("doctor", "--live")
    assert code == 1 and "a damaged Word file" in lines(out)["TK 28676: file"]


def test_an_odata_url_on_a_host_not_allowed_is_named_without_asking(tmp_path, letters, documents,  # noqa: F811
                                                                   smtp_peer, capsys):
    from monitor.cli import main

    config = tk_config(tmp_path, letters, smtp_peer.port, documents.odata_url.replace("127.0.0.1", "localhost"))
    with pytest.raises(SystemExit) as exit_:
        main(["--config", config, "doctor"])
    line = lines(capsys.readouterr().out)["Tweede Kamer"]
    assert exit_.value.code == 1 and documents.count() == 0
    assert line.startswith("✗") and "host localhost is not in tk.allowed_hosts (127.0.0.1)" in line
