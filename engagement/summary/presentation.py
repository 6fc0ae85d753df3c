"""What people read of a summary: a cell's count or "fewer than K", locale-aware percentages,
and the charts of the summary pages and the report.

Call inside a request context: texts are translated and numbers formatted for the current
locale.
"""

import copy

from babel import Locale
from flask_babel import format_percent, get_locale
from markupsafe import Markup

from engagement.i18n import _, current_locale, text_direction
from engagement.summary.build import min_group_size
from engagement.summary.charts import Bar, bar_chart, stacked_bar
from engagement.summary.model import Cell, Summary


def display(cell: Cell | None, k: int | None = None) -> str:
    """Text for a cell: its number, or "fewer than K" (translated) when suppressed; `k` is the
    group size the cell was protected with (default: the workspace's, `min_group_size()`)."""
    if cell is None or (cell.n is None and not cell.suppressed):
        return _("not available")
    if cell.suppressed:
        return _("fewer than %(k)s", k=min_group_size() if k is None else k)
    return str(cell.n)


def percent(value: Cell | float | None, decimals: int = 0) -> str:
    """A share (a cell's, or a number from 0 to 1) as a percentage in the current locale's
    format: "42%", "42 %" in Spanish, "4,3%" in Portuguese with one decimal. "" when the
    share is hidden or has no base."""
    share = value.share if isinstance(value, Cell) else value
    if share is None:
        return ""
    locale = get_locale() or Locale.parse("en")
    pattern = copy.copy(locale.percent_formats[None])  # the cached pattern stays untouched
    pattern.frac_prec = (decimals, decimals)
    text = format_percent(share, pattern)
    # Babel writes a plain "%" where the locale has its own sign: Arabic wraps it in
    # left-to-right marks so that it stays after the number in right-to-left text.
    return text.replace("%", locale.number_symbols["latn"].get("percentSign", "%"))


def cell_bar(cell: Cell, decimals: int = 1, k: int | None = None) -> Bar:
    """A bar for a cell's share, labelled with its percentage; no bar when hidden."""
    if cell.suppressed or cell.share is None:
        return Bar(cell.label, None, display(cell, k))
    return Bar(cell.label, cell.share, percent(cell, decimals))


def described_bar_chart(bars: list[Bar], title: str, rtl: bool) -> Markup | None:
    """A bar chart whose text alternative lists every bar; None without bars."""
    if not bars:
        return None
    desc = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return bar_chart(bars, title, desc, rtl=rtl)


def summary_charts(summary: Summary) -> dict:
    """Charts (inline SVG) for a summary: themes, participation, Likert questions."""
    rtl = text_direction(current_locale()) == "rtl"
    k = summary.min_group_size
    charts = {}
    if summary.themes:
        bars = [
            Bar(t.label, t.count.share, percent(t.count) or display(t.count, k))
            for t in summary.themes
        ]
        charts["themes"] = bar_chart(
            bars,
            _("Themes by share of responses"),
            _(
                "Share of the responses with a written comment that mention each theme. "
                "Groups of fewer than %(k)s are not shown.",
                k=k,
            ),
            rtl=rtl,
            max_value=1,
        )
    charts["breakdowns"] = {}
    for breakdown in summary.breakdowns:
        if not breakdown.cells:
            continue
        bars = [Bar(c.label, c.n, display(c, k)) for c in breakdown.cells]
        charts["breakdowns"][breakdown.dimension] = bar_chart(
            bars,
            _("Responses by %(what)s", what=breakdown.title.lower()),
            _("Number of responses in each group; groups of fewer than %(k)s are not shown.", k=k),
            rtl=rtl,
        )
    charts["questions"] = {}
    for question in summary.questions:
        if question.kind == "likert5" and not question.answered.suppressed:
            parts = [Bar(c.label, c.share, percent(c) or display(c, k)) for c in question.options]
            charts["questions"][question.code] = stacked_bar(
                parts,
                question.text,
                _(
                    "How the %(n)s people who answered responded, from strongly disagree to "
                    "strongly agree.",
                    n=display(question.answered, k),
                ),
                rtl=rtl,
            )
    return charts
