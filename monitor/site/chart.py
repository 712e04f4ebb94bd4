"""A small stacked-bar chart as inline SVG: positions per meeting, split by stance.

No script and no external file: the SVG is markup in the page. Stances differ by fill
pattern (lines, dots, hatching, plain) as well as colour, so the chart reads in print,
in greyscale and for colour-blind readers; a legend in words sits in the SVG and the
page shows the same figures as a table.

>>> names = dict(zip(STANCES, ("steunt", "benadrukt", "aanvaardt", "neutraal", "is tegen")))
>>> svg = stance_chart([("apr 2024", {"support": 2, "oppose": 1}), ("dec 2024", {})],
...                    title="Standpunten", desc="Per vergadering", names=names, chart_id="c")
>>> svg.startswith('<svg ') and 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
True
>>> svg.count("<rect class=\\"bar\\"")
2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

# bottom to top in every bar, and the order of the legend
STANCES = ("support", "emphasis", "acquiesce", "neutral", "oppose")

# (colour, pattern) per stance; colours keep 3:1 contrast against white, patterns tell them apart without colour
_STYLE = {
    "support": ("#1f5fa8", "diagonal"),
    "emphasis": ("#5b3a8c", "dots"),
    "acquiesce": ("#8a4b08", "horizontal"),
    "neutral": ("#5f6368", "plain"),
    "oppose": ("#a1182b", "cross"),
}

_LEFT, _TOP, _PLOT_H, _LABEL_H, _LEGEND_W = 50, 16, 150, 70, 150
# bar pitch: wide for a few meetings, narrower for many, but never so narrow that the date labels collide
_PITCH_MAX, _PITCH_MIN, _PLOT_W_TARGET = 52, 18, 640


def _pattern(chart_id: str, stance: str) -> str:
    colour, kind = _STYLE[stance]
    pid = f"{chart_id}-{stance}"
    head = f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
    back = '<rect width="8" height="8" fill="#ffffff"/>'
    if kind == "diagonal":
        marks = f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="2.2"/>'
    elif kind == "dots":
        marks = f'<circle cx="2" cy="2" r="1.6" fill="{colour}"/><circle cx="6" cy="6" r="1.6" fill="{colour}"/>'
    elif kind == "horizontal":
        marks = f'<path d="M0,2 h8 M0,6 h8" stroke="{colour}" stroke-width="1.8"/>'
    elif kind == "cross":
        marks = f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{colour}" stroke-width="1.6"/>'
    else:
        marks = f'<rect width="8" height="8" fill="{colour}" fill-opacity="0.35"/>'
    return f"{head}{back}{marks}</pattern>"


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 5))  # at most about five gridlines, whole numbers only
    return list(range(0, top + 1, step))


def stance_chart(bars: Sequence[tuple[str, Mapping[str, int]]], *, title: str, desc: str,
                 names: Mapping[str, str], chart_id: str) -> str:
    """SVG markup: one stacked bar per ``(label, counts by stance)``, oldest first."""
    top = max([sum(counts.get(s, 0) for s in STANCES) for _, counts in bars] + [1])
    ticks = _ticks(top)
    top = max(top, ticks[-1])
    scale = _PLOT_H / top
    pitch = max(_PITCH_MIN, min(_PITCH_MAX, _PLOT_W_TARGET // max(len(bars), 1)))
    bar_w, gap = round(pitch * 0.65), pitch - round(pitch * 0.65)
    plot_w = max(len(bars), 1) * pitch + gap
    width = _LEFT + plot_w + _LEGEND_W
    height = _TOP + _PLOT_H + _LABEL_H
    base = _TOP + _PLOT_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        "<defs>" + "".join(_pattern(chart_id, s) for s in STANCES) + "</defs>",
    ]
    for tick in ticks:
        y = base - tick * scale
        out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c8c8c8" '
                   f'stroke-width="1"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="#333333">{tick}</text>')
    for i, (label, counts) in enumerate(bars):
        x = _LEFT + gap + i * pitch
        y = float(base)
        for stance in STANCES:
            n = counts.get(stance, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            out.append(f'<rect class="bar" x="{x}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" '
                       f'fill="url(#{chart_id}-{stance})" stroke="{_STYLE[stance][0]}" stroke-width="1.5">'
                       f"<title>{escape(label)}: {n} {escape(names[stance])}</title></rect>")
        total = sum(counts.get(s, 0) for s in STANCES)
        out.append(f'<text x="{x + bar_w / 2}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
                   f'fill="#1b1b1b">{total}</text>')
        lx, ly = x + bar_w / 2, base + 12
        out.append(f'<text x="{lx}" y="{ly}" text-anchor="end" font-size="11" fill="#1b1b1b" '
                   f'transform="rotate(-40 {lx} {ly})">{escape(label)}</text>')
    out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{base}" y2="{base}" stroke="#1b1b1b"/>')
    legend_x = _LEFT + plot_w + 14
    for i, stance in enumerate(reversed(STANCES)):  # top to bottom, as the bars stack
        y = _TOP + i * 22
        out.append(f'<rect x="{legend_x}" y="{y}" width="16" height="16" fill="url(#{chart_id}-{stance})" '
                   f'stroke="{_STYLE[stance][0]}" stroke-width="1.5"/>')
        out.append(f'<text x="{legend_x + 22}" y="{y + 12}" font-size="12" fill="#1b1b1b">'
                   f"{escape(names[stance])}</text>")
    out.append("</svg>")
    return "".join(out)
