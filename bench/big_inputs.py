"""Time and peak memory of `dossier-monitor diff` on big letters (1, 5 and 20 MB), and the refusal above the cap.

The letters are generated: sections under headings, paragraphs of sentences that mix the
words of the real agendas in tests/fixtures with words of the section's own subject (made-up
words, a few dozen per section), so sentences are distinct and sections differ in what they
are about, as in a long real text. The new version is the old one edited the way agendas change, spread over the
whole text: a word changed in one sentence of 40, one of 150 dropped, one of 200 added, a
paragraph moved now and then, a heading renamed. Every size runs as a fresh process (what
a user waits for), its peak resident memory read from the kernel (``wait4``).

    .venv/bin/python bench/big_inputs.py [--sizes 1 5 20]

Targets (issue 14): cost linear in the size, a 5 MB pair in under 5 s; an input above the
20 MB cap refused (exit 2, one line) within a second.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TARGET_5MB_S = 5.0
TARGET_REFUSAL_S = 1.0
MB = 1024 * 1024


def vocabulary() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "pairs").glob("*.txt")))
    return re.findall(r"[a-zà-ÿ]{2,}", text)  # with repeats: common words stay common


def sentence(rng: random.Random, words: list[str], subject: list[str]) -> str:
    body = " ".join(rng.choice(subject if rng.random() < 0.4 else words) for _ in range(rng.randint(8, 28)))
    return body[0].upper() + body[1:] + "."


def subject_words(rng: random.Random) -> list[str]:
    syllables = ["ka", "ver", "lo", "tin", "de", "mar", "sto", "bel", "ri", "gen", "om", "pa", "zu", "ter", "nie",
                 "bra", "hu", "wen", "dol", "sche"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(3, 5))) for _ in range(40)]


def letter(size: int, rng: random.Random) -> list[tuple[str, list[list[str]], list[str]]]:
    """Sections (heading, paragraphs of sentences, subject words) adding up to about ``size`` bytes."""
    words = vocabulary()
    sections, total, k = [], 0, 0
    while total < size:
        k += 1
        subject = subject_words(rng)
        heading = f"Werksessie {subject[0].capitalize()} {subject[1]} {k}"
        paragraphs = [[sentence(rng, words, subject) for _ in range(rng.randint(2, 6))]
                      for _ in range(rng.randint(2, 6))]
        total += len(heading) + sum(len(s) + 1 for p in paragraphs for s in p)
        sections.append((heading, paragraphs, subject))
    return sections


def edited(sections: list[tuple[str, list[list[str]], list[str]]], rng: random.Random) -> list[tuple[str, list[list[str]], list[str]]]:
    words = vocabulary()
    out = []
    for k, (heading, paragraphs, subject) in enumerate(sections):
        if k % 97 == 5:
            heading = heading.replace("Werksessie", "Werkdiner")
        new_paragraphs = []
        for paragraph in paragraphs:
            kept = []
            for s in paragraph:
                roll = rng.random()
                if roll < 1 / 150:
                    continue  # dropped
                if roll < 1 / 150 + 1 / 40:
                    ws = s.split()
                    ws[rng.randrange(1, len(ws))] = rng.choice(words)
                    s = " ".join(ws) + ("" if ws[-1].endswith(".") else ".")
                kept.append(s)
                if rng.random() < 1 / 200:
                    kept.append(sentence(rng, words, subject))  # added
            if kept:
                new_paragraphs.append(kept)
        if k % 53 == 7 and len(new_paragraphs) > 1:
            new_paragraphs.append(new_paragraphs.pop(0))  # a paragraph moved within its section
        out.append((heading, new_paragraphs, subject))
    return out


def write(path: Path, sections: list[tuple[str, list[list[str]], list[str]]]) -> None:
    lines = ["Geannoteerde agenda NAVO Foreign Ministers Meeting (FMM) 3 en 4 december 2024", ""]
    for heading, paragraphs, _ in sections:
        lines += [heading, ""]
        for paragraph in paragraphs:
            lines += [" ".join(paragraph), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def run(argv: list[str]) -> tuple[float, float, float, int, str]:
    """Seconds, CPU seconds, peak resident MB, exit code and stderr of one process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def generate(size_mb: float, folder: Path) -> tuple[Path, Path, int]:
    """Write the pair for ``size_mb`` into ``folder``: paths and number of sentences."""
    rng = random.Random(int(size_mb * 1000))
    sections = letter(int(size_mb * MB * 0.98), rng)  # a little under: "20 MB" stays under the cap
    old, new = folder / f"big-{size_mb:g}mb.old.txt", folder / f"big-{size_mb:g}mb.new.txt"
    write(old, sections)
    write(new, edited(sections, rng))
    return old, new, sum(len(p) for _, ps, _ in sections for p in ps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20], help="sizes in MB (default 1 5 20)")
    parser.add_argument("--keep", type=Path, help="write the generated pairs into this folder and keep them")
    parser.add_argument("--generate", type=float, help=argparse.SUPPRESS)  # one pair, in a process of its own
    args = parser.parse_args(argv)
    if args.generate:
        print(generate(args.generate, args.keep)[2])
        return 0
    command = [sys.executable, "-m", "monitor", "diff"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'size':>6}  {'old':>8}  {'sentences':>9}  {'seconds':>7}  {'CPU s':>6}  {'peak MB':>7}  exit")
        for size_mb in args.sizes:
            # generated in a process of its own: a child forked from a parent that held the
            # text would count the parent's memory in its peak
            made = subprocess.run([sys.executable, __file__, "--generate", str(size_mb), "--keep", str(folder)],
                                  check=True, capture_output=True, text=True)
            count = int(made.stdout)
            old, new = folder / f"big-{size_mb:g}mb.old.txt", folder / f"big-{size_mb:g}mb.new.txt"
            seconds, cpu, peak, code, stderr = run([*command, str(old), str(new), "--format", "json"])
            print(f"{size_mb:>4g}MB  {old.stat().st_size / MB:>6.1f}MB  {count:>9}  {seconds:>7.2f}  {cpu:>6.2f}  "
                  f"{peak:>7.0f}  {code}")
            if code != 0:
                print(stderr.strip().splitlines()[-1])
                ok = False
            if size_mb == 5 and cpu >= TARGET_5MB_S:
                ok = False
        big = folder / "over-the-cap.txt"
        with big.open("wb") as f:  # 50 MB of text, the size that once ran for minutes
            block = ("Nederland steunt Oekraïne. " * 40 + "\n\n").encode()
            for _ in range(50 * MB // len(block)):
                f.write(block)
        seconds, _, peak, code, stderr = run([*command, str(big), str(big)])
        print(f"\n{big.stat().st_size / MB:.0f} MB input: exit {code} in {seconds:.2f} s, peak {peak:.0f} MB: "
              f"{stderr.strip()}")
        ok = ok and code == 2 and seconds < TARGET_REFUSAL_S and len(stderr.strip().splitlines()) == 1
    print(f"(load average (1 min) {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores; the 5 MB target is judged on "
          "CPU seconds, which a busy machine does not inflate)")
    print(f"\ntargets: 5 MB pair < {TARGET_5MB_S:.0f} s; over the cap: exit 2, one line, < {TARGET_REFUSAL_S:.0f} s: "
          f"{'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
