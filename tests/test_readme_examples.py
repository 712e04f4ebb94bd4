"""The README's terminal examples are the tool's real output: every line shown is printed.

Each ```console block in README.md holds commands (``$ …``) followed by what they print,
abridged with ``…`` lines. The offline ones (``dossier-monitor diff`` on files that ship with
the tests) are run here through the real entry point, and every line shown under a command
must stand, verbatim, in what it prints now. A change of output that leaves the README behind
fails here instead of misleading a new reader.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _examples() -> list[tuple[str, list[str]]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)\n```", README, flags=re.S):
        lines = block.split("\n")
        starts = [k for k, line in enumerate(lines) if line.startswith("$ ")]
        for k, end in zip(starts, [*starts[1:], len(lines)]):
            command = lines[k][2:]
            shown = [line for line in lines[k + 1:end] if line.strip() and not line.strip().startswith("…")]
            if " diff " in command and shown:
                examples.append((command, shown))
    return examples


EXAMPLES = _examples()


def test_the_readme_has_offline_diff_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[" ".join(c.split()[2:4]) for c, _ in EXAMPLES])
def test_every_line_the_readme_shows_is_printed(command, shown):
    argv = shlex.split(command)
    assert argv[0].endswith("dossier-monitor"), command
    out = subprocess.run([sys.executable, "-m", "monitor", *argv[1:]], cwd=ROOT, capture_output=True,
                         text=True, encoding="utf-8", timeout=120, check=True).stdout
    missing = [line for line in shown if line not in out.split("\n")]
    assert not missing, f"{command}: README lines not in the output:\n" + "\n".join(missing)
