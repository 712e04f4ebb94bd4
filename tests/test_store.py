"""The snapshot store against real SQLite files: versions, idempotence, herdrukken, reads."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from monitor.config import Config, StorageConfig
from monitor.errors import BadInput
from monitor.model import Fetched, Publication
from monitor.store import Store
from monitor.store.schema import manifestations, publications, versions

T0 = dt.datetime(2024, 11, 22, 12, 0, tzinfo=dt.UTC)


def pub(identifier="kst-28676-474", *, title="Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024",
        date=dt.date(2024, 11, 22), reissue_of=None, modified=None) -> Publication:
    number = identifier.split("-")[2]
    return Publication(identifier, "28676", number, title, "Brief", date, date, modified,
                       urls={"xml": f"https://zoek.officielebekendmakingen.nl/{identifier}.xml"},
                       dossiers=("28676",), reissue_of=reissue_of)


def fetched(data: bytes, manifestation="xml", *, at=T0, etag=None, identifier="kst-28676-474") -> Fetched:
    return Fetched(manifestation, f"https://zoek.officielebekendmakingen.nl/{identifier}.{manifestation}", data,
                   at, media_type="application/xml", etag=etag, last_modified="Fri, 22 Nov 2024 12:00:00 GMT")


@pytest.fixture
def store(tmp_path: Path, database_url):
    cfg = Config(storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=database_url))
    with Store.open(cfg) as s:
        yield s


def record(store: Store, p: Publication, items: list[Fetched], series="other", meeting_date=None):
    with store.transaction() as conn:
        return store.record_publication(conn, p, items, series=series, meeting_date=meeting_date)


def counts(store: Store) -> tuple[int, int, int]:
    with store.engine.connect() as c:
        return tuple(c.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (publications, versions, manifestations))


def blob_files(store: Store) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in store.blobs.root.rglob("*") if p.is_file()}


XML_V1 = "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<officiele-publicatie>Oekraïne €5 – coördinatie</officiele-publicatie>".encode()
XML_V2 = XML_V1.replace("€5".encode(), "€6".encode())


def test_open_creates_the_data_folder_and_the_database(tmp_path):
    cfg = Config(storage=StorageConfig(data_dir=str(tmp_path / "new" / "data")))
    with Store.open(cfg):
        pass
    assert (tmp_path / "new" / "data" / "monitor.sqlite").is_file()


def test_first_record_stores_version_one_and_reads_back_byte_exact(store):
    pdf = b"%PDF-1.7 fake"
    r = record(store, pub(), [fetched(XML_V1), fetched(pdf, "pdf")])
    assert (r.identifier, r.version, r.new_publication, r.new_version, r.previous_version) == \
        ("kst-28676-474", 1, True, True, None)
    snap, data = store.read_version("kst-28676-474")
    assert data == XML_V1 and snap.manifestation == "xml" and snap.size == len(XML_V1)
    assert store.read_version("kst-28676-474", 1, "pdf")[1] == pdf
    assert snap.fetched_at == T0


def test_re_recording_identical_content_writes_nothing(store):
    record(store, pub(), [fetched(XML_V1)])
    before_rows, before_blobs = counts(store), blob_files(store)
    r = record(store, pub(), [fetched(XML_V1, at=T0 + dt.timedelta(hours=1), etag='"new"')])
    assert (r.new_publication, r.new_version, r.version) == (False, False, 1)
    assert counts(store) == before_rows
    assert blob_files(store) == before_blobs


def test_changed_content_becomes_version_two_and_version_one_stays_intact(store):
    record(store, pub(), [fetched(XML_V1)])
    r = record(store, pub(modified="2024-11-25"), [fetched(XML_V2, at=T0 + dt.timedelta(days=3))])
    assert (r.version, r.new_version, r.previous_version, r.new_publication) == (2, True, 1, False)
    assert store.read_version("kst-28676-474", 1)[1] == XML_V1
    assert store.read_version("kst-28676-474", 2)[1] == XML_V2
    assert store.read_version("kst-28676-474")[0].version == 2
    assert [v.version for v in store.versions_of("kst-28676-474")] == [1, 2]


def test_the_listing_stamp_moves_with_each_new_version_and_only_then(store):
    empty = store.listing_stamp()
    record(store, pub(), [fetched(XML_V1)])
    first = store.listing_stamp()
    record(store, pub(modified="2024-11-23"), [fetched(XML_V1, at=T0 + dt.timedelta(days=1))])  # a new stamp only
    assert store.listing_stamp() == first != empty
    record(store, pub(), [fetched(XML_V2)])
    assert store.listing_stamp() not in (empty, first)


def test_primary_content_decides_a_new_version_not_the_other_manifestations(store):
    record(store, pub(), [fetched(XML_V1), fetched(b"%PDF a", "pdf")])
    r = record(store, pub(), [fetched(XML_V1), fetched(b"%PDF b", "pdf")])
    assert not r.new_version


def test_html_is_primary_when_there_is_no_xml(store):
    record(store, pub(), [fetched(b"<html>v1</html>", "html"), fetched(b"%PDF", "pdf")])
    assert store.read_version("kst-28676-474")[0].manifestation == "html"


def test_a_record_without_text_manifestation_is_refused(store):
    with pytest.raises(BadInput, match="no xml, html or pdf"):
        record(store, pub(), [fetched(b"<metadata/>", "metadata")])
    assert counts(store) == (0, 0, 0)


def test_a_herdruk_is_the_next_version_of_its_original(store):
    record(store, pub("kst-28676-187"), [fetched(XML_V1, identifier="kst-28676-187")])
    r = record(store, pub("kst-28676-187-n1", reissue_of="kst-28676-187"),
               [fetched(XML_V2, identifier="kst-28676-187-n1")])
    assert (r.identifier, r.version, r.previous_version, r.published_as) == \
        ("kst-28676-187", 2, 1, "kst-28676-187-n1")
    assert r.new_version and not r.new_publication
    assert store.get_publication("kst-28676-187-n1").reissue_of == "kst-28676-187"
    assert [(v.version, v.published_as) for v in store.versions_of("kst-28676-187")] == \
        [(1, "kst-28676-187"), (2, "kst-28676-187-n1")]
    # the listing shows the original identifier, one entry per version
    assert [(e["id"], e["version"], e["published_as"]) for e in store.list_snapshots()] == \
        [("kst-28676-187", 1, "kst-28676-187"), ("kst-28676-187", 2, "kst-28676-187-n1")]
    # asking for the -n1 id reads the herdruk itself
    assert store.read_version("kst-28676-187-n1")[1] == XML_V2
    assert store.read_version("kst-28676-187", 1)[1] == XML_V1


def test_re_polling_original_and_herdruk_after_the_herdruk_writes_nothing(store):
    record(store, pub("kst-28676-187"), [fetched(XML_V1)])
    record(store, pub("kst-28676-187-n1", reissue_of="kst-28676-187"), [fetched(XML_V2)])
    before = counts(store), blob_files(store)
    a = record(store, pub("kst-28676-187"), [fetched(XML_V1)])
    b = record(store, pub("kst-28676-187-n1", reissue_of="kst-28676-187"), [fetched(XML_V2)])
    assert (a.new_version, a.version, b.new_version, b.version) == (False, 1, False, 2)
    assert (counts(store), blob_files(store)) == before


def test_a_failed_transaction_leaves_no_row_but_may_leave_an_orphan_blob(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            store.record_publication(conn, pub(), [fetched(XML_V1)], series="other", meeting_date=None)
            raise RuntimeError("the pipeline failed after storing")
    assert counts(store) == (0, 0, 0)
    # retrying stores it properly; the orphan blob is simply reused
    assert record(store, pub(), [fetched(XML_V1)]).version == 1
    assert store.read_version("kst-28676-474")[1] == XML_V1


def test_unknown_identifier_version_or_manifestation_is_bad_input(store):
    with pytest.raises(BadInput, match="unknown kst id kst-28676-999"):
        store.read_version("kst-28676-999")
    record(store, pub(), [fetched(XML_V1)])
    with pytest.raises(BadInput, match="no version 7"):
        store.read_version("kst-28676-474", 7)
    with pytest.raises(BadInput, match="no pdf manifestation"):
        store.read_version("kst-28676-474", manifestation="pdf")


@pytest.mark.parametrize("evil", ["../../etc/passwd", "kst-28676-474/../../x", "kst/28676", "", "KST-1",
                                  "kst-28676-474\n", "kst-..-x/y"])
def test_identifiers_that_could_reach_the_filesystem_are_refused(store, evil):
    with pytest.raises(BadInput, match="not a publication identifier"):
        record(store, Publication(evil, "28676", None, "t", "Brief", None, None, None), [fetched(XML_V1)])
    with pytest.raises(BadInput, match="not a publication identifier"):
        record(store, pub("kst-28676-187-n1", reissue_of=evil), [fetched(XML_V1)])
    with pytest.raises(BadInput):
        store.read_version(evil)
    assert counts(store) == (0, 0, 0)


def test_validators_of_the_latest_fetch(store):
    assert store.validators("kst-28676-474") == {}
    record(store, pub(), [fetched(XML_V1, etag='"a"')])
    record(store, pub(), [fetched(XML_V2, etag='"b"')])
    v = store.validators("kst-28676-474")
    assert v["xml"].etag == '"b"' and v["xml"].last_modified.endswith("GMT")


def test_list_snapshots_has_the_contract_keys(store):
    record(store, pub(), [fetched(XML_V1)], series="fmm-agenda", meeting_date=dt.date(2024, 12, 3))
    (entry,) = store.list_snapshots()
    assert {"id", "version", "series", "title", "date", "sha256", "fetched_at"} <= entry.keys()
    assert entry["id"] == "kst-28676-474" and entry["series"] == "fmm-agenda" and entry["date"] == "2024-11-22"
    assert entry["fetched_at"] == "2024-11-22T12:00:00+00:00" and len(entry["sha256"]) == 64
    assert store.list_snapshots(series="fmm-verslag") == []


def test_state_round_trips_json_values(store):
    assert store.get_state(None, "watermark:28676") is None
    with store.transaction() as conn:
        store.set_state(conn, "watermark:28676", {"date": dt.date(2024, 11, 22), "identifier": "kst-28676-474"})
        store.set_state(conn, "backfill:28676", 3)
        store.set_state(conn, "backfill:28676", 4)
    assert store.get_state(None, "watermark:28676") == {"date": "2024-11-22", "identifier": "kst-28676-474"}
    assert store.get_state(None, "backfill:28676") == 4
    with store.transaction() as conn:
        store.set_state(conn, "backfill:28676", None)
        assert store.get_state(conn, "backfill:28676", "gone") == "gone"


def test_state_written_in_a_failed_transaction_is_not_kept(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            store.set_state(conn, "watermark:28676", "2024-11-22")
            raise RuntimeError
    assert store.get_state(None, "watermark:28676") is None


def test_poll_log(store):
    first = store.start_poll()
    store.finish_poll(first, ok=True, seen=12, stored=1)
    second = store.start_poll()
    running = store.last_polls(2)
    assert [p.id for p in running] == [second, first]
    assert running[0].ok is None and running[0].finished_at is None
    store.finish_poll(second, ok=False, seen=0, stored=0, error="timeout")
    latest = store.last_polls(1)[0]
    assert (latest.ok, latest.error) == (False, "timeout") and latest.finished_at >= latest.started_at


def test_the_database_holds_no_absolute_blob_paths(store):
    # the data folder can be moved: rows hold hashes, the path is derived
    record(store, pub(), [fetched(XML_V1)])
    with store.engine.connect() as c:
        urls_and_hashes = c.execute(select(manifestations.c.sha256)).scalars().all()
    assert all(len(h) == 64 and os.sep not in h for h in urls_and_hashes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([b"<a/>", b"<b/>", b"<c/>"]), min_size=1, max_size=8))
def test_versions_are_the_polled_contents_without_repeats(tmp_path_factory, polled):
    data_dir = tmp_path_factory.mktemp("store")
    with Store.open(Config(storage=StorageConfig(data_dir=str(data_dir)))) as s:
        for content in polled:
            record(s, pub(), [fetched(content)])
        stored = [s.read_version("kst-28676-474", v.version)[1] for v in s.versions_of("kst-28676-474")]
        assert len(list(s.blobs.root.rglob("*.gz"))) == len(set(polled))
    expected = [c for i, c in enumerate(polled) if i == 0 or polled[i - 1] != c]
    assert stored == expected


def test_a_new_modified_stamp_on_unchanged_content_is_remembered_without_a_version(store):
    record(store, pub(modified="2024-11-22T10:00:00"), [fetched(XML_V1)])
    before_rows, before_blobs = counts(store), blob_files(store)
    r = record(store, pub(modified="2024-11-23T08:00:00"), [fetched(XML_V1)])
    assert not r.new_version and (counts(store), blob_files(store)) == (before_rows, before_blobs)
    assert store.get_publication("kst-28676-474").modified == "2024-11-23T08:00:00"
