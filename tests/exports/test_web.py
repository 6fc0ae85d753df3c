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


def test_staff_export_raw_responses_without_contacts(client, survey, staff):
    sign_in(client, staff.email)
    page = client.get("/staff/exports").get_data(as_text=True)
    assert "/staff/exports/responses" in page and "/staff/exports/dictionary" in page
    assert "include_contacts" not in page
    response = client.post(
        "/staff/exports/responses", data={"engagement": "sepac-survey", "format": "csv"}
    )
    assert response.status_code == 200 and response.is_streamed
    name = response.headers["Content-Disposition"]
    assert name.startswith('attachment; filename="responses-sepac-survey-')
    data = response.get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 5 and "contact_email" not in rows[0] and "marie@" not in data
    [log] = export_rows()
    assert (log.action, log.user_id, log.row_count) == ("export.responses", staff.id, 5)


def test_contacts_stay_with_admins(client, survey, staff):
    sign_in(client, staff.email)
    for fmt in ("csv", "xlsx"):
        response = client.post(
            "/staff/exports/responses", data={"format": fmt, "include_contacts": "y"}
        )
        assert response.status_code == 403
    assert export_rows() == []


def test_council_leads_export_no_raw_responses(client, survey, lead):
    sign_in(client, lead.email)
    for url in ("/staff/exports/responses", "/staff/exports/dictionary"):
        assert client.post(url, data={"format": "csv"}).status_code == 403
    page = client.get("/staff/exports").get_data(as_text=True)
    assert "/staff/exports/responses" not in page and "/staff/exports/dictionary" not in page
    assert export_rows() == []


def test_contact_export_has_its_own_file_name(client, survey, admin):
    sign_in(client, admin.email)
    names = []
    for contacts in (False, True):
        data = {"engagement": "sepac-survey", "format": "csv"}
        if contacts:
            data["include_contacts"] = "y"
        response = client.post("/staff/exports/responses", data=data)
        names.append(response.headers["Content-Disposition"])
        response.get_data()
    plain, with_contacts = names
    assert plain.startswith('attachment; filename="responses-sepac-survey-')
    assert with_contacts.startswith('attachment; filename="responses-with-contacts-sepac-survey-')
    assert [r.action for r in export_rows()] == [
        "export.responses",
        "export.responses_with_contacts",
    ]


def test_staff_download_the_data_dictionary(client, survey, staff):
    sign_in(client, staff.email)
    with client.post(
        "/staff/exports/dictionary", data={"engagement": "sepac-survey", "format": "csv"}
    ) as response:
        assert response.status_code == 200 and response.mimetype == "text/csv"
        disposition = response.headers["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert "data-dictionary-sepac-survey-" in disposition
    assert any(row["question"] == "comments" and row["text_es"] == "¿Algo más?" for row in rows)
    [log] = export_rows()
    assert (log.action, log.user_id, log.row_count, log.target) == (
        "export.dictionary",
        staff.id,
        len(rows),
        "sepac-survey",
    )
    assert log.details == {"format": "csv", "engagement": "sepac-survey"}


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
    assert 'name="include_contacts"' in page  # the contacts checkbox: administrators only


def test_invalid_export_form_shows_the_page_again(client, survey, admin):
    sign_in(client, admin.email)
    response = client.post("/staff/exports/responses", data={"format": "pdf"})
    assert response.status_code == 200
    assert "Please correct the following" in response.get_data(as_text=True)
    assert export_rows() == []
