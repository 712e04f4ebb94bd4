"""Each publication of a series points to the one before it by meeting date, also after a late backfill."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.config import Config, StorageConfig
from monitor.model import Fetched, Publication
from monitor.store import Store

D = dt.date
AT = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path, database_url):
    with Store.open(Config(storage=StorageConfig(data_dir=str(tmp_path), database_url=database_url))) as s:
        yield s


def add(store: Store, number: int, series: str, meeting: D | None, *, content: bytes | None = None,
        reissue_of: str | None = None, suffix: str = ""):
    identifier = f"kst-28676-{number}{suffix}"
    pub = Publication(identifier, "28676", str(number), f"stuk {number}", "Brief", meeting, meeting, None,
                      reissue_of=reissue_of)
    data = content or f"<officiele-publicatie>{identifier}</officiele-publicatie>".encode()
    with store.transaction() as conn:
        return store.record_publication(conn, pub, [Fetched("xml", f"https://x/{identifier}.xml", data, AT)],
                                        series=series, meeting_date=meeting)


def chain(store: Store, series="fmm-agenda") -> list[tuple[str, str | None]]:
    return [(p.identifier, p.previous_in_series) for p in store.agendas(series)]


def test_agendas_link_to_the_previous_meeting(store):
    add(store, 446, "fmm-agenda", D(2023, 11, 28))
    add(store, 448, "fmm-verslag", D(2023, 11, 28))
    add(store, 474, "fmm-agenda", D(2024, 12, 3))
    assert chain(store) == [("kst-28676-446", None), ("kst-28676-474", "kst-28676-446")]
    assert store.previous_in_series("kst-28676-474") == "kst-28676-446"
    assert store.previous_in_series("kst-28676-448") is None
    # other letters are never linked
    add(store, 519, "other", D(2025, 6, 13))
    assert store.previous_in_series("kst-28676-519") is None


def test_an_older_agenda_backfilled_later_slots_in_between(store):
    add(store, 446, "fmm-agenda", D(2023, 11, 28))
    add(store, 500, "fmm-agenda", D(2025, 5, 14))
    assert store.previous_in_series("kst-28676-500") == "kst-28676-446"
    add(store, 474, "fmm-agenda", D(2024, 12, 3))
    assert chain(store) == [("kst-28676-446", None), ("kst-28676-474", "kst-28676-446"),
                            ("kst-28676-500", "kst-28676-474")]
    add(store, 300, "fmm-agenda", D(2018, 4, 27))
    assert chain(store)[:2] == [("kst-28676-300", None), ("kst-28676-446", "kst-28676-300")]


def test_meeting_date_not_publication_order_decides(store):
    # a stuk number is no clock: an agenda can be numbered after a later meeting's
    add(store, 475, "fmm-agenda", D(2024, 4, 3))
    add(store, 474, "fmm-agenda", D(2024, 12, 3))
    assert chain(store) == [("kst-28676-475", None), ("kst-28676-474", "kst-28676-475")]


def test_a_reclassified_new_version_leaves_its_old_series_chain_consistent(store):
    add(store, 446, "fmm-agenda", D(2023, 11, 28))
    add(store, 460, "fmm-agenda", D(2024, 4, 3))
    add(store, 474, "fmm-agenda", D(2024, 12, 3))
    # 460 turns out to be a report: its corrected version is classified differently
    add(store, 460, "fmm-verslag", D(2024, 4, 3), content=b"<officiele-publicatie>verslag</officiele-publicatie>")
    assert chain(store) == [("kst-28676-446", None), ("kst-28676-474", "kst-28676-446")]
    assert chain(store, "fmm-verslag") == [("kst-28676-460", None)]


def test_a_herdruk_is_not_a_link_of_its_own(store):
    add(store, 446, "fmm-agenda", D(2023, 11, 28))
    add(store, 474, "fmm-agenda", D(2024, 12, 3))
    add(store, 474, "fmm-agenda", D(2024, 12, 3), reissue_of="kst-28676-474", suffix="-n1",
        content=b"<officiele-publicatie>herdruk</officiele-publicatie>")
    assert chain(store) == [("kst-28676-446", None), ("kst-28676-474", "kst-28676-446")]
