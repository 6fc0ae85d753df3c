"""Raw response exports: columns, rows, non-Latin round trip, formulas, contacts, audit."""

import csv
import io
from datetime import datetime

import openpyxl
import sqlalchemy as sa

from engagement.exports import responses
from engagement.exports.responses import (
    BASE_COLUMNS,
    CONTACT_COLUMNS,
    REVIEWER_COLUMNS,
    THEME_PREFIX,
)
from engagement.extensions import db
from engagement.models import AuditLog
from engagement.themes.codebook import get_codebook
from tests.exports.conftest import ARABIC, CHINESE, CREOLE, FORMULA
from tests.factories import make_engagement

QUESTION_COLUMNS = [
    "informed",
    "news",
    "help__childcare",
    "help__interpreter",
    "help__evening",
    "rating",
    "comments",
]


def theme_columns():
    return [THEME_PREFIX + code for code in get_codebook().themes] + REVIEWER_COLUMNS


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith("\ufeff".encode()), "CSV starts with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def export_csv(engagement=None, include_contacts=False) -> bytes:
    plan = responses.build_plan(engagement, include_contacts=include_contacts)
    out = io.BytesIO()
    responses.write_csv(plan, out)
    return out.getvalue()


def export_xlsx(engagement=None, include_contacts=False):
    plan = responses.build_plan(engagement, include_contacts=include_contacts)
    out = io.BytesIO()
    responses.write_xlsx(plan, out)
    out.seek(0)
    return openpyxl.load_workbook(out, read_only=False)


def test_csv_headers_rows_and_values(survey):
    data = export_csv(survey)
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == BASE_COLUMNS + ["demo", "voided"] + QUESTION_COLUMNS + theme_columns()
    rows = read_csv(data)
    assert len(rows) == 5
    by_locale = {row["locale"]: row for row in rows}
    zh = by_locale["zh_Hans"]
    assert zh["engagement"] == "sepac-survey"
    assert zh["comments"] == CHINESE
    assert (zh["help__childcare"], zh["help__interpreter"], zh["help__evening"]) == ("0", "1", "0")
    assert zh["informed"] == "4" and zh["news"] == "email" and zh["rating"] == "5"
    assert zh["race_ethnicity"] == "asian"
    assert zh["stakeholder_groups"] == "parent_guardian"
    assert zh["channel"] == "web"
    # 18:05 UTC on 3 October 2024 is 14:05 in Belmont (EDT, UTC-4).
    assert zh["submitted_at"] == "2024-10-03 14:05:00-04:00"
    assert by_locale["ar"]["comments"] == ARABIC
    assert by_locale["ht"]["comments"] == CREOLE
    # Not answered at all: the option columns stay empty, not 0.
    assert by_locale["es"]["help__childcare"] == "" and by_locale["es"]["comments"] == ""


def test_formula_text_is_neutralised_in_csv_and_xlsx(survey):
    rows = read_csv(export_csv(survey))
    assert {row["comments"] for row in rows if row["locale"] == "en"} == {"'" + FORMULA}
    sheet = export_xlsx(survey)["responses"]
    column = [cell.value for cell in sheet[1]].index("comments") + 1
    cells = sheet.iter_rows(min_col=column, max_col=column, values_only=True)
    texts = [value for (value,) in cells if value]
    assert "'" + FORMULA in texts
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in texts)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_round_trip_non_latin_with_frozen_header(survey):
    book = export_xlsx(survey)
    sheet = book["responses"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == BASE_COLUMNS + ["demo", "voided"] + QUESTION_COLUMNS + theme_columns()
    assert sheet.max_row == 1 + 5
    values = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert {CHINESE, ARABIC, CREOLE} <= values
    when = sheet.cell(row=2, column=3).value
    assert isinstance(when, datetime) and when == datetime(2024, 10, 3, 14, 5)


def test_contacts_only_when_asked(survey):
    plain = export_csv(survey)
    assert b"marie@example.org" not in plain and b"contact_email" not in plain
    rows = read_csv(export_csv(survey, include_contacts=True))
    assert list(rows[0])[-4:] == CONTACT_COLUMNS
    assert [row["contact_email"] for row in rows if row["locale"] == "ht"] == ["marie@example.org"]
    assert all(row["contact_email"] == "" for row in rows if row["locale"] != "ht")


def test_all_engagements_prefix_question_columns(survey):
    other = make_engagement(slug="other-survey")
    data = export_csv(None)
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert "sepac-survey.comments" in header and "other-survey.help__evening" in header
    assert len(read_csv(data)) == 5
    assert responses.count_responses(responses.build_plan(other)) == 0


def test_database_pivot_and_python_fill_give_the_same_file(survey, monkeypatch):
    # Answers become cells in SQL (one CASE per column) unless an export has more than
    # PIVOT_MAX_COLUMNS question columns; both ways must write the very same bytes. Another
    # engagement's responses interleave by id, and some answer only part of the questions.
    from tests.exports.conftest import add_response

    other = make_engagement(slug="other-survey")
    add_response(other, locale="es", text="Otra respuesta", choices=["evening"])
    add_response(survey, locale="pt_BR", choices=None, text=None)
    add_response(other, locale="ar", text=ARABIC, choices=[])
    for include_contacts in (False, True):
        for engagement in (survey, other, None):
            pivoted = export_csv(engagement, include_contacts)
            monkeypatch.setattr(responses, "PIVOT_MAX_COLUMNS", 0)
            filled = export_csv(engagement, include_contacts)
            monkeypatch.undo()
            assert pivoted == filled
    rows = read_csv(export_csv(None))
    assert len(rows) == 8
    unanswered = next(row for row in rows if row["locale"] == "pt_BR")
    assert unanswered["sepac-survey.help__childcare"] == "" and unanswered["sepac-survey.rating"]
    evening = next(
        row for row in rows if row["locale"] == "es" and row["engagement"] != "sepac-survey"
    )
    assert (evening["other-survey.help__evening"], evening["other-survey.help__childcare"]) == (
        "1",
        "0",
    )
    assert evening["sepac-survey.informed"] == ""


def test_rows_stream_in_batches(survey):
    plan = responses.build_plan(survey)
    batches = list(responses.iter_rows(plan, batch_size=2))
    assert [len(batch) for batch in batches] == [2, 2, 1]


def test_cli_writes_file_with_progress_and_audit(survey, runner, tmp_path):
    out = tmp_path / "responses.xlsx"
    result = runner.invoke(
        args=[
            "export",
            "responses",
            "--format",
            "xlsx",
            "--output",
            str(out),
            "--engagement",
            "sepac-survey",
        ]
    )
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)["responses"].max_row == 6
    log = db.session.scalars(sa.select(AuditLog).where(AuditLog.action.like("export.%"))).all()
    assert [(r.action, r.actor, r.row_count, r.target) for r in log] == [
        ("export.responses", "cli", 5, "sepac-survey")
    ]
    assert log[0].details == {
        "format": "xlsx",
        "engagement": "sepac-survey",
        "include_contacts": False,
    }


def test_cli_contacts_are_audited_as_such(survey, runner, tmp_path):
    out = tmp_path / "r.csv"
    result = runner.invoke(
        args=["export", "responses", "--format", "csv", "--output", str(out), "--include-contacts"]
    )
    assert result.exit_code == 0, result.output
    assert "marie@example.org" in out.read_text(encoding="utf-8-sig")
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action.like("export.%")))
    assert row.action == "export.responses_with_contacts" and row.details["include_contacts"]


def test_cli_unknown_engagement_is_a_clear_error(survey, runner, tmp_path):
    out = tmp_path / "r.csv"
    result = runner.invoke(
        args=["export", "responses", "--format", "csv", "--output", str(out), "--engagement", "x"]
    )
    assert result.exit_code != 0 and "No engagement with the slug 'x'" in result.output
    assert not out.exists()
