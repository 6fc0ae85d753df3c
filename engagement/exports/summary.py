"""The aggregated summary as CSV (one file, one section per table) and XLSX (one sheet per
table). Everything comes from engagement.summary, already protected: a suppressed
cell has no number here, only its "fewer than 5" text, so no export can leak a small group.
"""

import csv
import io
from dataclasses import dataclass, field

import xlsxwriter

from engagement.exports.safe import neutralise, neutralise_row
from engagement.i18n import _
from engagement.summary import Cell, Summary, SummaryFilters, build_summary, display


@dataclass
class Table:
    """One exported table: `key` names the XLSX sheet, `title` heads the CSV section."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)


def count_value(cell: Cell | None):
    """The number of a shown cell, the "fewer than K" text of a suppressed one, else ""."""
    if cell is None:
        return ""
    if cell.suppressed or cell.n is None:
        return display(cell)
    return cell.n


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


def _count_headers():
    return [_("Code"), _("Label"), _("Number"), _("Share (%)")]


def _overview(summary: Summary) -> Table:
    table = Table("overview", _("Overview"), _count_headers(), widths=[16, 40, 14, 12])
    for cell in (summary.responses, summary.written, summary.attendance, summary.participants):
        table.rows.append([cell.key, cell.label, count_value(cell), share_value(cell)])
    return table


def _cells_table(key: str, title: str, cells: list[Cell]) -> Table:
    table = Table(key[:31], title, _count_headers(), widths=[24, 48, 14, 12])
    for cell in cells:
        table.rows.append([cell.key, cell.label, count_value(cell), share_value(cell)])
    return table


def _questions(summary: Summary) -> Table:
    headers = [
        _("Question"),
        _("Question text"),
        _("Answer"),
        _("Label"),
        _("Number"),
        _("Share (%)"),
    ]
    table = Table("questions", _("Closed questions"), headers, widths=[18, 48, 14, 32, 14, 12])
    for question in summary.questions:
        cells = [question.answered, *question.options]
        if question.agree is not None:
            cells.append(question.agree)
        for cell in cells:
            table.rows.append(
                [
                    question.code,
                    question.text,
                    cell.key,
                    cell.label,
                    count_value(cell),
                    share_value(cell),
                ]
            )
    return table


def _themes(summary: Summary) -> Table:
    headers = [
        _("Theme"),
        _("Label"),
        _("Responses"),
        _("Share (%)"),
        _("Mean sentiment"),
        _("Answers with sentiment"),
        _("Change (points)"),
    ]
    table = Table("themes", _("Themes"), headers, widths=[22, 36, 14, 12, 16, 18, 16])
    for theme in summary.themes:
        sentiment = "" if theme.sentiment is None else round(theme.sentiment, 2)
        change = "" if theme.change is None else round(theme.change, 1)
        table.rows.append(
            [
                theme.code,
                theme.label,
                count_value(theme.count),
                share_value(theme.count),
                sentiment,
                "" if theme.sentiment_n is None else theme.sentiment_n,
                change,
            ]
        )
    return table


def _quotes(summary: Summary, translator_names: bool) -> Table:
    headers = [
        _("Theme"),
        _("Language"),
        _("Quote (personal details masked)"),
        _("English rendering"),
        _("Translated by"),
    ]
    table = Table("quotes", _("Representative quotes"), headers, widths=[22, 10, 100, 100, 24])
    for theme in summary.themes:
        for quote in theme.quotes:
            by = ""
            if quote.english:
                by = (translator_names and quote.english_by) or _("District staff")
            table.rows.append([theme.code, quote.lang, quote.text, quote.english or "", by])
    return table


def _equity(summary: Summary) -> Table:
    headers = [
        _("Theme"),
        _("Label"),
        _("All (%)"),
        _("Focus subgroups (%)"),
        _("Not English (%)"),
        _("English (%)"),
    ]
    table = Table("equity", _("Equity view"), headers, widths=[22, 36, 12, 18, 16, 12])
    for row in summary.equity:
        table.rows.append(
            [
                row.code,
                row.label,
                share_value(row.all),
                share_value(row.focus),
                share_value(row.non_english),
                share_value(row.english),
            ]
        )
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
                if isinstance(value, str):
                    sheet.write_string(row_number, col, neutralise(value))
                elif value is not None:
                    sheet.write_number(row_number, col, value)
    workbook.close()
