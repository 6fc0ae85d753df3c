"""Aggregated summary exports: the summary module's tables, small groups suppressed."""

import csv
import io

import openpyxl
import sqlalchemy as sa

from engagement.exports import summary
from engagement.extensions import db
from engagement.models import Answer, AuditLog, QuoteState
from engagement.summary import SummaryFilters, build_summary, display
from engagement.themes import review
from engagement.themes.codebook import get_codebook
from tests.exports.conftest import add_response, sign_in
from tests.factories import group, make_engagement

PARENT_TEXT = "Please send school news by text message, e-mail is too late for us."
STUDENT_TEXT = "The bus is always late and nobody tells us."


def small_group_survey():
    """Nine parents and three students: the students are a group of fewer than five."""
    engagement = make_engagement(slug="sepac-survey", council=group("sepac"))
    for _ in range(9):
        add_response(engagement, "en", PARENT_TEXT, ["evening"])
    for _ in range(3):
        add_response(engagement, "en", STUDENT_TEXT, ["childcare"], groups=("student",))
    return engagement


def row_for(table, key):
    return next(row for row in table.rows if row[0] == key)


def test_tables_come_from_the_summary_with_suppression(seeded):
    engagement = small_group_survey()
    tables = {t.key: t for t in summary.summary_tables(engagement)}
    assert {"overview", "by_group", "themes", "quotes"} <= set(tables)
    students = row_for(tables["by_group"], "student")
    expected = build_summary(SummaryFilters(engagement_ids=(engagement.id,)))
    cell = next(
        c
        for b in expected.breakdowns
        if b.dimension == "group"
        for c in b.cells
        if c.key == "student"
    )
    assert cell.suppressed
    # The number and share stay empty; the flag column says why.
    assert students[2:5] == ["", "", display(cell)]
    assert 3 not in students and "3" not in students
    assert row_for(tables["overview"], "responses")[2] == 12


def read_sections(data: bytes) -> dict[str, list[list[str]]]:
    sections, current = {}, None
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def test_csv_one_file_with_sections_and_no_small_number(seeded):
    engagement = small_group_survey()
    tables = summary.summary_tables(engagement)
    out = io.BytesIO()
    summary.write_csv(tables, out)
    data = out.getvalue()
    assert data.startswith("\ufeff".encode())
    sections = read_sections(data)
    assert list(sections) == [t.title for t in tables]
    by_group = next(
        rows
        for title, rows in sections.items()
        if title == next(t.title for t in tables if t.key == "by_group")
    )
    student = next(row for row in by_group[1:] if row[0] == "student")
    assert "3" not in student and student[2:5] == ["", "", "fewer than 5"]


def test_xlsx_one_sheet_per_table_frozen_header_widths(seeded):
    engagement = small_group_survey()
    tables = summary.summary_tables(engagement)
    out = io.BytesIO()
    summary.write_xlsx(tables, out)
    out.seek(0)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [t.key for t in tables]
    sheet = book["by_group"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 40
    student = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "student")
    assert 3 not in student and student[2:5] == (None, None, "fewer than 5")


def test_council_lead_exports_own_council_summary(client, lead):
    small_group_survey()
    sign_in(client, lead.email)
    response = client.post(
        "/staff/exports/summary", data={"engagement": "sepac-survey", "format": "xlsx"}
    )
    with response:
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert "by_group" in book.sheetnames
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "export.summary"))
    assert (log.user_id, log.target, log.details["format"]) == (lead.id, "sepac-survey", "xlsx")
    assert log.row_count == sum(sheet.max_row - 1 for sheet in book.worksheets)


def test_cli_summary_export(runner, seeded, tmp_path):
    small_group_survey()
    out = tmp_path / "summary.csv"
    result = runner.invoke(args=["export", "summary", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Overview" in out.read_text(encoding="utf-8-sig")
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "export.summary"))
    assert log.actor == "cli" and log.details == {"format": "csv", "lang": "en"}


SPANISH_TEXT = "Por favor manden las noticias de la escuela por mensaje de texto."
NUMBER_HEADERS = {
    "Number",
    "Share (%)",
    "Responses",
    "Mean sentiment",
    "Answers with sentiment",
    "Change (points)",
    "All (%)",
    "Focus subgroups (%)",
    "Not English (%)",
    "English (%)",
}


def approve_all_comments():
    answers = db.session.scalars(sa.select(Answer).where(Answer.text.is_not(None))).all()
    review.set_quote_state(list(answers), QuoteState.APPROVED)


def test_number_columns_hold_numbers_only(seeded):
    engagement = small_group_survey()
    for _ in range(3):
        add_response(engagement, "es", SPANISH_TEXT, ["evening"])
    tables = summary.summary_tables(engagement)
    checked = 0
    for table in tables:
        for col, header in enumerate(table.headers):
            if header not in NUMBER_HEADERS:
                continue
            for row in table.rows:
                value = row[col]
                assert value == "" or isinstance(value, int | float), (table.key, header, value)
                if header in ("Number", "Responses") and value != "":
                    assert isinstance(value, int), (table.key, header, value)
                checked += 1
    assert checked > 50
    out = io.BytesIO()
    summary.write_xlsx(tables, out)
    out.seek(0)
    sheet = openpyxl.load_workbook(out)["by_group"]
    numbers = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert 12 in numbers and all(value is None or type(value) is int for value in numbers)


def test_equity_says_what_the_other_tables_say_for_a_small_group(seeded):
    engagement = small_group_survey()
    for _ in range(3):
        add_response(engagement, "es", SPANISH_TEXT, ["evening"])
    tables = {t.key: t for t in summary.summary_tables(engagement)}
    expected = build_summary(SummaryFilters(engagement_ids=(engagement.id,)))
    fewer = row_for(tables["by_group"], "student")[4]
    assert fewer == "fewer than 5"
    equity = tables["equity"]
    hidden = 0
    for row in expected.equity:
        exported = row_for(equity, row.code)
        for offset, cell in enumerate([row.all, row.focus, row.non_english, row.english]):
            share, flag = exported[2 + 2 * offset], exported[3 + 2 * offset]
            if cell.suppressed:
                hidden += 1
                assert (share, flag) == ("", fewer), (row.code, offset)
            else:
                assert flag == ""
                assert share == ("" if cell.share is None else round(cell.share * 100, 1))
    assert hidden, "the three Spanish comments are a small group in the equity view"
    assert equity.headers[3] == "All: not shown"


def test_quotes_sheet_names_theme_and_engagement(seeded):
    first = small_group_survey()
    second = make_engagement(slug="fall-forum", titles={"en": "Fall forum"})
    for _ in range(6):
        add_response(second, "en", PARENT_TEXT, ["evening"])
    approve_all_comments()
    tables = {t.key: t for t in summary.summary_tables(None)}
    quotes = tables["quotes"]
    assert quotes.headers[:4] == [
        "Theme",
        "Engagement",
        "Language",
        "Quote (personal details masked)",
    ]
    assert quotes.rows, "approved comments are quoted"
    codebook = get_codebook().themes
    labels = {theme.label_for("en") for theme in codebook.values()}
    assert {row[0] for row in quotes.rows} <= labels
    assert not {row[0] for row in quotes.rows} & set(codebook)
    assert {row[1] for row in quotes.rows} <= {first.title("en"), "Fall forum"}
    assert {row[2] for row in quotes.rows} == {"en"}
    one = {t.key: t for t in summary.summary_tables(second)}["quotes"]
    assert one.rows and {row[1] for row in one.rows} == {"Fall forum"}
