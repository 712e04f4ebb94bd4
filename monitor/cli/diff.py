"""``dossier-monitor diff OLD NEW``: compare two versions, each a file or a kst id in the store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor.cli import Context, pass_context
from monitor.compare import compare
from monitor.documents import load_document
from monitor.documents.stored import VersionRef, read_stored
from monitor.errors import BadInput
from monitor.model import Document
from monitor.render import render_html, render_json, render_text
from monitor.store.places import write_output
from monitor.vocabulary import LANGUAGES


def _from_store(ctx: Context, ref: VersionRef) -> Document:
    from monitor.store import Store

    config = ctx.config
    if not config.storage.database_url and not config.data_dir.is_dir():
        # a read-only command must not create an empty store as a side effect
        raise BadInput(f"unknown kst id {ref.identifier} (no snapshot store at {config.data_dir})")
    with Store.open(config) as store:
        return read_stored(store, ref)


def open_version(ctx: Context, argument: str) -> Document:
    """A file when one exists at that path, else a kst id (``ID`` or ``ID@VERSION``) in the store."""
    path = Path(argument)
    if path.exists():
        return load_document(path)
    ref = VersionRef.parse(argument)
    if ref is not None:
        return _from_store(ctx, ref)
    raise BadInput(f"{argument}: no such file, and not a kst id like kst-28676-474")


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "json"]), default="text", show_default=True,
              help="A terminal report, one self-contained HTML page, or JSON (schema dossier-monitor.diff/1).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
              help="Write the report to FILE instead of standard output ('-': standard output); its folder "
                   "must exist, an existing FILE is replaced in one step.")
@click.option("--parents", is_flag=True, help="Make FILE's folder (and its parents) when missing.")
@click.option("--language", type=click.Choice(LANGUAGES), default="nl", show_default=True,
              help="Language of the report's labels.")
@pass_context
def diff(ctx: Context, old: str, new: str, fmt: str, output: str | None, parents: bool, language: str) -> None:
    """Compare two versions of a letter: positions added, dropped, changed and moved.

    OLD and NEW are files (.xml, .html, .pdf, .txt) or kst ids in the snapshot store
    (kst-28676-474, or kst-28676-474@2 for a stored version). Exits 0 whether or not
    anything changed.
    """
    cmp = compare(open_version(ctx, old), open_version(ctx, new))
    if output == "-":
        output = None
    if fmt == "json":
        report = render_json(cmp)
    elif fmt == "html":
        report = render_html(cmp, language=language)
    else:
        color = output is None and sys.stdout.isatty()
        report = render_text(cmp, color=color, language=language)
    if output is None:
        click.echo(report, nl=False)
        return
    write_output(Path(output), report.encode("utf-8"), parents=parents)
