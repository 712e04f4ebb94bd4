"""The static site built from a real snapshot store: pages, links, timeline, chart, feed, languages.

The store (tests/test_site_store.py) holds four successive FMM agendas edited in known ways
and four other letters; the site is built once per module and read back with lxml.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree as etree
import lxml.html
import pytest

from monitor.cli import main
from monitor.compare import compare
from monitor.documents import read_document
from monitor.render.html_page import render_html
from monitor.site import build_site
from monitor.store import Store
from tests.test_site_store import (
    AGENDAS, CHINA, CORRECTED, GAZA, OTHERS, agenda_xml, fill_store, store_config,
)

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[\w./~%!$&'()*+,;=:@-]+$")
IDS = [a.identifier for a in AGENDAS]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    with Store.open(store_config(tmp)) as store:
        fill_store(store)
        build_site(store, tmp / "public")
    return tmp / "public"


def page(site: Path, path: str):
    return lxml.html.fromstring((site / path).read_bytes())


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def own_pages(site: Path) -> list[Path]:
    """The site's own pages; compare/ holds the diff report of `monitor.render`, embedded as it is."""
    return [p for p in html_pages(site) if p.parent.name != "compare"]


# --- what is there --------------------------------------------------------------------------------


def test_the_site_has_an_index_a_page_per_letter_agenda_comparison_and_topic(site: Path) -> None:
    expected = ["index.html", "style.css", "feed.atom", "agendas/index.html", "topics/index.html",
                "topics/defensie-uitgaven.html", "topics/oekraine.html", "topics/eu-navo.html",
                f"letters/{CORRECTED}.html", f"letters/{CORRECTED}-v1.html",
                f"compare/{CORRECTED}-v1--{CORRECTED}-v2.html"]
    expected += [f"letters/{o.identifier}.html" for o in OTHERS]
    expected += [f"letters/{i}.html" for i in IDS] + [f"agendas/{i}.html" for i in IDS]
    expected += [f"compare/{a}--{b}.html" for a, b in zip(IDS, IDS[1:])]
    missing = [p for p in expected if not (site / p).is_file()]
    assert not missing
    assert not (site / f"compare/{IDS[0]}--{IDS[2]}.html").exists()  # only consecutive agendas


def test_no_internal_link_is_dead(site: Path) -> None:
    dead = []
    for path in html_pages(site):
        doc = lxml.html.fromstring(path.read_bytes())
        for element, attribute, link, _ in doc.iterlinks():
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or site.resolve() not in target.parents:
                dead.append(f"{path.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = lxml.html.fromstring(target.read_bytes()).xpath("//@id")
                if parts.fragment not in ids:
                    dead.append(f"{path.relative_to(site)}: {link} (no #{parts.fragment})")
    assert not dead


def test_links_are_relative_and_nothing_is_loaded_from_elsewhere(site: Path) -> None:
    for path in html_pages(site):
        doc = lxml.html.fromstring(path.read_bytes())
        assert not doc.xpath("//script | //iframe | //object | //embed"), path
        for element, attribute, link, _ in doc.iterlinks():
            if element.tag == "a" and attribute == "href":
                if urlsplit(link).scheme:
                    assert link.startswith("https://zoek.officielebekendmakingen.nl/"), (path, link)
            else:  # stylesheets, images, feeds: all local
                assert not urlsplit(link).scheme and not link.startswith("/"), (path, link)
    assert "url(" not in (site / "style.css").read_text(encoding="utf-8")


# --- accessible and readable ----------------------------------------------------------------------


def test_every_page_has_a_language_landmarks_one_h1_and_no_skipped_heading_level(site: Path) -> None:
    for path in own_pages(site):
        doc = page(site, str(path.relative_to(site)))
        where = path.relative_to(site)
        assert doc.get("lang") == "nl", where
        assert doc.xpath("//meta[@name='viewport']"), where
        for landmark in ("header", "nav", "main", "footer"):
            assert len(doc.xpath(f"//{landmark}")) == 1, (where, landmark)
        assert doc.xpath("//nav/@aria-label"), where
        assert doc.xpath("//a[@href='#main']") and doc.xpath("//main[@id='main']"), where
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels and levels[0] == 1 and levels.count(1) == 1, where
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (where, levels)
    for path in html_pages(site):  # the embedded diff reports too
        assert lxml.html.fromstring(path.read_bytes()).get("lang") == "nl"


def test_the_stylesheet_adapts_to_phones_and_print(site: Path) -> None:
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "@media (max-width:" in css and "@media print" in css


# --- index and letters ----------------------------------------------------------------------------


def test_the_index_lists_every_letter_newest_first_with_badge_original_and_our_copy(site: Path) -> None:
    items = page(site, "index.html").xpath("//ol[@class='letters']/li")
    assert len(items) == len(AGENDAS) + len(OTHERS)
    days = [li.xpath(".//time/@datetime")[0] for li in items]
    assert days == sorted(days, reverse=True)
    by_id = {text_of(li.xpath(".//span[@class='ident']")[0]): li for li in items}
    for ident, li in by_id.items():
        hrefs = li.xpath(".//a/@href")
        assert f"https://zoek.officielebekendmakingen.nl/{ident}.html" in hrefs
        assert f"letters/{ident}.html" in hrefs
        assert li.xpath(".//span[contains(@class, 'badge')]")
    assert text_of(by_id[IDS[0]].xpath(".//span[contains(@class,'badge')]")[0]) == "FMM-agenda"
    assert f"agendas/{IDS[0]}.html" in by_id[IDS[0]].xpath(".//a/@href")
    assert text_of(by_id["kst-28676-406"].xpath(".//span[contains(@class,'badge')]")[0]) == "FMM-verslag"


def test_a_letter_page_shows_the_text_by_section_and_its_versions(site: Path) -> None:
    doc = page(site, f"letters/{IDS[1]}.html")
    headings = [text_of(h) for h in doc.xpath("//main//h3")]
    assert "Werksessie Strategische uitdagingen" in headings and "Werkdiner NATO-Ukraine Council" in headings
    assert "als absolute ondergrens" in text_of(doc.xpath("//main")[0])
    corrected = page(site, f"letters/{CORRECTED}.html")
    versions = corrected.xpath("//ol[@class='version-list']/li")
    assert len(versions) == 2
    assert f"{CORRECTED}-v1.html" in versions[0].xpath(".//a/@href")
    assert f"../compare/{CORRECTED}-v1--{CORRECTED}-v2.html" in versions[1].xpath(".//a/@href")
    assert "veiligheid en vrijheid" in text_of(corrected) and "veiligheid en vrijheid" not in text_of(
        page(site, f"letters/{CORRECTED}-v1.html"))


# --- agendas --------------------------------------------------------------------------------------


def test_an_agenda_page_lists_positions_by_session_and_topic(site: Path) -> None:
    doc = page(site, f"agendas/{IDS[3]}.html")
    sessions = doc.xpath("//section[h2[@id='positions']]/h3")
    assert "Werksessie Strategische uitdagingen" in [text_of(h) for h in sessions]
    topic = doc.xpath("//section[h2[@id='positions']]/h4[a='defensie-uitgaven']")[0]
    positions = topic.getnext()
    assert "minimaal 5% van het bbp" in text_of(positions)
    assert text_of(positions.xpath(".//span[contains(@class,'stance')]")[0]) == "benadrukt"


def test_an_agenda_page_shows_the_changed_positions_and_links_the_full_report(site: Path) -> None:
    doc = page(site, f"agendas/{IDS[3]}.html")
    section = doc.xpath("//section[h2[@id='comparison']]")[0]
    assert f"../compare/{IDS[2]}--{IDS[3]}.html" in section.xpath(".//a/@href")
    changed = [li for li in section.xpath(".//li[contains(@class,'change-changed')]")
               if "Defense Investment Pledge" in text_of(li)]
    assert [text_of(d) for d in changed[0].xpath(".//del")] == ["3,5"]
    dropped = [text_of(li) for li in section.xpath(".//li[contains(@class,'change-removed')]")]
    assert any(GAZA in t for t in dropped)
    assert "vervallen" in text_of(section.xpath(".//p")[0])  # the counts line


def test_the_comparison_page_is_the_diff_report(site: Path) -> None:
    old = read_document(agenda_xml(AGENDAS[2]), source=f"store:{IDS[2]}@1", media_type="application/xml")
    new = read_document(agenda_xml(AGENDAS[3]), source=f"store:{IDS[3]}@1", media_type="application/xml")
    report = render_html(compare(old, new), language="nl")
    built = (site / f"compare/{IDS[2]}--{IDS[3]}.html").read_text(encoding="utf-8")
    body = report.split("<body>", 1)[1]
    assert built.endswith(body)  # the report as `diff --format html` makes it, after one link back
    assert page(site, f"compare/{IDS[2]}--{IDS[3]}.html").xpath("//body/p[1]/a/@href") == ["../index.html"]


def test_the_agendas_page_lists_them_newest_meeting_first(site: Path) -> None:
    links = page(site, "agendas/index.html").xpath("//ol[@class='agendas']/li//a/@href")
    assert [link for link in links if not link.startswith("../compare")] == [f"{i}.html" for i in reversed(IDS)]


# --- topic timelines ------------------------------------------------------------------------------


def steps(site: Path, topic_path: str) -> list:
    return page(site, topic_path).xpath("//ol[@class='timeline']/li")


def redline_marks(step) -> list[tuple[list[str], list[str]]]:
    return [([text_of(d) for d in p.xpath(".//del")], [text_of(i) for i in p.xpath(".//ins")])
            for p in step.xpath(".//p[@class='redline']")]


def test_the_defence_spending_timeline_climbs_step_by_step_with_redlines(site: Path) -> None:
    timeline = steps(site, "topics/defensie-uitgaven.html")
    assert [s.xpath(".//h3/a/@href")[0] for s in timeline] == [f"../agendas/{i}.html" for i in IDS]
    assert [text_of(s.xpath(".//h3/a")[0]) for s in timeline] == [
        # the meeting's days, as the agenda's own page and the mails write them
        "Geannoteerde agenda FMM 3-4 apr 2024", "Geannoteerde agenda FMM 3-4 dec 2024",
        "Geannoteerde agenda FMM 14-15 mei 2025", "Geannoteerde agenda FMM 3 dec 2025"]
    assert redline_marks(timeline[0]) == []
    assert redline_marks(timeline[1]) == [(["minimaal"], ["als absolute ondergrens", "te"])]
    assert redline_marks(timeline[2]) == [(["2", "als absolute ondergrens"], ["minimaal 3,5"])]
    assert redline_marks(timeline[3]) == [(["3,5"], ["5", "en defensiegerelateerde uitgaven"])]
    assert "cijfer" in text_of(timeline[3].xpath(".//li[contains(@class,'change-changed')]")[0])


def test_the_ukraine_timeline_shows_the_wording_change_and_the_quiet_steps(site: Path) -> None:
    timeline = steps(site, "topics/oekraine.html")
    assert "Geen veranderingen." in text_of(timeline[1])
    marks = [m for m in redline_marks(timeline[2]) if m[0] == ["voor zolang als nodig"]]
    assert marks == [(["voor zolang als nodig"], ["onverminderd"])]
    assert (["en ook financieel"] in [m[1] for m in redline_marks(timeline[3])])


def test_a_new_position_and_a_dropped_one_show_as_such_in_their_timelines(site: Path) -> None:
    china = steps(site, "topics/china.html")
    added = china[2].xpath(".//li[contains(@class,'change-added')]")
    assert [text_of(li.xpath(".//ins")[0]) for li in added] == [CHINA]
    assert "nieuw" in text_of(added[0].xpath(".//span[contains(@class,'status')]")[0])
    south = steps(site, "topics/zuidflank-en-midden-oosten.html")
    removed = [text_of(li) for li in south[3].xpath(".//li[contains(@class,'change-removed')]")]
    assert len(removed) == 1 and GAZA in removed[0]


def test_the_chart_is_labelled_svg_with_patterns_a_legend_and_the_same_figures_as_the_table(site: Path) -> None:
    doc = page(site, "topics/oekraine.html")
    (svg,) = doc.xpath("//figure//svg")
    assert svg.get("role") == "img"
    for ref in svg.get("aria-labelledby").split():
        assert svg.xpath(f".//*[@id='{ref}']"), ref
    pattern_ids = set(svg.xpath(".//pattern/@id"))
    fills = svg.xpath(".//rect[@class='bar']/@fill")
    assert fills and all(f[5:-1] in pattern_ids for f in fills)  # url(#…): patterns, not colour alone
    legend = [text_of(t) for t in svg.xpath("./text")]
    assert {"steunt", "benadrukt", "is tegen", "aanvaardt", "neutraal"} <= set(legend)
    rows = doc.xpath("//table[@class='figures']/tbody/tr")
    totals = [int(text_of(r.xpath("./td")[-1])) for r in rows]
    summaries = [s.xpath(".//summary") for s in doc.xpath("//ol[@class='timeline']/li")]
    counted = [int(re.search(r"\((\d+)\)", text_of(s[0])).group(1)) if s else 0 for s in summaries]
    assert totals == counted and len(rows) == len(AGENDAS)
    segments = sum(1 for r in rows for td in r.xpath("./td")[:-1] if text_of(td) != "0")
    assert len(fills) == segments


def test_the_topics_page_counts_positions_per_topic(site: Path) -> None:
    rows = {text_of(r.xpath("./th")[0]): [text_of(td) for td in r.xpath("./td")]
            for r in page(site, "topics/index.html").xpath("//tbody/tr")}
    assert rows["defensie-uitgaven"] == ["1", "4"]
    assert rows["China"][0] == "1"


# --- feed -----------------------------------------------------------------------------------------


def test_the_feed_is_atom_with_an_entry_per_letter_version_and_per_comparison(site: Path) -> None:
    feed = etree.parse(str(site / "feed.atom")).getroot()
    assert feed.tag == f"{ATOM}feed"
    assert TAG_URI.match(feed.findtext(f"{ATOM}id")) and feed.findtext(f"{ATOM}title")
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(AGENDAS) + len(OTHERS) + 1 + (len(AGENDAS) - 1)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(TAG_URI.match(i) for i in ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert all(RFC3339.match(u) for u in updated)
    stamps = [dt.datetime.fromisoformat(u) for u in updated]
    assert stamps == sorted(stamps, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        (link,) = entry.findall(f"{ATOM}link")
        assert (site / link.get("href")).is_file(), link.get("href")
    comparison = next(e for e in entries if e.findtext(f"{ATOM}id").endswith(f"{IDS[2]}/v1/{IDS[3]}/v1"))
    assert comparison.find(f"{ATOM}link").get("href") == f"compare/{IDS[2]}--{IDS[3]}.html"
    assert "vervallen" in comparison.findtext(f"{ATOM}summary")


def test_the_feed_ids_and_dates_do_not_change_when_the_site_moves(tmp_path: Path) -> None:
    with Store.open(store_config(tmp_path)) as store:
        fill_store(store)
        build_site(store, tmp_path / "a")
        build_site(store, tmp_path / "b", base_url="https://example.org/navo")  # the folder, without a slash

    def entries(folder: str):
        root = etree.parse(str(tmp_path / folder / "feed.atom")).getroot()
        return [(e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"), e.find(f"{ATOM}link").get("href"))
                for e in root.findall(f"{ATOM}entry")]

    local, hosted = entries("a"), entries("b")
    assert [e[:2] for e in local] == [e[:2] for e in hosted]
    assert [e[2] for e in hosted] == ["https://example.org/navo/" + e[2] for e in local]
    index = lxml.html.fromstring((tmp_path / "b" / "index.html").read_bytes())
    assert index.xpath("//link[@rel='canonical']/@href") == ["https://example.org/navo/index.html"]


# --- English, and the command ---------------------------------------------------------------------


def test_english_labels_when_asked(tmp_path: Path) -> None:
    with Store.open(store_config(tmp_path)) as store:
        fill_store(store)
        build_site(store, tmp_path / "en", language="en", title="NATO watch")
    doc = lxml.html.fromstring((tmp_path / "en" / "topics" / "defensie-uitgaven.html").read_bytes())
    assert doc.get("lang") == "en"
    assert text_of(doc.xpath("//h1")[0]) == "Topic: defensie-uitgaven"
    assert [text_of(a) for a in doc.xpath("//nav//a")] == ["Letters", "Agendas", "Topics", "Atom feed"]
    assert "Annotated agenda FMM 3 Dec 2025" in text_of(doc)
    assert doc.xpath("//title")[0].text.endswith("· NATO watch")
    feed = etree.parse(str(tmp_path / "en" / "feed.atom")).getroot()
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_the_site_command_builds_with_the_site_settings(tmp_path: Path, capsys) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text('[storage]\ndata_dir = "data"\n[site]\nlanguage = "en"\ntitle = "NATO watch"\n',
                      encoding="utf-8")
    with Store.open(store_config(tmp_path)) as store:
        fill_store(store)
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), "site", "-o", str(tmp_path / "out")])
    assert exit_.value.code == 0
    assert "out" in capsys.readouterr().out
    assert lxml.html.fromstring((tmp_path / "out" / "index.html").read_bytes()).get("lang") == "en"


def test_the_site_command_without_a_folder_names_the_missing_setting(tmp_path: Path, capsys) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), "site"])
    assert exit_.value.code == 2
    assert "site.path" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # a call that cannot work leaves nothing behind


def test_an_output_folder_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    with Store.open(store_config(tmp_path)) as store:
        fill_store(store)
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(config), "site", "-o", str(tmp_path / "a-file" / "site")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err == f"dossier-monitor: {tmp_path / 'a-file' / 'site'}: {tmp_path / 'a-file'} is a file, not a folder\n"
    assert (tmp_path / "a-file").read_text() == "not a folder"
