"""The Commitment 4 report as printable HTML and as PDF (WeasyPrint).

One template, templates/reports/commitment4.html, in the current UI locale (right-to-left
for Arabic). Its stylesheet, templates/reports/report.css, is linked on the web (served by
the staff blueprint, as CSP allows no inline style), inlined in a downloaded HTML file, and
handed to WeasyPrint directly for the PDF. WeasyPrint fetches nothing: the report has no
external resources and the URL fetcher refuses any.
"""

import hashlib
from functools import cache, partial
from pathlib import Path

from flask import render_template
from flask_babel import format_decimal, format_number
from markupsafe import Markup

from engagement.exports.report import Report, used_quotes
from engagement.i18n import _, text_direction
from engagement.summary import display, percent
from engagement.summary.charts import Bar
from engagement.summary.presentation import cell_bar, described_bar_chart

TOP_THEMES_CHART = 8
CSS_FILE = Path(__file__).resolve().parent.parent.parent / "templates" / "reports" / "report.css"


@cache
def report_css() -> str:
    """The report stylesheet (print rules, page breaks, fonts for every UI language)."""
    return CSS_FILE.read_text(encoding="utf-8")


def css_version() -> str:
    """A short hash of the stylesheet, for cache-busting its URL."""
    return hashlib.sha256(report_css().encode()).hexdigest()[:10]


def render_html(report: Report, standalone: bool = False, **links) -> str:
    """The report page. `standalone` inlines the stylesheet (a file opened from disk);
    on the web, `links` gives css_url, pdf_url and back_url, `missing_english` the quotes
    still without an English rendering, and staff_view=True the note for staff (both for staff
    only: never in a file or a PDF)."""
    # our own stylesheet file, not user data (bandit B704)
    return _render(report, inline_css=Markup(report_css()) if standalone else None, **links)  # nosec B704


def _render(report: Report, **context) -> str:
    context.setdefault("css_url", None)
    context.setdefault("pdf_url", None)
    context.setdefault("back_url", None)
    context.setdefault("inline_css", None)
    context.setdefault("missing_english", [])
    context.setdefault("staff_view", False)
    return render_template(
        "reports/commitment4.html",
        report=report,
        charts=report_charts(report),
        display=partial(display, k=report.min_group_size),
        percent=percent,
        used_quotes=used_quotes,
        signed=signed,
        direction_of=text_direction,
        **context,
    )


def signed(value: float, decimals: int = 1) -> str:
    """A change with its sign, in the current locale's digits ("+1.5", "−3")."""
    digits = "0" * decimals
    pattern = f"+#,##0.{digits};-#,##0.{digits}" if decimals else "+#,##0;-#,##0"
    return format_decimal(value, format=pattern)


def report_charts(report: Report) -> dict:
    """The report's charts: the same server-side SVG bar charts as the summary pages."""
    rtl = text_direction(report.locale) == "rtl"
    bar = partial(cell_bar, k=report.min_group_size)
    meetings = [
        Bar(row.label, float(row.events), format_number(row.events))
        for row in report.kinds
        if row.events is not None
    ]
    if not any(bar.value for bar in meetings):
        meetings = []  # no meetings in the period: the table says so, a chart of zeros adds nothing
    languages = [bar(row.responses) for row in report.languages if row.responses is not None]
    themes = [bar(theme.count) for theme in report.overview.themes[:TOP_THEMES_CHART]]
    return {
        "kinds": described_bar_chart(meetings, _("Meetings held, by kind"), rtl),
        "languages": described_bar_chart(languages, _("Share of responses, by language"), rtl),
        "groups": described_bar_chart(
            [bar(c) for c in report.groups],
            _("Share of responses, by stakeholder group"),
            rtl,
        ),
        "themes": described_bar_chart(
            themes, _("Most frequent themes, share of written answers"), rtl
        ),
    }


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes (Noto fonts for Chinese and Arabic from the system)."""
    import weasyprint

    from engagement.exports.pdf_fetcher import RefusingFetcher

    html = _render(report)
    document = weasyprint.HTML(string=html, url_fetcher=RefusingFetcher())
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=report_css())])
