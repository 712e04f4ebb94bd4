"""``dossier-monitor diff OLD NEW``: compare two versions, each a file or a kst id in the store."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TextIO

import click

from monitor.cli import Context, pass_context
from monitor.compare import compare
from monitor.documents import MAX_DOCUMENT_BYTES, load_document
from monitor.documents.stored import VersionRef, read_stored
from monitor.errors import BadInput
from monitor.model import Document
from monitor.render.text import render_text
from monitor.vocabulary import LANGUAGES


def _from_store(ctx: Context, ref: VersionRef) -> Document:
    from monitor.store import Store

    config = ctx.config
    if not config.storage.database_url and not config.data_dir.is_dir():
        # a read-only command must not create an empty store as a side effect
        raise BadInput(f"unknown kst id {ref.identifier} (no snapshot store at {config.data_dir})")
    with Store.open(config) as store:
        return read_stored(store, ref)


def open_version(ctx: Context, argument: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Document:
    """A file when one exists at that path, else a kst id (``ID`` or ``ID@VERSION``) in the store."""
    path = Path(argument)
    if path.exists():
        return load_document(path, max_bytes=max_bytes)
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
@click.option("--max-mb", type=click.IntRange(min=1), default=MAX_DOCUMENT_BYTES // 2**20, show_default=True,
              metavar="MB", help="Refuse a file bigger than this (exit 2) before reading it.")
@pass_context
def diff(ctx: Context, old: str, new: str, fmt: str, output: str | None, parents: bool, language: str,
         max_mb: int) -> None:
    """Compare two versions of a letter: positions added, dropped, changed and moved.

    OLD and NEW are files (.xml, .html, .pdf, .txt) or kst ids in the snapshot store
    (kst-28676-474, or kst-28676-474@2 for a stored version). Exits 0 whether or not
    anything changed. On a terminal, a run that takes more than a second shows its step
    on standard error.
    """
    if output == "-":
        output = None
    with Progress(sys.stderr) as step:
        step(f"reading {old}")
        old_doc = open_version(ctx, old, max_mb * 2**20)
        step(f"reading {new}")
        new_doc = open_version(ctx, new, max_mb * 2**20)
        step("comparing")
        cmp = compare(old_doc, new_doc)
        step("writing the report")
        # the other forms' modules only when asked for: the templates and the JSON encoder
        if fmt == "json":
            from monitor.render.json_doc import render_json

            report = render_json(cmp)
        elif fmt == "html":
            from monitor.render.html_page import render_html

            report = render_html(cmp, language=language)
        else:
            color = output is None and sys.stdout.isatty()
            report = render_text(cmp, color=color, language=language)
    if output is None:
        click.echo(report, nl=False)
        return
    # imported here: the atomic writer's modules (tempfile and friends) are for -o alone
    from monitor.store.places import write_output

    write_output(Path(output), report.encode("utf-8"), parents=parents)


class Progress:
    """The step a long run is at, on a terminal: one line, rewritten each second, wiped at the end.

    Nothing is written before ``after`` seconds, nor to a stream that is no terminal (a log
    or a pipe wants the report, not a ticker).
    """

    def __init__(self, stream: TextIO, *, after: float = 1.0) -> None:
        self.stream = stream
        self.after = after
        self.step = ""
        self._shown = False
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        if self.stream.isatty():
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def __call__(self, step: str) -> None:
        self.step = step

    def _tick(self) -> None:
        start = time.monotonic()
        wait = self.after
        while not self._done.wait(wait):
            self._shown = True
            self.stream.write(f"\r\x1b[Kdossier-monitor diff: {self.step} … {time.monotonic() - start:.0f} s")
            self.stream.flush()
            wait = 1.0

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
