"""Ask the Tweede Kamer's OData service whether it still answers the way ``monitor.source.tk`` expects.

The early warning trusts a few things of the ``Document`` search: a JSON body with a ``value``
array, the fields ``parse_document`` reads on each row, the ``Kamerstukdossier`` filter (every
row is linked to the dossier asked for), ``GewijzigdOp`` ascending, and ``@odata.nextLink`` to a
page on an allowed host that goes on where the last one stopped. Then one recent document's
file must be the PDF or Word file its ``ContentType`` says, and read to sentences. Each is one
``Check`` with its evidence, asked with the poll's own query and client; ``--save`` keeps the
answers beside the publisher's.
"""

from __future__ import annotations

import datetime as dt

from monitor.clock import utc_now
from monitor.config import TkConfig
from monitor.errors import MonitorError
from monitor.model import Check
from monitor.source import tk
from monitor.source.errors import ForeignHost
from monitor.source.http import SourceClient
from monitor.source.selfcheck import Saved, what_came

# what a row must carry for the poll to use it, and what it reads when there
REQUIRED_FIELDS = ("Id", "GewijzigdOp", "Kamerstukdossier", "Soort", "ContentType")
EXPECTED_FIELDS = ("DocumentNummer", "Onderwerp", "Titel", "Datum", "DatumRegistratie", "Volgnummer", "Verwijderd",
                   "HuidigeDocumentVersie")
# how far back the search looks: far enough for an active dossier to have documents, and the
# poll's GewijzigdOp clause is asked too
SINCE = dt.timedelta(days=365)


def check_tk(client: SourceClient, config: TkConfig, dossiers: list[str], saved: Saved) -> list[Check]:
    """One search page per dossier (and the page after it), then a recent document of the first, fetched."""
    since = utc_now() - SINCE
    checks: list[Check] = []
    for dossier in dossiers:
        checks += _check_search(client, config, dossier, since, saved)
    if dossiers:
        checks += _check_newest_document(client, config, dossiers[0], since, saved)
    return checks


def _page(client: SourceClient, url: str, params: dict[str, str] | None, what: str, saved: Saved,
          name: str) -> tuple[list[Check], list[dict] | None, str | None]:
    """Ask for one page (``what``: "TK 28676: search"): the checks that it answered and is OData
    JSON, its rows and its next link (no rows: the page is no use)."""
    try:
        response = tk.get_page(client, url, params)
    except MonitorError as exc:
        return [Check(f"{what} answers", "fail", str(exc))], None, None
    saved.keep(name, response.url, response.data)
    checks = [Check(f"{what} answers", "ok",
                    f"HTTP {response.status}, {len(response.data)} bytes, {response.content_type or 'no Content-Type'}")]
    try:
        rows, following = tk.parse_page(response.data, "the answer")  # its URL is in the saved PROVENANCE.md
    except tk.ODataError as exc:
        evidence = f"got {what_came(response.data, 'JSON')}" if b"<" in response.data[:256] else str(exc)
        return checks + [Check(f"{what} answer is OData JSON", "fail", evidence)], None, None
    checks.append(Check(f"{what} answer is OData JSON", "ok", f"a value array of {len(rows)} rows"
                        + (", with @odata.nextLink" if following else "")))
    return checks, rows, following


# --- the search --------------------------------------------------------------------------------


def _check_search(client: SourceClient, config: TkConfig, dossier: str, since: dt.datetime,
                  saved: Saved) -> list[Check]:
    label = f"TK {dossier}"
    params = tk.search_params(config, dossier, since)
    checks, rows, following = _page(client, tk.documents_url(config), params, f"{label}: search", saved,
                                    f"tk-{dossier}.json")
    if rows is None:
        return checks
    checks += _fields(rows, label)
    checks.append(_dossier_filter(rows, dossier, since, label))
    checks.append(_kinds(rows, config, label))
    checks.append(_order(rows, label))
    checks += _paging(client, rows, int(params["$top"]), following, label, saved, f"tk-{dossier}-next.json")
    return checks


def _name(row: dict) -> str:
    return str(row.get("DocumentNummer") or row.get("Id") or "?")


def _fields(rows: list[dict], label: str) -> list[Check]:
    if not rows:
        return [Check(f"{label}: row fields", "warn", "no row to look at")]
    unusable = {
        "Id": [r for r in rows if not _has_id(r)],
        "GewijzigdOp": [r for r in rows if not _moment(r)],
    }
    checks = []
    for fields, status in ((REQUIRED_FIELDS, "fail"), (EXPECTED_FIELDS, "warn")):
        gaps = [f"{name} missing in {len(rs)} of {len(rows)} ({_name(rs[0])}…)"
                for name in fields if (rs := [r for r in rows if name not in r])]
        if status == "fail":
            gaps += [f"{name} unusable in {len(rs)} of {len(rows)} ({_name(rs[0])}: {rs[0].get(name)!r})"
                     for name, rs in unusable.items() if rs and not any(g.startswith(f"{name} ") for g in gaps)]
        kind = "required" if status == "fail" else "expected"
        checks.append(Check(f"{label}: {kind} row fields", status if gaps else "ok",
                            "; ".join(gaps) if gaps else f"all {len(fields)} in each of {len(rows)} rows"))
    return checks


def _has_id(row: dict) -> bool:
    return isinstance(row.get("Id"), str) and tk.GUID.fullmatch(row["Id"]) is not None


def _moment(row: dict) -> dt.datetime | None:
    try:
        return tk.changed_at(row.get("GewijzigdOp"))
    except (TypeError, ValueError):
        return None


def _linked(row: dict) -> list[str]:
    return [name for d in row.get("Kamerstukdossier") or [] if isinstance(d, dict) and (name := tk.dossier_name(d))]


def _dossier_filter(rows: list[dict], dossier: str, since: dt.datetime, label: str) -> Check:
    if not rows:
        return Check(f"{label}: dossier filter", "warn", f"no document of Kamerstukdossier {dossier} changed since "
                     f"{since:%Y-%m-%d} (is it a dossier the Tweede Kamer knows?)")
    strays = [r for r in rows if dossier not in _linked(r)]
    if strays:
        first = strays[0]
        return Check(f"{label}: dossier filter", "fail", f"{len(strays)} of {len(rows)} rows not linked to "
                     f"Kamerstukdossier {dossier} ({_name(first)} is linked to {', '.join(_linked(first)) or 'none'})")
    return Check(f"{label}: dossier filter", "ok", f"each of {len(rows)} rows linked to Kamerstukdossier {dossier}")


def _kinds(rows: list[dict], config: TkConfig, label: str) -> Check:
    seen = sorted({str(r.get("Soort")) for r in rows})
    if not config.document_types:
        return Check(f"{label}: document kinds", "ok", f"every kind is taken; seen: {', '.join(seen) or 'none'}")
    wanted = [r for r in rows if r.get("Soort") in config.document_types]
    kinds = " or ".join(config.document_types)
    if rows and not wanted:
        return Check(f"{label}: document kinds", "warn", f"none of {len(rows)} rows is a {kinds} (seen: "
                     f"{', '.join(seen)}): has the kind been renamed? see [tk] document_types")
    return Check(f"{label}: document kinds", "ok", f"{len(wanted)} of {len(rows)} rows are a {kinds}")


def _order(rows: list[dict], label: str) -> Check:
    dated = [(r, m) for r in rows if (m := _moment(r))]
    for (before, b), (after, a) in zip(dated, dated[1:]):
        if a < b:
            return Check(f"{label}: order", "fail", f"{_name(after)} ({after['GewijzigdOp']}) comes after "
                         f"{_name(before)} ({before['GewijzigdOp']}): not GewijzigdOp ascending")
    span = f"{dated[0][0]['GewijzigdOp']} … {dated[-1][0]['GewijzigdOp']}" if dated else "no row has a usable one"
    return Check(f"{label}: order", "ok", f"GewijzigdOp ascending, {span}")


def _paging(client: SourceClient, rows: list[dict], top: int, following: str | None, label: str,
            saved: Saved, name: str) -> list[Check]:
    """The next link is followed as the poll follows it: on an allowed host, going on where the page stopped."""
    if following is None:
        if len(rows) >= top:
            return [Check(f"{label}: paging", "warn", f"a full page of {len(rows)} rows without @odata.nextLink: "
                          "the poll reads no further")]
        return [Check(f"{label}: paging", "ok", f"{len(rows)} rows of at most {top}, one page")]
    try:
        client.check_host(following)
    except ForeignHost as exc:
        return [Check(f"{label}: paging", "fail", f"@odata.nextLink {following}: host {exc.host or '(none)'} is not "
                      "in tk.allowed_hosts, so the poll cannot read past the first page")]
    checks, more, _ = _page(client, following, None, f"{label}: next page", saved, name)
    if more is None:
        return checks
    repeated = {r.get("Id") for r in rows} & {r.get("Id") for r in more}
    last, first = (_moment(rows[-1]) if rows else None), (_moment(more[0]) if more else None)
    if repeated:
        return checks + [Check(f"{label}: paging", "fail", f"the next page repeats {len(repeated)} rows of the first")]
    if last and first and first < last:
        return checks + [Check(f"{label}: paging", "fail", f"the next page starts at {more[0]['GewijzigdOp']}, "
                               f"before the first ended ({rows[-1]['GewijzigdOp']})")]
    return checks + [Check(f"{label}: paging", "ok", f"$top {top}, next page of {len(more)} rows goes on from "
                           f"{more[0].get('GewijzigdOp', '?') if more else 'the end'}")]


# --- one document, fetched ---------------------------------------------------------------------


def _check_newest_document(client: SourceClient, config: TkConfig, dossier: str, since: dt.datetime,
                           saved: Saved) -> list[Check]:
    label = f"TK {dossier}"
    checks, rows, _ = _page(client, tk.documents_url(config),
                            tk.search_params(config, dossier, since, newest_first=True),
                            f"{label}: newest search", saved, f"tk-{dossier}-newest.json")
    if rows is None:
        return checks
    # rows the search checks named already are left out here without a log line of the poll's
    usable = [d for r in rows if _has_id(r) and _moment(r) and dossier in _linked(r) and r.get("Verwijderd") is not True
              and (d := tk.parse_document(r, config.odata_url, dossier))
              and (not config.document_types or d.kind in config.document_types)]
    if not usable:
        return checks + [Check(f"{label}: file", "warn", f"no usable {' or '.join(config.document_types) or 'document'}"
                               f" among the {len(rows)} newest documents to fetch")]
    doc = next((d for d in usable if d.manifestation), usable[0])
    try:
        fetched = tk.fetch_document(client, doc)
    except MonitorError as exc:
        return checks + [Check(f"{label}: file", "fail", f"{doc.identifier}: {exc}")]
    saved.keep(f"{doc.identifier}/{doc.identifier}.{fetched.manifestation}", fetched.url, fetched.data)
    checks.append(Check(f"{label}: file", "ok", f"{doc.identifier} ({doc.kind}, {doc.modified}): "
                        f"{len(fetched.data)} bytes, {fetched.media_type}"))
    return checks + [_reads(fetched, doc)]


def _reads(fetched, doc: tk.TkDocument) -> Check:
    from monitor.documents import read_document  # the documents stage, only for this check

    label = f"TK {doc.dossiers[0]}: file reads"
    try:
        document = read_document(fetched.data, source=fetched.url, name=f"{doc.identifier}.{fetched.manifestation}",
                                 media_type=fetched.media_type)
    except MonitorError as exc:
        return Check(label, "fail", str(exc))
    return Check(label, "ok", f"{len(document.sentences)} sentences from the {fetched.manifestation} file")
