"""Build the static site from the store: incremental, and swapped in whole.

Every page is planned with the inputs it is made from (identifiers, versions and content
hashes from the database, the settings, and a fingerprint of the code and templates). A
page whose key is the same as in the previous build's manifest is carried over as it is
(hard-linked, not re-rendered, its text not even read); only the others are rendered.
The new tree is staged beside the old one and swapped in at once (``monitor.store.files``).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup

import monitor
from monitor.documents.dates import meeting_dates
from monitor.model import Document
from monitor.positions.lexicon import topics as topic_lexicon
from monitor.render.html_page import render_html
from monitor.site import paths
from monitor.site.agenda import by_topic, positions_on
from monitor.site.chart import STANCES, stance_chart
from monitor.site.feed import FEED_FILE, FeedItem, atom_feed, entry_id
from monitor.site.inputs import Letter, Texts, Version, agendas_in, letters_in
from monitor.site.pages import Pages, stylesheet
from monitor.site.timeline import topic_timeline
from monitor.store import Store
from monitor.store.files import FolderBuild
from monitor.vocabulary import counts_phrase, dossier_title, letter_title, meeting_label

MANIFEST = ".site-manifest.json"
MANIFEST_FORMAT = 1
FEED_LIMIT = 100  # newest entries in feed.atom; readers keep what they saw before
# what a page looks like depends on these parts of the code and their data files
_CODE_PARTS = ("site", "render", "compare", "positions", "documents", "data", "vocabulary.py")


@dataclass(frozen=True)
class BuildReport:
    """What a build did; paths are relative to ``out_dir``."""

    out_dir: Path
    written: tuple[str, ...]
    reused: tuple[str, ...]
    removed: tuple[str, ...]
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


@dataclass(frozen=True)
class _Page:
    path: str
    inputs: object  # JSON-able: what the page is made from
    render: Callable[[], bytes]


def build_site(store: Store, out_dir: str | Path, *, language: str = "nl", base_url: str = "",
               title: str = "", subscribe_path: str | None = None, switch_prefix: str | None = None) -> BuildReport:
    """Build (or update) the static site in ``out_dir``: pages, ``style.css`` and ``feed.atom``.

    ``subscribe_path`` and ``switch_prefix``: menu entries for the sign-up page and the other
    language, when the web app serves the site (see ``monitor.site.pages.Pages``)."""
    started = time.perf_counter()
    if base_url and not base_url.endswith("/"):
        base_url += "/"  # the site is a folder: https://example.org/navo means https://example.org/navo/
    pages = Pages(language=language, title=title, base_url=base_url, subscribe_path=subscribe_path,
                  switch_prefix=switch_prefix)
    letters = letters_in(store)
    plan = _Plan(pages, Texts(store), letters, agendas_in(store, letters)).pages()
    settings = [_fingerprint(), language, pages.title, base_url, subscribe_path, switch_prefix]
    keys = {page.path: _key(settings, page.inputs) for page in plan}
    written: list[str] = []
    reused: list[str] = []
    with FolderBuild(Path(out_dir), marker=MANIFEST) as build:
        old = _read_manifest(build.target)
        removed = tuple(sorted(set(old) - set(keys)))
        if not removed and all(old.get(p) == k and (build.target / p).is_file() for p, k in keys.items()):
            return BuildReport(build.target, (), tuple(keys), (), time.perf_counter() - started)
        for page in plan:
            if old.get(page.path) == keys[page.path] and build.reuse(page.path):
                reused.append(page.path)
            else:
                build.write(page.path, page.render())
                written.append(page.path)
        manifest = {"format": MANIFEST_FORMAT, "generator": f"dossier-monitor {monitor.__version__}", "files": keys}
        build.write(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))
        build.commit()
        target = build.target
    return BuildReport(target, tuple(written), tuple(reused), removed, time.perf_counter() - started)


def _key(settings: list, inputs: object) -> str:
    text = json.dumps([settings, inputs], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def _fingerprint() -> str:
    """A hash of the code and data that shape the pages: a new release or lexicon rebuilds all."""
    root = Path(monitor.__file__).parent
    digest = hashlib.sha256(monitor.__version__.encode())
    for part in _CODE_PARTS:
        where = root / part
        for path in [where] if where.is_file() else sorted(where.rglob("*")):
            if path.suffix in (".py", ".j2", ".css", ".toml"):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, str]:
    """The previous build's keys; empty (rebuild everything) when missing or unreadable."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
        return {}
    return {str(k): str(v) for k, v in data["files"].items()}


def _version_id(letter: Letter, version: Version) -> str:
    return f"{letter.id}-v{version.number}"


class _Plan:
    """Every page of the site, each with its inputs and how to render it."""

    def __init__(self, pages: Pages, texts: Texts, letters: list[Letter], agendas: list[Letter]):
        self.p = pages
        self.w = pages.words
        self.texts = texts
        self.letters = letters
        self.agendas = agendas
        self.previous = {a.id: (agendas[i - 1] if i else None) for i, a in enumerate(agendas)}

    def pages(self) -> list[_Page]:
        plan = [
            _Page(paths.STYLE, "style", stylesheet),
            _Page(paths.INDEX, [letter.facts() for letter in self.letters], self.index),
            _Page(paths.AGENDAS, self._agenda_inputs(), self.agendas_index),
            _Page(paths.TOPICS, self._agenda_inputs(), self.topics_index),
            _Page(FEED_FILE, [letter.facts() for letter in self.letters] + [self._agenda_inputs()], self.feed),
        ]
        for letter in self.letters:
            for index, version in enumerate(letter.versions):
                latest = version is letter.latest
                path = paths.letter_page(letter.id, None if latest else version.number)
                plan.append(_Page(path, [letter.facts(), version.number], self._letter(letter, version, path)))
                if index:
                    before = letter.versions[index - 1]
                    path = paths.comparison_page(_version_id(letter, before), _version_id(letter, version))
                    plan.append(_Page(path, [letter.id, before.sha256, version.sha256],
                                      self._comparison(letter, before, letter, version, path)))
        for agenda in self.agendas:
            previous = self.previous[agenda.id]
            path = paths.agenda_page(agenda.id)
            plan.append(_Page(path, [agenda.facts(), previous.facts() if previous else None],
                              self._agenda(agenda, path)))
            if previous is not None:
                path = paths.comparison_page(previous.id, agenda.id)
                plan.append(_Page(path, [previous.id, previous.latest.sha256, agenda.id, agenda.latest.sha256],
                                  self._comparison(previous, previous.latest, agenda, agenda.latest, path)))
        for topic in topic_lexicon().names:
            path = paths.topic_page(topic)
            plan.append(_Page(path, [topic, self._agenda_inputs()], self._topic(topic, path)))
        return plan

    def _agenda_inputs(self) -> list:
        return [agenda.facts() for agenda in self.agendas]

    # --- labels ---------------------------------------------------------------------------

    def meeting(self, agenda: Letter) -> str:
        """An agenda's meeting as a short label, "3-4 dec 2024" as the mails write it: from the
        title and the stored meeting date, so no text needs reading."""
        day = agenda.meeting_date or agenda.date
        days = meeting_dates(agenda.title, agenda.date) or ((day,) if day else ())
        return meeting_label(days, self.p.language) if days else agenda.id

    # --- pages ----------------------------------------------------------------------------

    def index(self) -> bytes:
        dossiers: dict[str, list[Letter]] = {}
        for letter in self.letters:
            dossiers.setdefault(letter.dossier, []).append(letter)
        groups = []
        for number in sorted(dossiers):
            # newest first; letters of one day keep the store's order, reversed (higher number first)
            newest = sorted(reversed(dossiers[number]),
                            key=lambda l: l.date or l.versions[0].fetched_at.date(), reverse=True)
            groups.append({"number": number, "title": dossier_title(number, newest[0].title), "letters": newest})
        return self.p.render("index.html.j2", here=paths.INDEX, section="letters",
                             page_title=self.w["nav_letters"], dossiers=groups)

    def _letter(self, letter: Letter, version: Version, here: str) -> Callable[[], bytes]:
        def render() -> bytes:
            doc = self.texts.document(letter, version)
            return self.p.render(
                "letter.html.j2", here=here, section="letters",
                page_title=f"{letter_title(letter.title)} ({letter.id}, {self.w['version']} {version.number})",
                letter=letter, version=version,
                sections=doc.sections if isinstance(doc, Document) else (),
                unreadable=None if isinstance(doc, Document) else doc,
                version_page=lambda v: paths.letter_page(letter.id, None if v is letter.latest else v.number),
                version_comparison_page=lambda a, b: paths.comparison_page(_version_id(letter, a),
                                                                           _version_id(letter, b)),
            )
        return render

    def _comparison(self, old: Letter, old_version: Version, new: Letter, new_version: Version,
                    here: str) -> Callable[[], bytes]:
        def render() -> bytes:
            cmp = self.texts.comparison(old, old_version, new, new_version)
            if cmp is None:
                unreadable = next(d for d in (self.texts.document(old, old_version),
                                              self.texts.document(new, new_version)) if isinstance(d, str))
                return self.p.render("message.html.j2", here=here, section="agendas",
                                     page_title=f"{old.id} → {new.id}",
                                     message=self.w["unreadable"].format(reason=unreadable))
            # the same report as `diff --format html`, with one link back into the site
            html = render_html(cmp, language=self.p.language)
            back = f'<body>\n<p><a href="{paths.relative(here, paths.INDEX)}">{self.w["back_to_site"]}</a></p>'
            return html.replace("<body>", back, 1).encode("utf-8")
        return render

    def _agenda(self, agenda: Letter, here: str) -> Callable[[], bytes]:
        def render() -> bytes:
            doc = self.texts.document(agenda, agenda.latest)
            previous = self.previous[agenda.id]
            cmp = self.texts.comparison(previous, previous.latest, agenda, agenda.latest) if previous else None
            meeting = self.meeting(agenda)
            return self.p.render(
                "agenda.html.j2", here=here, section="agendas",
                page_title=self.w["agenda_title"].format(meeting=meeting),
                letter=agenda, meeting=meeting,
                unreadable=None if isinstance(doc, Document) else doc,
                sessions=[(s, by_topic(s)) for s in self.texts.sessions(agenda)],
                previous=previous, previous_meeting=self.meeting(previous) if previous else None,
                summary=self._summary(cmp) if cmp else None,
                report=paths.comparison_page(previous.id, agenda.id) if previous else None,
                position_changes=[c for c in cmp.changes if c.position and not c.is_calendar] if cmp else [],
            )
        return render

    def _summary(self, cmp) -> str:
        return counts_phrase(cmp.position_counts(), len(cmp.changes), self.p.language)

    def agendas_index(self) -> bytes:
        rows = []
        for agenda in reversed(self.agendas):
            previous = self.previous[agenda.id]
            cmp = self.texts.comparison(previous, previous.latest, agenda, agenda.latest) if previous else None
            rows.append({
                "letter": agenda, "meeting": self.meeting(agenda),
                "positions": sum(len(s.positions) for s in self.texts.sessions(agenda)),
                "summary": self._summary(cmp) if cmp else None,
                "report": paths.comparison_page(previous.id, agenda.id) if previous else None,
            })
        return self.p.render("agendas.html.j2", here=paths.AGENDAS, section="agendas",
                             page_title=self.w["agendas_title"], rows=rows)

    def topics_index(self) -> bytes:
        rows = []
        for topic in topic_lexicon().names:
            counts = [len(positions_on(topic, self.texts.sessions(a))) for a in self.agendas]
            rows.append({"topic": topic, "latest": counts[-1] if counts else 0, "total": sum(counts)})
        return self.p.render("topics.html.j2", here=paths.TOPICS, section="topics",
                             page_title=self.w["topics_title"], rows=rows)

    def _topic(self, topic: str, here: str) -> Callable[[], bytes]:
        def render() -> bytes:
            timeline = topic_timeline(topic, [(a, self.texts.sessions(a)) for a in self.agendas])
            steps = []
            for index, step in enumerate(timeline):
                counts = step.stances()
                steps.append({
                    "letter": step.agenda, "label": self.meeting(step.agenda), "positions": step.positions,
                    "counts": Counter({s: counts.get(s, 0) for s in STANCES}),
                    "comparison": step.comparison,
                    "changes": step.comparison.changes if step.comparison else (),
                    "previous_label": self.meeting(timeline[index - 1].agenda) if index else None,
                })
            chart = stance_chart(
                [(s["label"], s["counts"]) for s in steps],
                title=self.w["chart_title"].format(topic=topic), desc=self.w["chart_desc"].format(topic=topic),
                names=self.w["stance"], chart_id="chart",
            )
            # the table names only the stances that occur; the chart's legend names them all
            used = [s for s in STANCES if any(step["counts"][s] for step in steps)]
            return self.p.render("topic.html.j2", here=here, section="topics",
                                 page_title=self.w["topic_title"].format(topic=topic), topic=topic,
                                 steps=steps, chart=Markup(chart), stances=used)  # the chart escapes its own texts
        return render

    def feed(self) -> bytes:
        # (updated, id, make): the newest FEED_LIMIT are made; only their comparisons are computed
        candidates: list[tuple] = []
        for letter in self.letters:
            for index, version in enumerate(letter.versions):
                candidates.append((version.fetched_at, entry_id("letter", letter.id, version.number),
                                   self._letter_item(letter, index)))
        for agenda in self.agendas:
            previous = self.previous[agenda.id]
            if previous is not None:
                updated = max(previous.latest.fetched_at, agenda.latest.fetched_at)
                ident = entry_id("comparison", previous.id, previous.latest.number, agenda.id, agenda.latest.number)
                candidates.append((updated, ident, self._comparison_item(previous, agenda, ident, updated)))
        candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
        items = [make() for _, _, make in candidates[:FEED_LIMIT]]
        return atom_feed(items, title=self.w["feed_title"].format(title=self.p.title),
                         language=self.p.language, base_url=self.p.base_url)

    def _letter_item(self, letter: Letter, index: int) -> Callable[[], FeedItem]:
        def make() -> FeedItem:
            version = letter.versions[index]
            title = letter_title(letter.title) or letter.id
            summary = self.w["feed_letter_summary"].format(
                id=letter.id, date=self.p.day(letter.date) if letter.date else "",
                series=self.w["badge"].get(letter.series, letter.series))
            if index == 0:
                return FeedItem(entry_id("letter", letter.id, version.number),
                                self.w["feed_new_letter"].format(title=title),
                                paths.letter_page(letter.id), version.fetched_at, summary)
            before = letter.versions[index - 1]
            return FeedItem(entry_id("letter", letter.id, version.number),
                            self.w["feed_new_version"].format(version=version.number, title=title),
                            paths.comparison_page(_version_id(letter, before), _version_id(letter, version)),
                            version.fetched_at, summary)
        return make

    def _comparison_item(self, previous: Letter, agenda: Letter, ident: str, updated) -> Callable[[], FeedItem]:
        def make() -> FeedItem:
            cmp = self.texts.comparison(previous, previous.latest, agenda, agenda.latest)
            title = self.w["feed_comparison"].format(
                new=self.w["agenda_title"].format(meeting=self.meeting(agenda)),
                old=self.w["agenda_title"].format(meeting=self.meeting(previous)))
            summary = self._summary(cmp) if cmp else self.w["unreadable"].format(reason=agenda.id)
            return FeedItem(ident, title, paths.comparison_page(previous.id, agenda.id), updated, summary)
        return make
