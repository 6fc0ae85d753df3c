"""Export downloads in the staff workspace: roles, scope, streaming and the audit log."""

import csv
import io

import openpyxl
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import AuditLog
from tests.exports.conftest import CHINESE, sign_in
from tests.factories import group, make_engagement


def export_rows():
    return db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action.like("export.%")).order_by(AuditLog.id)
    ).all()


def test_admin_csv_download_is_streamed_and_audited(client, survey, admin):
    sign_in(client, admin.email)
    response = client.post(
        "/staff/exports/responses", data={"engagement": "sepac-survey", "format": "csv"}
    )
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="responses-')
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 5 and CHINESE in {row["comments"] for row in rows}
    assert "contact_email" not in rows[0]
    [log] = export_rows()
    assert (log.action, log.user_id, log.actor, log.row_count) == (
        "export.responses",
        admin.id,
        admin.email,
        5,
    )
    assert log.details == {"format": "csv", "engagement": "sepac-survey", "include_contacts": False}


def test_admin_xlsx_with_contacts_checkbox(client, survey, admin):
    sign_in(client, admin.email)
    with client.post(
        "/staff/exports/responses", data={"format": "xlsx", "include_contacts": "y"}
    ) as response:  # closing the response closes its temporary file, as a WSGI server does
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    header = [cell.value for cell in book["responses"][1]]
    assert "contact_email" in header and book["responses"].max_row == 6
    assert [r.action for r in export_rows()] == ["export.responses_with_contacts"]


def test_only_admins_export_raw_responses(client, survey, staff, lead):
    for user in (staff, lead):
        sign_in(client, user.email)
        response = client.post("/staff/exports/responses", data={"format": "csv"})
        assert response.status_code == 403, user.role
        client.post("/staff/logout")
    assert export_rows() == []


def test_council_lead_cannot_export_another_councils_summary(client, survey, lead):
    make_engagement(slug="elpac-survey", council=group("elpac"))
    sign_in(client, lead.email)
    response = client.post(
        "/staff/exports/summary", data={"engagement": "elpac-survey", "format": "csv"}
    )
    assert response.status_code == 404
    assert client.get("/staff/engagements/elpac-survey/exports").status_code == 404
    assert client.get("/staff/exports?engagement=elpac-survey").status_code == 404
    assert export_rows() == []


def test_export_page_shows_what_each_role_may_do(client, survey, admin, lead):
    sign_in(client, lead.email)
    page = client.get("/staff/engagements/sepac-survey/exports").get_data(as_text=True)
    assert "/staff/exports/summary" in page
    assert "/staff/exports/responses" not in page and "/staff/exports/report" not in page
    assert client.get("/staff/exports/report").status_code == 403
    client.post("/staff/logout")
    sign_in(client, admin.email)
    page = client.get("/staff/exports").get_data(as_text=True)
    assert "/staff/exports/responses" in page and "/staff/exports/report" in page


def test_invalid_export_form_shows_the_page_again(client, survey, admin):
    sign_in(client, admin.email)
    response = client.post("/staff/exports/responses", data={"format": "pdf"})
    assert response.status_code == 200
    assert "Please correct the following" in response.get_data(as_text=True)
    assert export_rows() == []
