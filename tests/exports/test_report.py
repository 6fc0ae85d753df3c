"""The Commitment 4 evidence report: data, HTML in every language, PDF, CLI and web."""

import io
from datetime import timedelta

import pypdf
import pytest
import sqlalchemy as sa

from engagement.exports import render, report
from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    Answer,
    AuditLog,
    Event,
    EventAttendance,
    LoopAction,
    LoopActionText,
    QuoteState,
    RaceEthnicity,
    utcnow,
)
from engagement.summary import SummaryFilters, build_summary
from tests.exports.conftest import CHINESE, add_response, sign_in
from tests.factories import group, make_engagement
from tests.system_deps import require_pdf

ENGLISH = "Please send school news by text message, the e-mail comes too late."
SECTIONS = [
    "Executive summary",
    "1. Engagement held",
    "2. Languages offered and used",
    "3. Who took part",
    "4. What families told us",
    "5. You said, we did",
    "6. Progress against the district's targets",
    "7. Compared with the previous period",
]


@pytest.fixture
def period(app):
    today = report.district_today()
    return today - timedelta(days=60), today + timedelta(days=1)


def approve_all_comments():
    """Staff approve every written comment as a quote (the report quotes approved ones only)."""
    db.session.execute(
        sa.update(Answer).where(Answer.text.is_not(None)).values(quote_state=QuoteState.APPROVED)
    )
    db.session.commit()


@pytest.fixture
def dataset(seeded):
    """A survey answered by ten families in Chinese and ten in English (the report's group
    size is 10), a forum with two meetings, one action; every comment approved as a quote."""
    survey = make_engagement(
        slug="family-survey",
        titles={"en": "Family survey", "zh_Hans": "家庭调查", "es": "Encuesta", "ar": "استطلاع"},
    )
    when = utcnow() - timedelta(days=2)
    for _ in range(10):
        add_response(
            survey, "zh_Hans", CHINESE, ["interpreter"], when=when, race=RaceEthnicity.ASIAN
        )
    for index in range(10):
        race = RaceEthnicity.BLACK if index < 5 else RaceEthnicity.HISPANIC_LATINX
        add_response(survey, "en", ENGLISH, ["evening"], when=when, race=race)
    forum = make_engagement(
        slug="fall-forum", kind="forum", titles={"en": "Fall forum"}, questions=[]
    )
    for days in (10, 20):
        event = Event(
            engagement_id=forum.id,
            held_on=report.district_today() - timedelta(days),
            attendance=25,
            languages=["es", "zh_Hans"],
        )
        event.attendance_by_group.append(
            EventAttendance(group_id=group("parent_guardian").id, count=25)
        )
        db.session.add(event)
    action = LoopAction(
        engagement_id=survey.id, theme_code="language_access", status=ActionStatus.DONE
    )
    action.texts.append(
        LoopActionText(
            locale="en",
            heard="Send notices in Chinese.",
            did="All notices now go out in six languages.",
        )
    )
    action.texts.append(
        LoopActionText(locale="zh_Hans", heard="用中文发送通知。", did="所有通知现在都有六种语言。")
    )
    db.session.add(action)
    db.session.commit()
    approve_all_comments()
    return survey


def test_report_data(dataset, period):
    data = report.build_report(*period)
    assert data.response_count == 20 and data.min_group_size == 10
    kinds = {row.kind: row for row in data.kinds}
    assert kinds["forum"].events == 2 and kinds["forum"].engagements == 1
    assert kinds["survey"].events is None and kinds["survey"].responses.n == 20
    languages = {row.locale: row for row in data.languages}
    assert languages["zh_Hans"].offered == 1 and languages["zh_Hans"].interpreted == 2
    assert languages["pt_BR"].offered == 0
    assert data.actions[0].did.text == "All notices now go out in six languages."
    targets = {row.code: row for row in data.targets}
    assert targets["languages_offered"].actual == 1.0  # only English covers both engagements
    assert targets["languages_offered"].met is False
    # The two forums were district-wide: they count for no school ("Met, 6 of 6" was wrong).
    assert targets["forums_per_school"].actual == 0.0
    assert targets["forums_per_school"].met is False
    assert "0 of 6 schools" in targets["forums_per_school"].detail
    assert "not counted for any school: 2" in targets["forums_per_school"].detail


SPANISH = "Necesitamos saber antes cuándo cambian los horarios del autobús escolar."


def test_report_uses_dese_group_size_not_the_workspace_one(app, dataset, period):
    """Six Spanish-speaking families: shown inside the workspace (k = 5), but "fewer than 10"
    in the report, and their (approved) comment is not quoted beside that hidden count."""
    when = utcnow() - timedelta(days=2)
    for _ in range(6):
        add_response(dataset, "es", SPANISH, ["evening"], when=when)
    approve_all_comments()
    with app.test_request_context("/"):
        data = report.build_report(*period)
        page = render.render_html(data, standalone=True)
        workspace = build_summary(SummaryFilters(date_from=period[0], date_to=period[1]))
    assert data.min_group_size == 10 and workspace.min_group_size == 5
    spanish = {row.locale: row for row in data.languages}["es"].responses
    assert spanish.suppressed and spanish.n is None
    language = next(b for b in workspace.breakdowns if b.dimension == "language")
    assert next(c for c in language.cells if c.key == "es").n == 6
    assert SPANISH not in page and CHINESE in page
    assert "fewer than 10" in page and "fewer than 5" not in page


def test_report_quotes_approved_comments_only(app, dataset, period):
    db.session.execute(
        sa.update(Answer).where(Answer.text == ENGLISH).values(quote_state=QuoteState.PENDING)
    )
    db.session.execute(
        sa.update(Answer).where(Answer.text == CHINESE).values(quote_state=QuoteState.REJECTED)
    )
    db.session.commit()
    with app.test_request_context("/"):
        page = render.render_html(report.build_report(*period), standalone=True)
    assert ENGLISH not in page and CHINESE not in page
    assert "Communication" in page  # the themes are still reported, without quotes


def test_html_in_arabic_is_right_to_left(app, dataset, period):
    with app.test_request_context("/?lang=ar"):
        page = render.render_html(report.build_report(*period), standalone=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "<style>" in page and "@page" in page
    assert CHINESE in page and 'lang="zh-Hans"' in page


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_pdf_summary_page_first_then_sections_flow(app, dataset, period):
    require_pdf()
    with app.test_request_context("/"):
        pdf = render.render_pdf(report.build_report(*period))
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    pages = pdf_pages(pdf)
    # The cover and the executive summary alone on page 1; the sections then flow on
    # (they took one page each, 6 pages, several half empty).
    assert "Commitment 4" in pages[0] and "Executive summary" in pages[0]
    assert "1. Engagement held" not in pages[0] and "1. Engagement held" in pages[1]
    assert len(pages) < len(SECTIONS)
    text = "\n".join(pages)
    positions = [text.index(title) for title in SECTIONS]
    assert positions == sorted(positions)
    assert CHINESE.rstrip("。") in text.replace("\n", "")
    assert "For staff" not in text and "must be checked" not in text


def test_cli_report_pdf_in_chinese_is_audited(runner, dataset, period, tmp_path):
    require_pdf()
    out = tmp_path / "report.pdf"
    start, end = (d.isoformat() for d in period)
    result = runner.invoke(
        args=[
            "export",
            "report",
            "--format",
            "pdf",
            "--output",
            str(out),
            "--from",
            start,
            "--to",
            end,
            "--lang",
            "zh_Hans",
        ]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    log = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "export.report"))
    assert log.actor == "cli" and log.row_count == 20
    assert log.details == {"format": "pdf", "from": start, "to": end, "lang": "zh_Hans"}


def test_cli_rejects_a_backwards_range(runner, seeded, tmp_path):
    result = runner.invoke(
        args=[
            "export",
            "report",
            "--format",
            "html",
            "--output",
            str(tmp_path / "r.html"),
            "--from",
            "2025-05-01",
            "--to",
            "2025-01-01",
        ]
    )
    assert result.exit_code != 0 and "start date" in result.output


def test_web_report_page_and_pdf(client, dataset, period, admin):
    require_pdf()
    sign_in(client, admin.email)
    start, end = (d.isoformat() for d in period)
    page = client.get(f"/staff/exports/report?start={start}&end={end}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<style>" not in html and "/staff/exports/report.css" in html
    # The caveat is for staff, on this page only.
    assert "For staff: not printed or exported" in html and "., " not in html
    assert "format=pdf" in html
    css = client.get("/staff/exports/report.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    pdf = client.get(f"/staff/exports/report?start={start}&end={end}&format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.get_data().startswith(b"%PDF")
    actions = db.session.scalars(
        sa.select(AuditLog.details).where(AuditLog.action == "export.report")
    ).all()
    assert [d["format"] for d in actions] == ["html", "pdf"]


def test_web_report_rejects_backwards_dates(client, seeded, admin):
    sign_in(client, admin.email)
    page = client.get("/staff/exports/report?start=2025-05-01&end=2025-01-01")
    assert page.status_code == 400
    assert "The start date must be on or before the end date." in page.get_data(as_text=True)
