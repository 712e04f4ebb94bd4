"""Reports of one comparison: terminal text, a self-contained HTML page, and the JSON schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from monitor.compare import compare
from monitor.compare.redline import word_redline
from monitor.documents import match_key
from monitor.model import Document, Paragraph, Section, Sentence
from monitor.render.html_page import render_html
from monitor.render.json_doc import SCHEMA, render_json, to_json
from monitor.render.redline import redline_html, redline_text
from monitor.render.text import render_text


def doc(sections, **info) -> Document:
    return Document(
        sections=tuple(Section(h, (Paragraph(tuple(Sentence(t, match_key(t)) for t in texts)),))
                       for h, texts in sections),
        **{"source": "test", **info},
    )


OLD = doc([
    ("Werksessie Strategische uitdagingen", [
        "Het is cruciaal dat alle bondgenoten minimaal 2% van het bbp aan defensie besteden.",
        "Er zal tevens aandacht zijn voor hybride aanvallen van Rusland.",
    ]),
    ("Werksessie Zuidflank", [
        "Het is van belang outreach te blijven doen naar belanghebbenden.",
        "Daarnaast zal worden gesproken over het eerste NAVO Liaison Office in Amman.",
    ]),
], identifier="kst-28676-474", title="Geannoteerde agenda FMM", date=dt.date(2024, 11, 22), source="old.txt")
NEW = doc([
    ("Werksessie Afschrikking", [
        "Het is cruciaal dat alle bondgenoten minimaal 3,5% van het bbp aan defensie besteden.",
        "Er zal tevens aandacht zijn voor hybride aanvallen van Rusland.",
        "Daarnaast zal worden gesproken over het eerste NAVO Liaison Office in Amman.",
    ]),
    ("Werksessie Zuidflank", ["Nederland steunt <nieuwe> initiatieven & partnerschappen in de regio."]),
], source="new.txt")
CMP = compare(OLD, NEW)


def test_text_report_has_summary_section_map_and_redlines():
    text = render_text(CMP)
    lines = text.splitlines()
    assert lines[0] == "Vergelijking: kst-28676-474 (2024-11-22) → new.txt"
    assert lines[1].startswith("Samenvatting: 1 gewijzigd · 1 nieuw · 1 vervallen · 1 verplaatst · 1 ongewijzigd")
    assert "  ~ Werksessie Strategische uitdagingen → Werksessie Afschrikking  [hernoemd]" in lines
    assert "  = Werksessie Zuidflank" in lines
    assert "minimaal [-2-]{+3,5+}% van het bbp" in text
    assert "{+Nederland steunt <nieuwe> initiatieven & partnerschappen in de regio.+}" in text
    assert "[-Het is van belang outreach te blijven doen naar belanghebbenden.-]" in text
    assert "\x1b[" not in text


def test_text_report_lists_changes_by_severity():
    severities = [int(m) for m in re.findall(r"^  (?:\x1b\[[0-9;]*m)?\[(\d)\]", render_text(CMP), re.M)]
    assert severities == sorted(severities, reverse=True) and len(severities) == len(CMP.changes)


def test_text_colour_only_when_asked():
    coloured = render_text(CMP, color=True)
    assert "\x1b[31m[-2-]\x1b[0m" in coloured and "\x1b[32m{+3,5+}\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render_text(CMP)


def test_english_labels():
    text = render_text(CMP, language="en")
    assert text.startswith("Comparison: ")
    # the same words as the mails and the site
    assert "1 changed · 1 new · 1 dropped · 1 moved · 1 unchanged" in text
    assert "[renamed]" in text


def test_no_changes_says_so():
    same = compare(OLD, OLD)
    assert "Geen wijzigingen" in render_text(same)
    assert "No changes" in render_html(same, language="en")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_page_is_self_contained_escaped_and_printable():
    page = render_html(CMP)
    parser = _Collect()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?:", page)
    assert "@media print" in page
    assert "&lt;nieuwe&gt; initiatieven &amp; partnerschappen" in page
    assert "<nieuwe>" not in page
    assert '<html lang="nl">' in page and "Samenvatting" in page


def test_html_change_shows_both_sides_and_an_inline_styled_redline():
    page = render_html(CMP)
    assert page.count('class="change ') == len(CMP.changes)
    assert 'text-decoration:line-through">2</del><ins style="' in page
    assert ">3,5</ins>" in page
    assert "minimaal 2% van het bbp" in page and "minimaal 3,5% van het bbp" in page


def test_redline_helpers_mark_changes_without_relying_on_colour():
    segments = word_redline("Nederland steunt dit.", "Nederland steunt dit <niet>.")
    assert redline_text(segments) == "Nederland steunt dit{+ <niet>+}."
    html = redline_html(segments)
    assert html == ('Nederland steunt dit<ins style="background:#dcf3dc;color:#0b5a1f;'
                    'text-decoration:underline"> &lt;niet&gt;</ins>.')


def test_json_follows_the_schema_exactly():
    data = json.loads(render_json(CMP))
    assert data == to_json(CMP)
    assert list(data) == ["schema", "old", "new", "summary", "positions", "sections", "changes"]
    assert data["schema"] == SCHEMA == "dossier-monitor.diff/1"
    assert data["old"] == {"id": "kst-28676-474", "title": "Geannoteerde agenda FMM", "date": "2024-11-22",
                           "source": "old.txt"}
    assert data["new"] == {"id": None, "title": None, "date": None, "source": "new.txt"}
    assert data["summary"] == {"added": 1, "removed": 1, "changed": 1, "moved": 1, "unchanged": 1, "restated": 0}
    assert data["positions"] == CMP.position_counts()
    assert data["sections"][0] == {"status": "renamed", "old": "Werksessie Strategische uitdagingen",
                                   "new": "Werksessie Afschrikking"}
    for change in data["changes"]:
        assert list(change) == ["status", "position", "kinds", "severity", "topics", "old", "new", "redline",
                                "direction"]
        assert change["status"] in {"added", "removed", "changed", "moved"}
        assert change["direction"] is None  # no stance moved here
        assert isinstance(change["position"], bool) and 0 <= change["severity"] <= 3
        for side in ("old", "new"):
            assert change[side] is None or set(change[side]) == {"text", "section"}
        assert all(set(seg) == {"op", "text"} and seg["op"] in {"equal", "delete", "insert"}
                   for seg in change["redline"])
    changed = next(c for c in data["changes"] if c["status"] == "changed")
    assert "quantity" in changed["kinds"]
    assert [s for s in changed["redline"] if s["op"] != "equal"] == [
        {"op": "delete", "text": "2"}, {"op": "insert", "text": "3,5"}]


TURNED = compare(
    doc([("Werksessie Oekraïne", ["Nederland verwelkomt het streven naar een gezamenlijke aanpak.",
                                  "Nederland steunt het voorstel niet."])]),
    doc([("Werksessie Oekraïne", ["Nederland neemt kennis van het streven naar een gezamenlijke aanpak.",
                                  "Nederland steunt het voorstel."])]),
)


def test_a_stance_change_says_which_way_it_moved_in_every_report():
    weaker, stronger = TURNED.changes
    assert (weaker.kinds, weaker.direction, stronger.kinds, stronger.direction) == (
        ("stance",), "weaker", ("stance",), "stronger")
    assert "[3] gewijzigd · standpunt ↓ zwakker · positie" in render_text(TURNED)
    assert "[3] changed · stance ↑ stronger · position" in render_text(TURNED, language="en")
    assert "standpunt ↓ zwakker" in render_html(TURNED) and "stance ↑ stronger" in render_html(TURNED, language="en")
    assert [c["direction"] for c in to_json(TURNED)["changes"]] == ["weaker", "stronger"]


MOVED_ON = compare(
    doc([("Geannoteerde agenda", [
        "De FMM vindt op 3 en 4 december aanstaande plaats in Brussel.",
        "Het is cruciaal dat alle bondgenoten minimaal 2% van het bbp aan defensie besteden.",
        "De oorlog in Oekraïne duurt inmiddels al meer dan duizend dagen.",
        "Er is aandacht voor hybride aanvallen."])]),
    doc([("Geannoteerde agenda", [
        "De FMM vindt op 3 en 4 april aanstaande plaats in Den Haag.",
        "Het is cruciaal dat alle bondgenoten minimaal 3,5% van het bbp aan defensie besteden.",
        "De oorlog in Oekraïne duurt inmiddels al drie jaar.",
        "Er is ook aandacht voor hybride aanvallen."])]),
)


def test_the_calendar_is_one_quiet_group_below_every_real_change():
    assert [(c.kinds, c.severity) for c in MOVED_ON.changes] == [
        (("quantity",), 2), (("wording",), 0), (("calendar",), 0), (("calendar",), 0)]
    text = render_text(MOVED_ON)
    group = text.index("  Data verschoven zoals verwacht (2)")
    assert text.index("minimaal [-2-]{+3,5+}%") < text.index("Er is {+ook +}aandacht") < group
    assert text.index("[-december-]{+april+}") > group and text.index("[-meer dan duizend dagen-]{+drie jaar+}") > group
    assert "[0] gewijzigd · kalender" not in text  # the group needs no card of its own per date
    assert "Dates moved as expected (2)" in render_text(MOVED_ON, language="en")
    html = render_html(MOVED_ON)
    assert html.index("3,5") < html.index('<section class="calendar">\n<h2>Data verschoven zoals verwacht (2)</h2>')
    assert [(c["kinds"], c["severity"]) for c in to_json(MOVED_ON)["changes"]][2:] == [
        (["calendar"], 0), (["calendar"], 0)]


def test_json_keeps_accents_readable():
    assert "Oekraïne" in render_json(compare(doc([("S", ["Steun aan Oekraïne."])]), doc([("S", ["Geen steun."])])))


def test_unknown_language_is_bad_input():
    from monitor.errors import BadInput

    with pytest.raises(BadInput, match="unknown language"):
        render_text(CMP, language="fr")


def test_an_ocr_spelling_fix_inside_a_changed_sentence_is_shown_plain_but_kept_exact_in_json():
    old = "Nederland levert circa 45.000 Oekraiense militairen een training."
    new = "Nederland levert circa 50.000 Oekraïense militairen een training."
    segments = word_redline(old, new)
    assert redline_text(segments) == "Nederland levert circa [-45.000-]{+50.000+} Oekraïense militairen een training."
    assert "<del" not in redline_html(segments).split("50.000")[1]  # the accent fix is not marked
    # the machine-readable redline still rebuilds both sentences to the letter
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
