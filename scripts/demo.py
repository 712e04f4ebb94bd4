"""The whole pipeline offline, in a minute, with the real command line.

A local publisher (the test peer, ``python -m tests.peer``) serves the real annotated agenda of
22 November 2024 in the publisher's formats. The monitor polls it, a subscriber signs up, the
publisher puts out the next agenda (kst-28676-490, edited by hand from the real one: not a real
letter), the next poll compares the two and queues the alert, which lands as an ``.eml`` file
because no SMTP server is configured. Last, the static site is built.

Everything is written below one folder (default ``./demo``); nothing leaves this machine.
Run it with ``bash scripts/demo`` (which sets up the virtualenv first).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import shlex
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.peer import agenda_474  # noqa: E402  (the checkout, not an installed package)
from tests.peer.corpus import NEXT_AGENDA_TITLE, next_agenda_xml, write_directory  # noqa: E402

MARKER = ".dossier-monitor-demo"
SUBSCRIBER = "analist@example.org"


def say(text: str) -> None:
    print(f"\n# {text}", flush=True)


def monitor(folder: Path, *args: str) -> None:
    """Runs the real command line, showing the command as a user would type it."""
    shown = " ".join(shlex.quote(a) for a in args)
    print(f"$ dossier-monitor --config {folder.name}/monitor.toml {shown}", flush=True)
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(folder / "monitor.toml"), *args],
                          cwd=folder.parent)
    if done.returncode != 0:
        raise SystemExit(f"demo: `dossier-monitor {shown}` ended with exit code {done.returncode}")


def fresh(folder: Path) -> None:
    if folder.exists():
        if any(folder.iterdir()) and not (folder / MARKER).exists():
            raise SystemExit(f"demo: {folder} exists and is not an earlier demo; name another folder")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by scripts/demo.py; removed by its next run\n")


def write_config(folder: Path, publisher: str) -> None:
    (folder / "monitor.toml").write_text(f"""\
# the demo's settings: the local publisher, no pauses between requests, everything in this folder
[source]
sru_url = "{publisher}/sru"
allowed_hosts = ["127.0.0.1"]
min_request_interval_seconds = 0
[storage]
data_dir = "data"
[mail]
language = "nl"
""", encoding="utf-8")


def publish_next_agenda(publisher: str) -> None:
    today = dt.date.today()
    body = json.dumps({"identifier": "kst-28676-490", "title": NEXT_AGENDA_TITLE,
                       "date": (today - dt.timedelta(days=1)).isoformat(), "available": today.isoformat(),
                       "xml_base64": base64.b64encode(next_agenda_xml()).decode()}).encode()
    request = urllib.request.Request(f"{publisher}/_control/publish", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="demo", type=Path, help="where everything goes (default: demo)")
    folder = parser.parse_args().folder.resolve()
    fresh(folder)
    write_directory(folder / "publisher", [agenda_474()])
    peer = subprocess.Popen([sys.executable, "-m", "tests.peer", "--publications", str(folder / "publisher")],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        publisher = peer.stdout.readline().strip()
        write_config(folder, publisher)
        say(f"A local publisher at {publisher} serves kst-28676-474, the agenda of 22 November 2024.")
        say("The first poll records what is already there; history is not news, so nobody is mailed.")
        monitor(folder, "poll")
        say("Someone subscribes to the FMM agendas.")
        monitor(folder, "subscribers", "add", SUBSCRIBER, "--series", "fmm-agenda")
        say("The publisher puts out the next agenda, kst-28676-490 (edited by hand from 474; not a real letter).")
        publish_next_agenda(publisher)
        say("The next poll fetches it, compares its positions with 474 and sends the alert.")
        monitor(folder, "poll")
        monitor(folder, "alerts", "list")
        say("The comparison the alert is about, from the snapshot store:")
        monitor(folder, "diff", "kst-28676-474", "kst-28676-490")
        say("The static site: letters, agendas with their positions, topic timelines, feed.atom.")
        monitor(folder, "site", "-o", str(folder / "site"))
    finally:
        peer.terminate()
        peer.wait(timeout=10)
    mails = sorted((folder / "data" / "outbox").glob("*.eml"))
    say("Done. Open these:")
    for path in [*mails, folder / "site" / "index.html"]:
        print(f"  {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
