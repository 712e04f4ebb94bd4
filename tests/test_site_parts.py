"""Invariants of the site's pure parts: paths, the chart, the feed, and folder swapping."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

import lxml.etree as etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.errors import BadInput
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.site import paths
from monitor.site.chart import STANCES, stance_chart
from monitor.site.feed import FeedItem, atom_feed, entry_id
from monitor.site.labels import words
from monitor.store.files import FolderBuild

SVG = "{http://www.w3.org/2000/svg}"
# the site's own paths, and deeper ones a later layout might use
page_paths = st.one_of(
    st.sampled_from(["index.html", "feed.atom", "letters/kst-28676-474.html", "topics/china.html",
                     "agendas/index.html", "compare/kst-1--kst-2.html", "style.css"]),
    st.lists(st.sampled_from(["a", "b", "letters", "x-1"]), min_size=0, max_size=3).map(
        lambda folders: "/".join([*folders, "page.html"])),
)


@given(page_paths, page_paths)
def test_a_relative_link_leads_back_to_its_target(here: str, target: str) -> None:
    link = paths.relative(here, target)
    assert not link.startswith("/") and "://" not in link
    assert posixpath.normpath(posixpath.join(posixpath.dirname(here), link)) == target


@given(st.text(min_size=1, max_size=40))
def test_a_topic_slug_is_always_a_safe_file_name(topic: str) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", paths.topic_slug(topic))


def test_every_lexicon_topic_has_its_own_page() -> None:
    names = topic_lexicon().names
    assert len({paths.topic_page(t) for t in names}) == len(names)


counts = st.dictionaries(st.sampled_from(STANCES), st.integers(0, 40))
labels = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)  # meeting dates, in practice


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(labels, counts), max_size=60))
def test_the_chart_is_well_formed_svg_with_one_rect_per_nonzero_stance(bars) -> None:
    svg = etree.fromstring(stance_chart(bars, title="t <&>", desc="d", names=words("nl")["stance"],
                                        chart_id="c").encode())
    rects = svg.findall(f"{SVG}rect[@class='bar']")
    assert len(rects) == sum(1 for _, c in bars for n in c.values() if n)
    assert len(list(svg.iter(f"{SVG}pattern"))) == len(STANCES)
    heights = {}
    for rect in rects:  # stacked bars never rise above the plot, whatever the counts
        assert float(rect.get("y")) >= 15.9 and float(rect.get("height")) > 0
        heights[rect.get("x")] = heights.get(rect.get("x"), 0) + float(rect.get("height"))
    assert all(h <= 150.5 for h in heights.values())


@given(st.lists(st.tuples(st.sampled_from(["letter", "comparison"]),
                          st.from_regex(r"kst-28676-[0-9]{1,4}", fullmatch=True), st.integers(1, 9)),
                max_size=20, unique=True))
def test_feed_entries_are_unique_and_the_newest_comes_first(entries) -> None:
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    items = [FeedItem(entry_id(kind, ident, version), "titel", f"letters/{ident}.html",
                      base + dt.timedelta(hours=i * 7 % 13), "samenvatting")
             for i, (kind, ident, version) in enumerate(entries)]
    root = etree.fromstring(atom_feed(items, title="NAVO", language="nl"))
    atom = "{http://www.w3.org/2005/Atom}"
    ids = [e.findtext(f"{atom}id") for e in root.findall(f"{atom}entry")]
    assert sorted(ids) == sorted(i.id for i in items) and len(set(ids)) == len(ids)
    stamps = [dt.datetime.fromisoformat(e.findtext(f"{atom}updated")) for e in root.findall(f"{atom}entry")]
    assert stamps == sorted(stamps, reverse=True)


def test_folder_build_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    with FolderBuild(tmp_path / "site") as build:
        for bad in ("../x.html", "/etc/passwd", "a/../../x", ""):
            with pytest.raises(ValueError):
                build.write(bad, b"x")
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "site").exists()


def test_folder_build_without_commit_leaves_the_target_untouched(tmp_path: Path) -> None:
    with FolderBuild(tmp_path / "site") as build:
        build.write("index.html", b"one")
        build.commit()
    with FolderBuild(tmp_path / "site") as build:
        build.write("index.html", b"two")
    assert (tmp_path / "site" / "index.html").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_folder_build_does_not_replace_a_file_with_a_folder(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("a file", encoding="utf-8")
    with pytest.raises(BadInput, match="not a folder"):
        with FolderBuild(tmp_path / "site"):
            pass
    assert (tmp_path / "site").read_text(encoding="utf-8") == "a file"


def test_a_symlinked_site_folder_stays_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "www").symlink_to(tmp_path / "real")
    for text in (b"one", b"two"):
        with FolderBuild(tmp_path / "www") as build:
            build.write("index.html", text)
            build.commit()
    assert (tmp_path / "www").is_symlink() and (tmp_path / "www" / "index.html").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".real.lock", "real", "www"]
