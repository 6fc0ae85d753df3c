"""The aggregated summary as CSV (one file, one section per table) and XLSX (one sheet per
table). Everything comes from engagement.summary, already protected: a suppressed cell has no
number here, so no export can leak a small group.

Number columns hold numbers only (integers stay integers), so that a spreadsheet can add them
up. A cell that is not shown leaves its number and share empty, and the flag column beside
them says why, in the same words in every table: "fewer than 5" (suppressed) or "not
available". The equity view has one flag column per share.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
import xlsxwriter

from engagement.exports.safe import neutralise, neutralise_row
from engagement.extensions import db
from engagement.i18n import _, _l, localized
from engagement.models import Answer, Engagement, Response
from engagement.summary import Cell, Summary, SummaryFilters, build_summary, display
from engagement.summary.model import Quote, ThemeSummary


@dataclass
class Table:
    """One exported table: `key` names the XLSX sheet, `title` heads the CSV section."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)


def count_value(cell: Cell | None):
    """The number of a shown cell, else "" (the flag column says why: `flag_value`)."""
    if cell is None or cell.suppressed or cell.n is None:
        return ""
    return cell.n


def flag_value(cell: Cell | None) -> str:
    """Why a cell's number is not shown: "fewer than K" when suppressed, "not available"
    when there is no figure; "" for a shown cell."""
    if cell is not None and not cell.suppressed and cell.n is not None:
        return ""
    return display(cell)


def shown_share_flag(cell: Cell | None) -> str:
    """The flag of a share-only cell (the equity view): "fewer than K" when suppressed,
    "" otherwise (a share without a base is simply empty, as on the summary page)."""
    return display(cell) if cell is not None and cell.suppressed else ""


def share_value(cell: Cell | None):
    """A share as a percentage with one decimal, "" when suppressed or without a base."""
    if cell is None or cell.suppressed or cell.share is None:
        return ""
    return round(cell.share * 100, 1)


def summary_filters(engagement=None, council_scope=None, **filters) -> SummaryFilters:
    """Filters for one engagement (or all), limited to a council lead's councils if given."""
    ids = (engagement.id,) if engagement is not None else None
    scope = frozenset(council_scope) if council_scope is not None else None
    return SummaryFilters(engagement_ids=ids, council_scope=scope, **filters)


def summary_tables(engagement=None, council_scope=None) -> list[Table]:
    """The summary of `engagement` (or of everything in scope) as export tables (staff's:
    English renderings name who wrote them)."""
    return tables_from(
        build_summary(summary_filters(engagement, council_scope)), translator_names=True
    )


def tables_from(summary: Summary, translator_names: bool = False) -> list[Table]:
    """Overview, participation breakdowns, closed questions, themes, quotes and equity.
    `translator_names`: name the staff account behind each English rendering (staff's own
    exports); otherwise it reads "District staff", as in the published report."""
    tables = [_overview(summary)]
    for breakdown in summary.breakdowns:
        tables.append(_cells_table(f"by_{breakdown.dimension}", breakdown.title, breakdown.cells))
        if breakdown.attendance:
            title = _("People at events by group")
            tables.append(_cells_table("event_attendance", title, breakdown.attendance))
    if summary.questions:
        tables.append(_questions(summary))
    tables.append(_themes(summary))
    tables.append(_quotes(summary, translator_names))
    if summary.equity:
        tables.append(_equity(summary))
    return tables


def _suppressed_header() -> str:
    return _("Not shown")


def _count_headers():
    return [_("Code"), _("Label"), _("Number"), _("Share (%)"), _suppressed_header()]


def _counted(cell: Cell) -> list:
    """Number, share and flag of one cell."""
    return [count_value(cell), share_value(cell), flag_value(cell)]


def _overview(summary: Summary) -> Table:
    table = Table("overview", _("Overview"), _count_headers(), widths=[16, 40, 14, 12, 18])
    for cell in (summary.responses, summary.written, summary.attendance, summary.participants):
        table.rows.append([cell.key, cell.label, *_counted(cell)])
    return table


def _cells_table(key: str, title: str, cells: list[Cell]) -> Table:
    table = Table(key[:31], title, _count_headers(), widths=[24, 48, 14, 12, 18])
    for cell in cells:
        table.rows.append([cell.key, cell.label, *_counted(cell)])
    return table


def _questions(summary: Summary) -> Table:
    headers = [
        _("Question"),
        _("Question text"),
        _("Answer"),
        _("Label"),
        _("Number"),
        _("Share (%)"),
        _suppressed_header(),
    ]
    widths = [18, 48, 14, 32, 14, 12, 18]
    table = Table("questions", _("Closed questions"), headers, widths=widths)
    for question in summary.questions:
        cells = [question.answered, *question.options]
        if question.agree is not None:
            cells.append(question.agree)
        for cell in cells:
            table.rows.append([question.code, question.text, cell.key, cell.label, *_counted(cell)])
    return table


def _themes(summary: Summary) -> Table:
    headers = [
        _("Theme"),
        _("Label"),
        _("Responses"),
        _("Share (%)"),
        _suppressed_header(),
        _("Mean sentiment"),
        _("Answers with sentiment"),
        _("Change (points)"),
    ]
    table = Table("themes", _("Themes"), headers, widths=[22, 36, 14, 12, 18, 16, 18, 16])
    for theme in summary.themes:
        sentiment = "" if theme.sentiment is None else round(theme.sentiment, 2)
        change = "" if theme.change is None else round(theme.change, 1)
        table.rows.append(
            [
                theme.code,
                theme.label,
                *_counted(theme.count),
                sentiment,
                "" if theme.sentiment_n is None else theme.sentiment_n,
                change,
            ]
        )
    return table


@dataclass
class QuoteContext:
    """What the quote columns look up beyond the summary: each quote's engagement title."""

    engagements: dict[int, str] = field(default_factory=dict)  # answer id -> title
    # Staff exports name who wrote an English rendering; council leads' say "District staff".
    translator_names: bool = False


@dataclass(frozen=True)
class QuoteColumn:
    """One column of the quotes sheet: its header, width and value for a theme's quote."""

    header: object  # a lazy string, translated when the table is built
    width: int
    value: Callable[[ThemeSummary, Quote, QuoteContext], object]


# The quotes sheet, column by column; a new column is one more entry here (and, if it needs
# data the summary does not carry, one more lookup in `_quote_context`).
QUOTE_COLUMNS = [
    QuoteColumn(_l("Theme"), 28, lambda theme, quote, context: theme.label),
    QuoteColumn(
        _l("Engagement"),
        36,
        lambda theme, quote, context: context.engagements.get(quote.answer_id, ""),
    ),
    QuoteColumn(_l("Language"), 10, lambda theme, quote, context: quote.lang),
    QuoteColumn(
        _l("Quote (personal details masked)"), 100, lambda theme, quote, context: quote.text
    ),
    QuoteColumn(_l("English rendering"), 100, lambda theme, quote, context: quote.english or ""),
    QuoteColumn(
        _l("Translated by"),
        24,
        lambda theme, quote, context: (
            ((context.translator_names and quote.english_by) or _("District staff"))
            if quote.english
            else ""
        ),
    ),
]


def _quote_context(summary: Summary) -> QuoteContext:
    """The engagement of every quote, read in one query (a summary may span engagements)."""
    ids = [quote.answer_id for theme in summary.themes for quote in theme.quotes]
    context = QuoteContext()
    if not ids:
        return context
    owners = dict(
        db.session.execute(
            sa.select(Answer.id, Response.engagement_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Answer.id.in_(ids))
        ).all()
    )
    engagements = db.session.scalars(
        sa.select(Engagement).where(Engagement.id.in_(set(owners.values())))
    )
    titles = {e.id: localized(e, "title").text or e.slug for e in engagements}
    context.engagements = {answer: titles[owner] for answer, owner in owners.items()}
    return context


def _quotes(summary: Summary, translator_names: bool) -> Table:
    headers = [str(column.header) for column in QUOTE_COLUMNS]
    widths = [column.width for column in QUOTE_COLUMNS]
    table = Table("quotes", _("Representative quotes"), headers, widths=widths)
    context = _quote_context(summary)
    context.translator_names = translator_names
    for theme in summary.themes:
        for quote in theme.quotes:
            table.rows.append([column.value(theme, quote, context) for column in QUOTE_COLUMNS])
    return table


def _equity(summary: Summary) -> Table:
    headers = [
        _("Theme"),
        _("Label"),
        _("All (%)"),
        _("All: not shown"),
        _("Focus subgroups (%)"),
        _("Focus subgroups: not shown"),
        _("Not English (%)"),
        _("Not English: not shown"),
        _("English (%)"),
        _("English: not shown"),
    ]
    widths = [22, 36] + [14, 18] * 4
    table = Table("equity", _("Equity view"), headers, widths=widths)
    for row in summary.equity:
        cells = [row.all, row.focus, row.non_english, row.english]
        values = [row.code, row.label]
        for cell in cells:
            values += [share_value(cell), shown_share_flag(cell)]
        table.rows.append(values)
    return table


def write_csv(tables: list[Table], out) -> None:
    """One UTF-8 CSV (with BOM) to the binary file `out`: a titled section per table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([neutralise(table.title)])
        writer.writerow(neutralise_row(table.headers))
        writer.writerows(neutralise_row(row) for row in table.rows)
    out.write(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_xlsx(tables: list[Table], out) -> None:
    """An XLSX to `out`: one sheet per table, frozen bold header row, column widths set."""
    workbook = xlsxwriter.Workbook(
        out, {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for table in tables:
        sheet = workbook.add_worksheet(table.key[:31])
        sheet.freeze_panes(1, 0)
        for col, width in enumerate(table.widths):
            sheet.set_column(col, col, width, wrap)
        sheet.write_row(0, 0, neutralise_row(table.headers), bold)
        for row_number, row in enumerate(table.rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue  # an empty cell, not an empty text: number columns stay numeric
                if isinstance(value, str):
                    sheet.write_string(row_number, col, neutralise(value))
                else:
                    sheet.write_number(row_number, col, value)
    workbook.close()
