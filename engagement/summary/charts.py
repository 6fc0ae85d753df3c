"""Server-side charts: SVG bars with HTML labels. No JavaScript, no library.

Labels and values are HTML text, not SVG <text>: browsers and the PDF renderer (WeasyPrint)
then shape Arabic and Chinese correctly and mirror the layout for right-to-left pages, and
the text reflows on a 375 px phone. A bar's label is isolated (<bdi>) from its value, so an
Arabic label on an English page (or an English one on an Arabic page) cannot pull the
number away from its percent sign ("4.3 العربية%"). Only the bars are SVG. Each chart is
one element with role="img" and a text alternative (title and description); pages also
show the same numbers in a table (templates/_charts.html). Suppressed values draw no bar,
only the text.
"""

from dataclasses import dataclass
from itertools import count

from markupsafe import Markup

SCALE = 100  # viewBox width of a bar track
BAR = 14
_ids = count(1)
LIKERT_COLOURS = ("#b3261e", "#e8a29c", "#c9d1d9", "#8fb3d9", "#0b5394")
EMPTY = "#f3f6f9"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or not available (no bar drawn)
    text: str  # what to print next to the bar ("42%", "fewer than 5")


def _chart(kind: str, title: str, desc: str, body: str) -> Markup:
    uid = next(_ids)
    return Markup(
        '<div class="chart {kind}" role="img" aria-labelledby="chart{uid}-t chart{uid}-d">'
        '<span class="visually-hidden" id="chart{uid}-t">{title}</span>'
        '<span class="visually-hidden" id="chart{uid}-d">{desc}</span>{body}</div>'
        # Markup.format escapes every argument; body is our SVG (bandit B704)
    ).format(kind=kind, uid=uid, title=title, desc=desc, body=Markup(body))  # nosec B704


def _track(rects: list[tuple[float, float, str]], rtl: bool, outline: bool = False) -> str:
    """An SVG bar track with rects given as (start, width, colour) in 0..SCALE units from the
    inline start; mirrored for right-to-left pages."""
    shapes = []
    for start, width, colour in rects:
        x = SCALE - start - width if rtl else start
        stroke = ' stroke="#c9d1d9" stroke-width="0.5"' if colour == EMPTY and outline else ""
        shapes.append(
            f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="{BAR}" fill="{colour}"{stroke}/>'
        )
    return (
        f'<svg class="chart-track" viewBox="0 0 {SCALE} {BAR}" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        + "".join(shapes)
        + "</svg>"
    )


def bar_chart(
    bars: list[Bar], title: str, desc: str, rtl: bool = False, max_value: float | None = None
) -> Markup:
    """Horizontal bars, one per row: the label above, the bar and its value below."""
    top = max_value or max((b.value or 0 for b in bars), default=0) or 1
    rows = []
    for bar in bars:
        rects = []
        if bar.value:
            rects.append((0.0, max(0.5, SCALE * bar.value / top), "#0b5394"))
        value_class = "chart-value suppressed" if bar.value is None else "chart-value"
        rows.append(
            Markup(
                '<div class="chart-row"><bdi class="chart-label">{label}</bdi> '
                '<bdi class="{cls}"{dir}>{text}</bdi>{track}</div>'
            ).format(
                # Markup.format escapes label and text; the track is our SVG (bandit B704)
                label=bar.label,
                cls=value_class,
                # A number with its % sign reads left to right on an Arabic page too; a
                # "fewer than 10" in the page's language keeps the page's direction.
                dir=Markup(' dir="ltr"') if bar.value is not None else "",
                text=bar.text,
                track=Markup(_track(rects, rtl)),  # nosec B704
            )
        )
    return _chart("bar-chart", title, desc, "".join(rows))


def stacked_bar(
    parts: list[Bar], title: str, desc: str, rtl: bool = False, colours=LIKERT_COLOURS
) -> Markup:
    """One 100% bar split into parts (values are shares 0..1, e.g. a Likert scale), with a
    legend. Suppressed parts (value None) share one grey segment, so no size leaks."""
    rects, start = [], 0.0
    for i, part in enumerate(parts):
        if part.value:
            width = SCALE * part.value
            rects.append((start, width, colours[i % len(colours)]))
            start += width
    if SCALE - start > 0.2:
        rects.append((start, SCALE - start, EMPTY))
    legend = []
    for i, part in enumerate(parts):
        colour = colours[i % len(colours)] if part.value is not None else EMPTY
        swatch = (
            f'<svg class="chart-swatch" viewBox="0 0 12 12" aria-hidden="true" '
            f'focusable="false" xmlns="http://www.w3.org/2000/svg"><rect width="12" '
            f'height="12" fill="{colour}" stroke="#c9d1d9"/></svg>'
        )
        legend.append(
            Markup("<li>{swatch}{label}: {text}</li>").format(
                # Markup.format escapes label and text; the swatch is our own SVG.
                swatch=Markup(swatch),  # nosec B704
                label=part.label,
                text=part.text,
            )
        )
    # Our own SVG track and legend items whose text was escaped above.
    track = Markup(_track(rects, rtl, outline=True))  # nosec B704
    items = Markup("".join(legend))  # nosec B704
    body = Markup('{track}<ul class="chart-legend">{items}</ul>')
    return _chart("stacked-chart", title, desc, body.format(track=track, items=items))
