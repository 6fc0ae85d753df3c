"""Server-side SVG charts: no JavaScript, no library, readable by screen readers.

Each chart is an <svg role="img"> with <title> and <desc>; pages also render the same
numbers in a table (see templates/_charts.html). Bars grow from the inline start, so in a
right-to-left page they grow from the right. Suppressed values draw no bar, only the text.
"""

from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

WIDTH = 320  # viewBox units; the SVG scales to its container (375 px phones included)
ROW = 34
BAR = 14
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or not available (no bar drawn)
    text: str  # what to print next to the bar ("42%", "fewer than 5")


def _svg(height: int, title: str, desc: str, body: list[str]) -> Markup:
    uid = next(_ids)
    # Positions and anchors above are already mirrored for right-to-left pages; the SVG's own
    # direction stays ltr so that an inherited dir="rtl" does not flip the anchors again.
    # Arabic labels still read right to left inside each <text> (Unicode bidi).
    direction = ' direction="ltr"'
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart{uid}-t chart{uid}-d"{direction} '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{uid}-t">{escape(title)}</title>'
        f'<desc id="chart{uid}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def bar_chart(bars: list[Bar], title: str, desc: str, rtl: bool = False,
              max_value: float | None = None) -> Markup:
    """Horizontal bars, one per row: the label above, the bar and its value below."""
    top = max_value or max((b.value or 0 for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = i * ROW
        label_x, anchor = (WIDTH - 2, "end") if rtl else (2, "start")
        body.append(
            f'<text x="{label_x}" y="{y + 11}" font-size="11" text-anchor="{anchor}" '
            f'fill="#1b1f24">{escape(_clip(bar.label))}</text>'
        )
        width = 0 if bar.value is None else max(1.0, (WIDTH - 90) * bar.value / top)
        if bar.value:
            x = WIDTH - width if rtl else 0
            body.append(
                f'<rect x="{x:.1f}" y="{y + 15}" width="{width:.1f}" height="{BAR}" '
                f'fill="#0b5394"/>'
            )
        text_x = WIDTH - width - 4 if rtl else width + 4
        style = ' font-style="italic" fill="#4a5560"' if bar.value is None else ' fill="#1b1f24"'
        body.append(
            f'<text x="{text_x:.1f}" y="{y + 26}" font-size="11" text-anchor="{anchor}"'
            f'{style}>{escape(bar.text)}</text>'
        )
    return _svg(max(ROW * len(bars), ROW), title, desc, body)


LIKERT_COLOURS = ("#b3261e", "#e8a29c", "#c9d1d9", "#8fb3d9", "#0b5394")


def stacked_bar(parts: list[Bar], title: str, desc: str, rtl: bool = False,
                colours=LIKERT_COLOURS) -> Markup:
    """One 100% bar split into parts (values are shares 0..1, e.g. a Likert scale), with a
    legend. Suppressed parts (value None) share one grey segment, so no size leaks."""
    body, x = [], 0.0
    for i, part in enumerate(parts):
        if not part.value:
            continue
        width = WIDTH * part.value
        rx = WIDTH - x - width if rtl else x
        body.append(f'<rect x="{rx:.1f}" y="0" width="{width:.1f}" height="22" '
                    f'fill="{colours[i % len(colours)]}"/>')
        x += width
    if WIDTH - x > 0.5:
        rx = 0 if rtl else x
        body.append(f'<rect x="{rx:.1f}" y="0" width="{WIDTH - x:.1f}" height="22" '
                    f'fill="#f3f6f9" stroke="#c9d1d9"/>')
    for i, part in enumerate(parts):
        y = 40 + i * 16
        sx, tx, anchor = (WIDTH - 12, WIDTH - 16, "end") if rtl else (0, 16, "start")
        colour = colours[i % len(colours)] if part.value is not None else "#f3f6f9"
        body.append(f'<rect x="{sx}" y="{y - 10}" width="12" height="12" fill="{colour}" '
                    f'stroke="#c9d1d9"/>')
        body.append(f'<text x="{tx}" y="{y}" font-size="11" text-anchor="{anchor}" '
                    f'fill="#1b1f24">{escape(_clip(part.label, 34))}: {escape(part.text)}</text>')
    return _svg(40 + 16 * len(parts), title, desc, body)


def _clip(text: str, limit: int = 48) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
