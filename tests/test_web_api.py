"""The read-only JSON API (``/api/v1``, ``/healthz``) with Starlette's test client, on real SQLite stores.

The main store is the site's test store (tests/test_site_store.py: four FMM agendas edited in
known ways and four other letters, one corrected); a second one is filled by a real poll
against the KOOP-shaped peer. Only the API's own routes are mounted, as the web app mounts them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from monitor import pipeline
from monitor.config import Config, SiteConfig, StorageConfig
from monitor.model import SERIES, Fetched, Publication
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.source import SourceClient
from monitor.store import DataDirLock, Store
from monitor.web.api import api_routes
from monitor.web.conditional import http_date
from tests.database import on_database
from tests.peer import synthesise
from tests.peer.fixtures import peer_source_config
from tests.test_site_store import (
    AGENDAS, CORRECTED, OTHERS, AgendaSpec, agenda_xml, fetched_at, fill_store, record, record_agenda, record_other,
    store_config,
)

DATES = {spec.identifier: spec.letter_date for spec in AGENDAS} | {o.identifier: o.date for o in OTHERS}
ORDER = sorted(DATES, key=DATES.get)  # publication order: by letter date (no two share a day here)
SERIES_OF = {spec.identifier: "fmm-agenda" for spec in AGENDAS} | {o.identifier: o.series for o in OTHERS}


@pytest.fixture(scope="module")
def config(tmp_path_factory, module_database_url) -> Config:
    config = on_database(store_config(tmp_path_factory.mktemp("api")), module_database_url)
    with Store.open(config) as store:
        fill_store(store)
    return config


@pytest.fixture(scope="module")
def api(config) -> TestClient:
    return TestClient(Starlette(routes=api_routes(config)))


@pytest.fixture
def own(tmp_path, database_url) -> tuple[Config, TestClient]:
    """A store of its own, for tests that change it."""
    config = on_database(store_config(tmp_path), database_url)
    with Store.open(config) as store:
        fill_store(store)
    return config, TestClient(Starlette(routes=api_routes(config)))


def ids(page: dict) -> list[str]:
    return [letter["id"] for letter in page["letters"]]


def walk(api: TestClient, first: str) -> list[str]:
    """Every letter id from ``first`` on, following the 'next' links."""
    seen, url = [], first
    while url:
        page = api.get(url).json()
        seen += ids(page)
        url = page["next"]
    return seen


def assert_error(response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "status"} and body["status"] == status
    assert "\n" not in body["error"] and "Traceback" not in response.text
    for word in words:
        assert word in body["error"]


# --- /api/v1/letters ----------------------------------------------------------------------------


def test_the_letters_come_in_publication_order_with_their_versions_and_links(api):
    page = api.get("/api/v1/letters").json()
    assert page["schema"] == "dossier-monitor.letters/1"
    assert ids(page) == ORDER and page["total"] == 8 and page["limit"] == 50 and page["next"] is None
    corrected = next(letter for letter in page["letters"] if letter["id"] == CORRECTED)
    assert corrected["versions"] == 2 and corrected["latest_version"] == 2 and corrected["series"] == "summit"
    assert corrected["url"] == f"http://testserver/api/v1/letters/{CORRECTED}"
    agenda = next(letter for letter in page["letters"] if letter["id"] == "kst-28676-474")
    assert agenda["date"] == "2024-11-22" and agenda["meeting_date"] == "2024-12-03"
    assert all(api.get(letter["url"]).status_code == 200 for letter in page["letters"])


def test_filtered_by_series_and_by_a_date_range_inclusive_at_both_ends(api):
    assert ids(api.get("/api/v1/letters?series=fmm-agenda").json()) == [a.identifier for a in AGENDAS]
    page = api.get("/api/v1/letters?since=2024-11-22&until=2025-06-13").json()
    assert ids(page) == ["kst-28676-474", "kst-28676-489", "kst-28676-519"] and page["total"] == 3
    assert ids(api.get("/api/v1/letters?series=fmm-verslag&until=2022-12-31").json()) == ["kst-28676-406"]
    assert api.get("/api/v1/letters?since=2030-01-01").json() == {
        "schema": "dossier-monitor.letters/1", "total": 0, "limit": 50, "letters": [], "next": None}


def test_pages_follow_each_other_through_next_links_that_keep_the_filters(api):
    first = api.get("/api/v1/letters?limit=3").json()
    assert ids(first) == ORDER[:3] and first["total"] == 8 and first["next"].startswith("http://testserver/api/v1/")
    assert walk(api, "/api/v1/letters?limit=3") == ORDER
    agendas = api.get("/api/v1/letters?series=fmm-agenda&limit=3").json()
    assert "series=fmm-agenda" in agendas["next"] and "limit=3" in agendas["next"]
    assert walk(api, "/api/v1/letters?series=fmm-agenda&limit=3") == [a.identifier for a in AGENDAS]


def test_offsets_page_too_and_past_the_end_is_an_empty_last_page(api):
    page = api.get("/api/v1/letters?offset=6&limit=5").json()
    assert ids(page) == ORDER[6:] and page["next"] is None
    page = api.get("/api/v1/letters?offset=2&limit=2").json()
    assert ids(page) == ORDER[2:4] and walk(api, page["next"]) == ORDER[4:]
    assert api.get("/api/v1/letters?offset=8").json()["letters"] == []
    assert api.get("/api/v1/letters?offset=1000&limit=500").json()["next"] is None


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 9), offset=st.integers(0, 10), series=st.sampled_from((None, *SERIES)),
       since=st.sampled_from((None, dt.date(2022, 5, 23), dt.date(2024, 1, 1), dt.date(2025, 6, 14))))
def test_any_page_is_the_matching_slice_and_walking_on_reaches_every_match_once(api, limit, offset, series, since):
    matching = [i for i in ORDER if (series is None or SERIES_OF[i] == series) and (since is None or DATES[i] >= since)]
    query = f"/api/v1/letters?limit={limit}&offset={offset}" + (f"&series={series}" if series else "") + (
        f"&since={since}" if since else "")
    page = api.get(query).json()
    assert ids(page) == matching[offset:offset + limit] and page["total"] == len(matching)
    assert (page["next"] is None) == (offset + limit >= len(matching))
    assert ids(page) + (walk(api, page["next"]) if page["next"] else []) == matching[offset:]


def test_a_cursor_neither_repeats_nor_skips_when_letters_arrive_while_paging(own):
    config, api = own
    first = api.get("/api/v1/letters?limit=3").json()
    with Store.open(config) as store:  # one letter dated before the page already read, one after all
        for number, day in (("300", dt.date(2020, 1, 1)), ("600", dt.date(2026, 1, 1))):
            pub = Publication(f"kst-28676-{number}", "28676", number, f"NAVO; Brief {number}", "Brief", day, day, None)
            record(store, pub, f"Brief nummer {number}.".encode(), series="other", media_type="text/plain",
                   when=fetched_at(day))
    rest = walk(api, first["next"])
    assert ids(first) + rest == ORDER + ["kst-28676-600"]
    assert ids(api.get("/api/v1/letters?limit=3").json())[0] == "kst-28676-300"  # offsets do see it


@pytest.mark.parametrize(("query", "words"), [
    ("limit=0", ("limit", "1 to 500")), ("limit=501", ("limit",)), ("limit=ten", ("limit", "'ten'")),
    ("limit=%2B5", ("limit",)), ("limit=5_0", ("limit",)), ("offset=-1", ("offset",)), ("offset=1.5", ("offset",)),
    ("since=2024-13-01", ("since", "2024-11-22")), ("since=22-11-2024", ("since",)), ("until=2024-1-1", ("until",)),
    ("until=2024-11-22T00:00", ("until",)), ("since=2025-01-02&until=2025-01-01", ("since", "after until")),
    ("series=fmm", ("series", "fmm-agenda")), ("cursor=%21%21", ("cursor", "next")),
    ("cursor=a3N0LTEtMQ", ("cursor",)), ("offset=1&cursor=a3N0LTEtMQ", ("offset or cursor",)),
    ("page=2", ("unknown parameter", "'page'")), ("limit=2&limit=3", ("'limit'", "twice")),
])
def test_bad_paging_and_filter_parameters_get_one_clear_400(api, query, words):
    assert_error(api.get(f"/api/v1/letters?{query}"), 400, *words)


# --- /api/v1/letters/{id} -----------------------------------------------------------------------


def test_a_letter_lists_every_version_with_links_to_the_publisher_the_site_and_its_comparisons(api):
    letter = api.get(f"/api/v1/letters/{CORRECTED}").json()
    assert letter["schema"] == "dossier-monitor.letter/1"
    assert letter["title"] == "NAVO; Kabinetsappreciatie NAVO-top Den Haag"
    assert [v["version"] for v in letter["versions"]] == [1, 2]
    v1, v2 = letter["versions"]
    assert v1["links"] == {"site": f"http://testserver/letters/{CORRECTED}-v1.html", "compare_with_previous": None}
    assert v2["links"]["site"] == f"http://testserver/letters/{CORRECTED}.html"
    assert v1["sha256"] != v2["sha256"] and v2["manifestations"][0]["media_type"] == "text/plain"
    assert letter["links"]["publisher"] == f"https://zoek.officielebekendmakingen.nl/{CORRECTED}.html"
    diff = api.get(v2["links"]["compare_with_previous"]).json()
    assert (diff["old"]["source"], diff["new"]["source"]) == (f"store:{CORRECTED}@1", f"store:{CORRECTED}@2")
    assert diff["summary"]["changed"] == 1


def test_an_agenda_links_to_the_one_before_it_and_their_comparison(api):
    links = api.get("/api/v1/letters/kst-28676-474").json()["links"]
    assert links["previous_in_series"] == "http://testserver/api/v1/letters/kst-28676-462"
    assert links["compare_with_previous_in_series"] == (
        "http://testserver/api/v1/compare?old=kst-28676-462&new=kst-28676-474")
    assert api.get(links["compare_with_previous_in_series"]).status_code == 200
    assert api.get("/api/v1/letters/kst-28676-462").json()["links"]["previous_in_series"] is None


def test_site_links_go_to_the_configured_site_address(config):
    elsewhere = Config(storage=config.storage, site=SiteConfig(base_url="https://navo.example.org/site"))
    api = TestClient(Starlette(routes=api_routes(elsewhere)))
    letter = api.get("/api/v1/letters/kst-28676-474").json()
    assert letter["links"]["site"] == "https://navo.example.org/site/letters/kst-28676-474.html"
    assert letter["links"]["self"] == "http://testserver/api/v1/letters/kst-28676-474"


def test_a_herdruk_id_answers_with_its_original_and_the_versions_kept_under_it(own):
    config, api = own
    spec = AGENDAS[1]
    with Store.open(config) as store:
        reprint = Publication(f"{spec.identifier}-n1", "28676", spec.number, "NAVO; Herdruk", "Brief",
                              spec.letter_date, spec.letter_date, None, reissue_of=spec.identifier)
        record(store, reprint, agenda_xml(spec).replace(b"cruciaal", b"van cruciaal belang"), series="fmm-agenda",
               media_type="application/xml", when=fetched_at(spec.letter_date, 15), meeting_date=spec.meeting[0])
    letter = api.get(f"/api/v1/letters/{spec.identifier}-n1").json()
    assert letter["id"] == f"{spec.identifier}-n1" and letter["reissue_of"] == spec.identifier
    assert [(v["version"], v["published_as"]) for v in letter["versions"]] == [
        (1, spec.identifier), (2, f"{spec.identifier}-n1")]
    assert letter["links"]["site"] == f"http://testserver/letters/{spec.identifier}.html"
    assert ids(api.get("/api/v1/letters?series=fmm-agenda").json()) == [a.identifier for a in AGENDAS]
    diff = api.get(letter["versions"][1]["links"]["compare_with_previous"]).json()
    assert diff["summary"]["changed"] == 1 and diff["new"]["source"] == f"store:{spec.identifier}@2"
    assert api.get(f"/api/v1/compare?old={spec.identifier}@1&new={spec.identifier}-n1").content == \
        api.get(letter["versions"][1]["links"]["compare_with_previous"]).content


@pytest.mark.parametrize("identifier", ["kst-28676-999", "kst-99999-1", "KST-28676-474", "kst_28676_474", "%2E%2E"])
def test_an_unknown_letter_is_a_404(api, identifier):
    assert_error(api.get(f"/api/v1/letters/{identifier}"), 404, "no letter")


# --- /api/v1/compare ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_diff(config, tmp_path_factory):
    """``dossier-monitor diff OLD NEW --format json`` on the same store, through the real entry point."""
    from monitor.cli import main

    config_file = tmp_path_factory.mktemp("cli") / "monitor.toml"
    config_file.write_text(f'[storage]\ndata_dir = "{config.data_dir}"\n'
                           f'database_url = "{config.storage.database_url}"\n', encoding="utf-8")

    def diff(old: str, new: str) -> str:
        target = config_file.parent / "diff.json"
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config_file), "diff", old, new, "--format", "json", "-o", str(target)])
        assert exit_.value.code == 0
        return target.read_text(encoding="utf-8")

    return diff


@pytest.mark.parametrize(("old", "new"), [
    ("kst-28676-462", "kst-28676-474"), ("kst-28676-474", "kst-28676-505"), (f"{CORRECTED}@1", f"{CORRECTED}@2"),
    (f"{CORRECTED}@2", CORRECTED), ("kst-28676-505", "kst-28676-462@1"),
])
def test_compare_is_exactly_what_diff_format_json_writes(api, cli_diff, old, new):
    response = api.get(f"/api/v1/compare?old={old}&new={new}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.text == cli_diff(old, new)
    doc = response.json()
    # the contract's fields, in its order; extensions may stand between them, never replace them
    contract = ["schema", "old", "new", "summary", "sections", "changes"]
    assert [key for key in doc if key in contract] == contract
    assert doc["schema"] == "dossier-monitor.diff/1"
    for side in ("old", "new"):
        assert set(doc[side]) == {"id", "title", "date", "source"} and doc[side]["source"].startswith("store:")
    assert {"added", "removed", "changed", "moved", "unchanged"} <= set(doc["summary"])
    assert all(isinstance(n, int) for n in doc["summary"].values())
    for change in doc["changes"]:
        assert {"status", "position", "kinds", "severity", "topics", "old", "new", "redline"} <= set(change)
        assert change["status"] in ("added", "removed", "changed", "moved") and 0 <= change["severity"] <= 3
        assert all(set(s) == {"op", "text"} and s["op"] in ("equal", "delete", "insert") for s in change["redline"])


def test_the_defence_figure_change_is_in_the_comparison_of_two_agendas(api):
    doc = api.get("/api/v1/compare?old=kst-28676-474&new=kst-28676-489").json()
    changed = [c for c in doc["changes"] if "defensie-uitgaven" in c["topics"] and c["status"] == "changed"]
    assert any(s["op"] == "insert" and "3,5" in s["text"] for c in changed for s in c["redline"])


@pytest.mark.parametrize(("query", "status", "words"), [
    ("old=kst-28676-462", 400, ("new", "missing")),
    ("new=kst-28676-462", 400, ("old", "missing")),
    ("old=kst-28676&new=kst-28676-474", 400, ("old", "kst-28676-474@2")),
    ("old=kst-28676-462@latest&new=kst-28676-474", 400, ("old",)),
    ("old=kst-28676-462&new=kst-28676-474&format=html", 400, ("unknown parameter",)),
    ("old=kst-28676-999&new=kst-28676-474", 404, ("old", "kst-28676-999")),
    (f"old=kst-28676-462&new={CORRECTED}@3", 404, ("new", "no version 3", "stored: 1, 2")),
])
def test_bad_or_unknown_versions_to_compare(api, query, status, words):
    assert_error(api.get(f"/api/v1/compare?{query}"), status, *words)


def test_a_comparison_once_made_is_answered_again_without_reading_the_texts(own):
    config, api = own
    first = api.get("/api/v1/compare?old=kst-28676-462&new=kst-28676-474")
    shutil.rmtree(config.data_dir / "blobs")  # the texts are gone
    again = api.get("/api/v1/compare?old=kst-28676-462@1&new=kst-28676-474")
    assert again.status_code == 200 and again.content == first.content
    # what was not compared before now needs the texts: the operator's problem, said without a traceback
    assert_error(api.get("/api/v1/compare?old=kst-28676-474&new=kst-28676-489"), 500, "operator")


def test_a_stored_version_without_text_cannot_be_compared(own):
    config, api = own
    with Store.open(config) as store:
        pub = Publication("kst-28676-600", "28676", "600", "NAVO; Lege brief", "Brief", None, None, None)
        record(store, pub, b"   \n", series="other", media_type="text/plain", when=fetched_at(dt.date(2026, 1, 1)))
    assert_error(api.get("/api/v1/compare?old=kst-28676-600&new=kst-28676-474"), 422, "empty")


# --- conditional GET ------------------------------------------------------------------------------

CACHED = ["/api/v1/letters?limit=2", f"/api/v1/letters/{CORRECTED}",
          "/api/v1/compare?old=kst-28676-462&new=kst-28676-474", "/api/v1/topics", "/api/v1/topics/oekraine",
          "/api/v1/openapi.json"]


@pytest.mark.parametrize("url", CACHED)
def test_every_answer_carries_an_etag_and_a_client_that_has_it_gets_an_empty_304(api, url):
    response = api.get(url)
    tag = response.headers["etag"]
    assert response.status_code == 200 and tag.startswith('"')
    assert response.headers["cache-control"] == "public, no-cache"
    for sent in (tag, f"W/{tag}", f'"stale", {tag}', "*"):
        again = api.get(url, headers={"If-None-Match": sent})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert api.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200


@pytest.mark.parametrize("url", [u for u in CACHED if "openapi" not in u])
def test_last_modified_is_when_the_data_was_stored_and_if_modified_since_answers_304(api, url):
    response = api.get(url)
    stamp = response.headers["last-modified"]
    assert api.get(url, headers={"If-Modified-Since": stamp}).status_code == 304
    assert api.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    assert api.get(url, headers={"If-Modified-Since": "not a date"}).status_code == 200
    # If-None-Match decides when both are sent
    assert api.get(url, headers={"If-Modified-Since": stamp, "If-None-Match": '"stale"'}).status_code == 200


def test_the_newest_stored_version_dates_the_listing(api):
    newest = max([fetched_at(spec.letter_date) for spec in AGENDAS] + [fetched_at(o.date, 10) for o in OTHERS]
                 + [fetched_at(next(o.date for o in OTHERS if o.identifier == CORRECTED), 11)])
    assert api.get("/api/v1/letters").headers["last-modified"] == http_date(newest)
    compare = api.get("/api/v1/compare?old=kst-28676-462&new=kst-28676-474")
    assert compare.headers["last-modified"] == http_date(fetched_at(AGENDAS[1].letter_date))


def test_a_new_version_changes_the_etag_so_the_old_copy_is_sent_again(own):
    config, api = own
    before = api.get(f"/api/v1/letters/{CORRECTED}")
    listing = api.get("/api/v1/letters")
    with Store.open(config) as store:
        other = next(o for o in OTHERS if o.identifier == CORRECTED)
        pub = Publication(CORRECTED, "28676", "519", other.title, "Brief", other.date, other.date, "v3")
        record(store, pub, b"Een derde versie.", series=other.series, media_type="text/plain",
               when=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    after = api.get(f"/api/v1/letters/{CORRECTED}", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and [v["version"] for v in after.json()["versions"]] == [1, 2, 3]
    again = api.get("/api/v1/letters", headers={"If-Modified-Since": listing.headers["last-modified"]})
    assert again.status_code == 200 and again.headers["last-modified"] == "Sun, 01 Feb 2026 00:00:00 GMT"


# --- CORS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/letters", "/api/v1/compare?old=kst-28676-462&new=kst-28676-474", "/healthz",
                                 "/api/v1/letters/kst-28676-999"])
def test_any_site_may_read_the_api_from_a_browser(api, url):
    response = api.get(url, headers={"Origin": "https://onderzoek.example.edu"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "etag" in response.headers.get("access-control-expose-headers", "").lower() or response.status_code != 200


@pytest.mark.parametrize("url", ["/api/v1/letters", "/api/v1/topics/oekraine", "/healthz"])
def test_a_preflight_for_a_conditional_get_is_allowed_and_one_for_a_post_is_not(api, url):
    asked = {"Origin": "https://onderzoek.example.edu", "Access-Control-Request-Method": "GET",
             "Access-Control-Request-Headers": "If-None-Match"}
    response = api.options(url, headers=asked)
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]
    assert "if-none-match" in response.headers["access-control-allow-headers"].lower()
    assert api.options(url, headers=asked | {"Access-Control-Request-Method": "POST"}).status_code == 400


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("url", ["/api/v1/letters", "/healthz"])
def test_nothing_can_be_written(api, method, url):
    response = api.request(method, url)  # an OPTIONS without Origin is no preflight
    assert response.status_code == 405 and set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_an_unknown_api_path_is_a_json_404(api):
    assert_error(api.get("/api/v1/nothing/here"), 404, "openapi.json")


# --- topics ---------------------------------------------------------------------------------------


def test_the_topics_are_the_lexicon_s_with_counts_their_timelines_add_up_to(api):
    body = api.get("/api/v1/topics").json()
    assert body["schema"] == "dossier-monitor.topics/1" and body["agendas"] == len(AGENDAS)
    assert [t["topic"] for t in body["topics"]] == list(topic_lexicon().names)
    for topic in body["topics"]:
        steps = api.get(topic["url"]).json()["steps"]
        per_agenda = [len(step["positions"]) for step in steps]
        counts = (topic["positions_in_latest_agenda"], topic["positions_in_all_agendas"])
        assert counts == (per_agenda[-1], sum(per_agenda))
        assert topic["site"] == f"http://testserver/topics/{topic['slug']}.html"
    china = next(t for t in body["topics"] if t["topic"] == "China")
    assert china["positions_in_latest_agenda"] >= 1


def test_a_topic_timeline_follows_the_defence_figure_from_agenda_to_agenda(api):
    body = api.get("/api/v1/topics/defensie-uitgaven").json()
    assert body["schema"] == "dossier-monitor.topic/1" and body["topic"] == "defensie-uitgaven"
    steps = body["steps"]
    assert [s["agenda"]["id"] for s in steps] == [a.identifier for a in AGENDAS]
    assert steps[0]["summary"] is None and steps[0]["changes"] is None
    figures = [[q["text"] for p in s["positions"] for q in p["quantities"] if q["kind"] == "percent"] for s in steps]
    assert [f[0] for f in figures] == ["minimaal 2%", "2%", "minimaal 3,5%", "minimaal 5%"]
    inserted = [seg["text"] for c in steps[2]["changes"] for seg in c["redline"] if seg["op"] == "insert"]
    assert any("3,5" in text for text in inserted)
    assert all(set(s["stances"]) == {"support", "emphasis", "acquiesce", "neutral", "oppose"} for s in steps)
    assert steps[1]["agenda"]["url"] == "http://testserver/api/v1/letters/kst-28676-474"


def test_a_topic_is_found_by_its_name_or_its_slug(api):
    by_slug = api.get("/api/v1/topics/oekraine")
    by_name = api.get(f"/api/v1/topics/{quote('Oekraïne')}")
    assert by_slug.status_code == by_name.status_code == 200 and by_slug.content == by_name.content
    assert by_slug.json()["topic"] == "Oekraïne"


@pytest.mark.parametrize("topic", ["klimaat", "oekraine-2", quote("<script>")])
def test_an_unknown_topic_is_a_404(api, topic):
    assert_error(api.get(f"/api/v1/topics/{topic}"), 404, "no topic", "/api/v1/topics")


def test_a_new_agenda_counts_in_the_topics_at_once(own):
    config, api = own
    before = api.get("/api/v1/topics").json()
    with Store.open(config) as store:
        record_other(store, OTHERS[0], version=1)  # nothing new: no new version
    assert api.get("/api/v1/topics").json() == before
    spec = AgendaSpec("600", dt.date(2026, 3, 2), (dt.date(2026, 3, 12),), "12 maart 2026", "12 maart",
                      AGENDAS[-1].defence, AGENDAS[-1].ukraine, china=True, gaza=False)
    with Store.open(config) as store:
        record_agenda(store, spec)
    after = api.get("/api/v1/topics").json()
    assert after["agendas"] == len(AGENDAS) + 1
    assert len(api.get("/api/v1/topics/defensie-uitgaven").json()["steps"]) == len(AGENDAS) + 1


# --- /healthz -------------------------------------------------------------------------------------


def test_healthz_is_503_while_no_poll_has_succeeded(api):
    response = api.get("/healthz")
    assert response.status_code == 503 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["schema"] == "dossier-monitor.status/1" and body["stale"] is True and body["healthy"] is False
    assert body["counts"]["publications"] == 8 and body["counts"]["versions"] == 9


@pytest.fixture
def polled(tmp_path, peer, database_url) -> Config:
    """A store filled by a real poll of the KOOP-shaped peer."""
    config = Config(source=peer_source_config(peer),
                    storage=StorageConfig(data_dir=str(tmp_path / "data"), database_url=database_url),
                    base_dir=tmp_path)
    peer.add(synthesise(6, start=dt.date.today() - dt.timedelta(days=20)))
    with Store.open(config) as store, SourceClient(config.source) as client:
        assert pipeline.poll(store, client, config).ok
    return config


def test_after_a_real_poll_healthz_is_200_and_says_what_status_json_says(polled, run_status):
    api = TestClient(Starlette(routes=api_routes(polled)))
    response = api.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    expected = run_status(polled)
    assert body["healthy"] and not body["stale"] and body["counts"]["publications"] == 6
    assert {k: v for k, v in body.items() if k != "now"} == {k: v for k, v in expected.items() if k != "now"}
    assert api.get("/api/v1/letters").json()["total"] == 6


@pytest.fixture
def run_status(tmp_path, capsys):
    """``dossier-monitor status --json`` through the real entry point."""
    from monitor.cli import main

    def status(config: Config) -> dict:
        config_file = tmp_path / "status.toml"
        config_file.write_text(f'[storage]\ndata_dir = "{config.data_dir}"\n'
                               f'database_url = "{config.storage.database_url}"\n[source]\n'
                               f'dossiers = {json.dumps(config.source.dossiers)}\n', encoding="utf-8")
        with pytest.raises(SystemExit):
            main(["--config", str(config_file), "status", "--json"])
        return json.loads(capsys.readouterr().out)

    return status


def test_the_api_answers_while_the_daemon_holds_the_lock_and_an_open_write(own):
    config, api = own
    with DataDirLock(config.data_dir), Store.open(config) as store, store.transaction() as conn:
        pub = Publication("kst-28676-700", "28676", "700", "NAVO; Onderweg", "Brief", None, None, None)
        store.record_publication(conn, pub, [Fetched("html", "https://x.example/700", b"<p>Onderweg.</p>",
                                                     dt.datetime.now(dt.UTC))], series="other", meeting_date=None)
        page = api.get("/api/v1/letters")  # the write is not committed yet
        assert page.status_code == 200 and "kst-28676-700" not in ids(page.json())
        assert api.get("/healthz").status_code == 503
        assert api.get("/api/v1/compare?old=kst-28676-462&new=kst-28676-474").status_code == 200
    assert "kst-28676-700" in ids(api.get("/api/v1/letters").json())


# --- the description ------------------------------------------------------------------------------


def route_paths(routes, prefix: str = "") -> set[str]:
    found = set()
    for route in routes:
        if isinstance(route, Mount):
            found |= route_paths(route.routes, prefix + route.path)
        else:
            found.add(prefix + route.path)
    return found


def test_the_openapi_document_describes_every_route_and_only_those(api, config):
    doc = api.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1") and doc["servers"] == [{"url": "http://testserver"}]
    assert set(doc["paths"]) == route_paths(api_routes(config))
    for path, item in doc["paths"].items():
        assert set(item) == {"get"} and "200" in item["get"]["responses"], path
        declared = {p["name"] for p in item["get"]["parameters"] if p["in"] == "path"}
        assert declared == {part[1:-1] for part in path.split("/") if part.startswith("{")}, path


def test_the_documented_status_codes_are_the_ones_the_routes_give(api):
    doc = api.get("/api/v1/openapi.json").json()
    assert set(doc["paths"]["/api/v1/compare"]["get"]["responses"]) == {"200", "304", "400", "404", "422"}
    assert set(doc["paths"]["/healthz"]["get"]["responses"]) == {"200", "400", "503"}
    assert {p["name"] for p in doc["paths"]["/api/v1/letters"]["get"]["parameters"]} == {
        "limit", "offset", "cursor", "series", "since", "until"}


def test_docs_api_md_shows_every_route_with_curl():
    text = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for path in ("/api/v1/letters", "/api/v1/letters/kst-", "/api/v1/compare?", "/api/v1/topics",
                 "/api/v1/topics/", "/api/v1/openapi.json", "/healthz"):
        assert any(line.lstrip().startswith("curl") and path in line for line in text.splitlines()), path
