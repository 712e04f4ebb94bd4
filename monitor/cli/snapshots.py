"""``dossier-monitor snapshots list|show|export``: what the store holds, and the raw bytes.

Listings show a herdruk under its ORIGINAL identifier, as the next version; the ``-n1``
identifier it was published under is in the ``published_as`` field (and ``show`` accepts it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from monitor.cli import Context, pass_context
from monitor.clock import iso
from monitor.documents import read_snapshot
from monitor.errors import BadInput
from monitor.series import load_rules
from monitor.store import Store
from monitor.store.blobs import check_identifier


@click.group("snapshots")
def snapshots() -> None:
    """Stored publications and their versions."""


@snapshots.command("list")
@click.option("--series", metavar="S", help="Only this series (fmm-agenda, fmm-verslag, dmm-agenda, summit, other).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array: id, version, series, title, date, sha256, "
                                                        "fetched_at (and more).")
@pass_context
def list_snapshots(ctx: Context, series: str | None, as_json: bool) -> None:
    """Every stored version, oldest publication first."""
    if series is not None and series not in load_rules().names:
        raise BadInput(f"unknown series {series!r} (known: {', '.join(load_rules().names)})")
    with Store.open(ctx.config) as store:
        entries = store.list_snapshots(series)
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("geen snapshots opgeslagen" + (f" in reeks {series}" if series else ""))
        return
    width = max(len(e["id"]) for e in entries)
    click.echo(f"{'id':<{width}}  versie  {'reeks':<11}  {'datum':<10}  titel")
    for e in entries:
        title = e["title"] if len(e["title"]) <= 80 else e["title"][:79] + "…"
        click.echo(f"{e['id']:<{width}}  {e['version']:>6}  {e['series']:<11}  {e['date'] or '':<10}  {title}")


@snapshots.command("show")
@click.argument("identifier", metavar="ID")
@click.option("--version", "version", type=int, metavar="N", help="This version (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="Metadata and versions as one JSON object, without the text.")
@pass_context
def show(ctx: Context, identifier: str, version: int | None, as_json: bool) -> None:
    """Metadata, versions and the text of one publication."""
    check_identifier(identifier)
    with Store.open(ctx.config) as store:
        pub = store.get_publication(identifier)
        if pub is None:
            raise BadInput(f"unknown kst id {identifier} (not in the store; see `dossier-monitor snapshots list`)")
        versions = store.versions_of(identifier)
        snap, data = store.read_version(identifier, version)
    if as_json:
        click.echo(json.dumps(_show_json(pub, versions), ensure_ascii=False, indent=2))
        return
    click.echo(f"{pub.identifier}  {pub.title}")
    click.echo(f"dossier {', '.join(pub.dossiers)} · nummer {pub.number or '-'} · {pub.document_type or '-'} · "
               f"datum {iso(pub.date) or '-'} · beschikbaar {iso(pub.available) or '-'}")
    series = f"reeks {pub.series}"
    if pub.meeting_date:
        series += f" · vergadering {pub.meeting_date.isoformat()}"
    if pub.previous_in_series:
        series += f" · vorige {pub.previous_in_series}"
    click.echo(series + (f"  ({pub.series_reason})" if pub.series_reason else ""))
    if pub.reissue_of:
        click.echo(f"herdruk van {pub.reissue_of}: opgeslagen als een versie daarvan")
    if pub.source == "tk":
        click.echo("vroege kopie uit de open data van de Tweede Kamer"
                   + (f"; Kamerstuk {pub.kamerstuk}" if pub.kamerstuk else "; nog geen Kamerstuk bekend"))
    if pub.preferred_url:
        click.echo(pub.preferred_url)
    click.echo("versies:")
    for v in versions:
        kinds = ", ".join(f"{m.manifestation} {m.size} B" for m in v.manifestations)
        origin = f"  als {v.published_as}" if v.published_as != v.identifier else ""
        click.echo(f"  {v.version:>3}  {v.fetched_at.isoformat(timespec='seconds')}  {v.content_sha256[:12]}  "
                   f"{kinds}{origin}")
    click.echo(f"--- tekst van versie {snap.version} ({snap.manifestation}) ---")
    click.echo(_text(snap, data))


@snapshots.command("export")
@click.argument("identifier", metavar="ID")
@click.option("-o", "--output", required=True, metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the bytes ('-' for standard output).")
@click.option("--version", "version", type=int, metavar="N", help="This version (default: the latest).")
@click.option("--manifestation", metavar="M", help="xml, html, pdf or metadata (default: the primary one).")
@click.option("--parents", is_flag=True, help="Make FILE's folder (and its parents) when missing.")
@pass_context
def export(ctx: Context, identifier: str, output: str, version: int | None, manifestation: str | None,
           parents: bool) -> None:
    """Write one snapshot's bytes exactly as they were fetched.

    FILE's folder must exist (or give --parents); an existing FILE is replaced in one step.
    """
    check_identifier(identifier)
    with Store.open(ctx.config) as store:
        if output == "-":
            _, data = store.read_version(identifier, version, manifestation)
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        snap = store.export(identifier, Path(output), version, manifestation, parents=parents)
    click.echo(f"{identifier} versie {snap.version} ({snap.manifestation}, {snap.size} bytes) → {output}", err=True)


def _show_json(pub, versions) -> dict:
    return {
        "id": pub.identifier, "title": pub.title, "dossier": pub.dossier, "dossiers": list(pub.dossiers),
        "number": pub.number, "document_type": pub.document_type, "date": iso(pub.date),
        "available": iso(pub.available), "series": pub.series, "series_reason": pub.series_reason,
        "meeting_date": iso(pub.meeting_date), "previous_in_series": pub.previous_in_series,
        "reissue_of": pub.reissue_of, "url": pub.preferred_url, "source": pub.source, "kamerstuk": pub.kamerstuk,
        "versions": [
            {"version": v.version, "published_as": v.published_as, "fetched_at": v.fetched_at.isoformat(),
             "sha256": v.content_sha256, "modified": v.modified,
             "manifestations": [{"manifestation": m.manifestation, "url": m.url, "sha256": m.sha256,
                                 "size": m.size, "media_type": m.media_type} for m in v.manifestations]}
            for v in versions
        ],
    }


def _text(snap, data: bytes) -> str:
    """The letter as the comparison sees it: headings and whole, normalised sentences."""
    if snap.manifestation == "metadata":
        return "(metadata: geen brieftekst; gebruik `snapshots export`)"
    try:
        document = read_snapshot(snap, data)
    except BadInput as exc:
        return f"(geen leesbare brieftekst: {exc})"
    blocks = []
    for section in document.sections:
        lines = [f"## {section.heading}"] if section.heading else []
        lines += [" ".join(s.text for s in p.sentences) for p in section.paragraphs]
        blocks.append("\n\n".join(lines))
    return "\n\n".join(b for b in blocks if b)
