"""Rebuilding the site: only pages whose inputs changed are written, and the new site replaces the old whole."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from monitor.errors import BadInput, MonitorError
from monitor.model import Publication
from monitor.site import build_site
from monitor.site.build import MANIFEST
from monitor.store import Store
from tests.test_site_store import (
    AGENDAS, OTHERS, agenda_xml, fetched_at, fill_store, record, record_agenda, store_config,
)

IDS = [a.identifier for a in AGENDAS]
TOPIC_PAGES = 17 + 1  # every lexicon topic, and the topics index


def snapshot_of(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file with its inode and content hash."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.build-")
            or p.name.startswith(f".{folder.name}.old-")]


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(store_config(tmp_path)) as opened:
        yield opened


def test_a_rebuild_without_news_writes_nothing_and_keeps_the_folder(store: Store, tmp_path: Path) -> None:
    fill_store(store)
    out = tmp_path / "site"
    first = build_site(store, out)
    before, inode = snapshot_of(out), out.stat().st_ino
    again = build_site(store, out)
    assert first.changed and not again.changed
    assert again.written == () and again.removed == () and set(again.reused) == set(first.written)
    assert snapshot_of(out) == before and out.stat().st_ino == inode


def test_a_new_agenda_rewrites_only_the_pages_it_touches(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:3])
    out = tmp_path / "site"
    build_site(store, out)
    before = snapshot_of(out)
    record_agenda(store, AGENDAS[3])
    report = build_site(store, out)
    after = snapshot_of(out)

    new = {f"letters/{IDS[3]}.html", f"agendas/{IDS[3]}.html", f"compare/{IDS[2]}--{IDS[3]}.html"}
    lists = {"index.html", "feed.atom", "agendas/index.html"}
    assert set(report.written) == new | lists | {p for p in after if p.startswith("topics/")}
    assert len([p for p in report.written if p.startswith("topics/")]) == TOPIC_PAGES
    assert report.removed == ()
    # everything else is the very same file (hard-linked from the previous build, not rewritten)
    untouched = set(before) - set(report.written) - {MANIFEST}
    assert untouched and untouched == set(report.reused)
    assert {p: after[p] for p in untouched} == {p: before[p] for p in untouched}
    assert f"agendas/{IDS[2]}.html" in untouched and f"compare/{IDS[1]}--{IDS[2]}.html" in untouched
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(after) - {MANIFEST}


def test_a_corrected_agenda_rewrites_its_pages_and_both_comparisons_it_is_part_of(store: Store, tmp_path: Path) -> None:
    fill_store(store)
    out = tmp_path / "site"
    build_site(store, out)
    corrected = agenda_xml(AGENDAS[1]).replace("Brussel".encode(), "Brussel (België)".encode(), 1)
    record_agenda(store, AGENDAS[1], corrected)
    report = build_site(store, out)
    written = set(report.written)
    assert {f"letters/{IDS[1]}.html", f"letters/{IDS[1]}-v1.html", f"agendas/{IDS[1]}.html",
            f"compare/{IDS[0]}--{IDS[1]}.html", f"compare/{IDS[1]}--{IDS[2]}.html",
            f"compare/{IDS[1]}-v1--{IDS[1]}-v2.html"} <= written
    assert f"compare/{IDS[2]}--{IDS[3]}.html" in report.reused
    assert f"agendas/{IDS[3]}.html" in report.reused
    assert f"letters/{OTHERS[0].identifier}.html" in report.reused


def test_pages_that_lost_their_input_are_removed(store: Store, tmp_path: Path) -> None:
    fill_store(store)
    out = tmp_path / "site"
    build_site(store, out)
    # a new version of the last agenda that the classifier files under "other"
    spec = AGENDAS[3]
    pub = Publication(spec.identifier, "28676", spec.number, "NAVO; Brief", "Brief", spec.letter_date,
                      spec.letter_date, "v2")
    record(store, pub, agenda_xml(spec) + b"\n", series="other", media_type="application/xml",
           when=fetched_at(spec.letter_date, 15))
    report = build_site(store, out)
    assert set(report.removed) == {f"agendas/{IDS[3]}.html", f"compare/{IDS[2]}--{IDS[3]}.html"}
    assert not (out / "agendas" / f"{IDS[3]}.html").exists()


def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:3])
    out = tmp_path / "site"
    build_site(store, out)
    before = snapshot_of(out)
    record_agenda(store, AGENDAS[3])
    # the new agenda's bytes vanish from the data folder: its pages cannot be made
    sha = store.versions_of(IDS[3])[0].content_sha256
    store.blobs.path_for(sha).unlink()
    with pytest.raises(MonitorError, match="missing"):
        build_site(store, out)
    assert snapshot_of(out) == before
    assert leftovers(out) == []


def test_the_new_site_replaces_the_old_folder_in_one_step(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:2])
    out = tmp_path / "site"
    build_site(store, out)
    old_inode = out.stat().st_ino
    old_index = (out / "index.html").stat().st_ino
    record_agenda(store, AGENDAS[2])
    build_site(store, out)
    # a different folder took the name (never the old one filled in place), the old one is gone
    assert out.stat().st_ino != old_inode and (out / "index.html").stat().st_ino != old_index
    assert leftovers(out) == []
    assert (out / f"agendas/{IDS[2]}.html").is_file()


def test_leftovers_of_a_killed_build_are_cleared(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:1])
    out = tmp_path / "site"
    killed = tmp_path / ".site.build-abc123"
    (killed / "letters").mkdir(parents=True)
    (killed / "letters" / "half.html").write_text("<p>half", encoding="utf-8")
    build_site(store, out)
    assert leftovers(out) == [] and (out / "index.html").is_file()


def test_a_folder_that_is_not_a_site_is_never_replaced(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:1])
    out = tmp_path / "documents"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BadInput, match="not made by dossier-monitor"):
        build_site(store, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_site(store, empty).changed and (empty / "index.html").is_file()


def test_a_damaged_manifest_means_a_full_rebuild(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:2])
    out = tmp_path / "site"
    first = build_site(store, out)
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    again = build_site(store, out)
    assert set(again.written) == set(first.written) and again.reused == ()


def test_a_missing_page_is_written_again(store: Store, tmp_path: Path) -> None:
    fill_store(store, AGENDAS[:2])
    out = tmp_path / "site"
    build_site(store, out)
    os.remove(out / "topics" / "china.html")
    report = build_site(store, out)
    assert report.written == ("topics/china.html",)
