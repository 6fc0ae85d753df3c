"""Aggregated summary exports: the summary module's tables, small groups suppressed."""

import csv
import io

import openpyxl
import sqlalchemy as sa

from engagement.exports import summary
from engagement.extensions import db
from engagement.models import AuditLog
from engagement.summary import SummaryFilters, build_summary, display
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
    assert students[2] == display(cell) and students[3] == ""
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
    assert "3" not in student and "fewer than" in student[2]


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
    assert 3 not in student and "fewer than" in student[2]


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
