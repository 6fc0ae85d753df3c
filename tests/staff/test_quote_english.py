"""English beside every quote: staff write an English rendering of a comment quoted in
another language on the review page; it is checked like the quote's masking, audited
without its words, and shown beneath the quote in summaries (staff and council leads),
exports and the report, marked as a translation. The report lists the quotes it prints
that still lack one. Council leads can neither write nor open the page."""

import io
import json
import urllib.error
from datetime import timedelta

import openpyxl
import pypdf
import pytest
import sqlalchemy as sa

from engagement.exports import render, report
from engagement.extensions import db
from engagement.models import AuditLog, QuoteEnglish, Role
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import sign_in
from tests.summary.helpers import add_response
from tests.system_deps import require_pdf

N = 12  # at least the report's group size (10) of Spanish writers among parents


def spanish(i: int) -> str:
    return f"El autobús llega tarde a la parada, llamen al 617-555-01{i:02d} por favor {i}"


def english(i: int) -> str:
    return f"The bus comes late to the stop, please call [phone] {i}"


@pytest.fixture
def answers(seeded):
    """A SEPAC survey: twelve parents wrote in Spanish about the bus, all approved quotes."""
    engagement = make_engagement(slug="sepac-survey", council=group("sepac"))
    return [
        add_response(
            engagement,
            spanish(i),
            ["transportation"],
            lang="es",
            locale="es",
            groups=[group("parent_guardian")],
        )[1]
        for i in range(N)
    ]


@pytest.fixture
def people(seeded):
    lead = make_user("lead@example.org", Role.COUNCIL_LEAD, councils=["sepac"])
    staff = make_user("staff@example.org", Role.STAFF)
    return lead, staff


def switch(client, user):
    client.post("/staff/logout")
    assert sign_in(client, user.email).status_code == 302


def english_url(answer) -> str:
    return f"/staff/summary/sepac-survey/review/{answer.id}/english"


def number(answer) -> int:
    return int(answer.text.rsplit(" ", 1)[1])


def write(client, answer, text=None):
    return client.post(english_url(answer), data={"text": text or english(number(answer))})


def quotes_sheet(client) -> list[tuple]:
    response = client.post(
        "/staff/exports/summary", data={"engagement": "sepac-survey", "format": "xlsx"}
    )
    with response:
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    return list(book["quotes"].iter_rows(values_only=True))


def test_a_rendering_written_on_the_review_page_reaches_summaries_and_exports(
    client, answers, people
):
    lead, staff = people
    switch(client, staff)
    review = client.get("/staff/summary/sepac-survey/review").get_data(as_text=True)
    assert review.count("Write an English rendering") == N
    assert english_url(answers[0]) in review
    for answer in answers:
        assert write(client, answer).status_code == 302

    rows = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "quote.english_written")
    ).all()
    assert len(rows) == N and {r.user_id for r in rows} == {staff.id}
    assert all(r.details["characters"]["before"] == 0 for r in rows)
    assert not any("bus" in str(r.details) or "autob" in str(r.details) for r in rows)

    # Correcting a rendering: the new words replace the old, the audit keeps the lengths.
    assert (
        write(client, answers[0], "The bus is late at the stop, call [phone] 0").status_code == 302
    )
    row = db.session.get(QuoteEnglish, answers[0].id)
    assert row.text == "The bus is late at the stop, call [phone] 0"
    assert row.written_by_id == staff.id
    last = db.session.scalars(sa.select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert last.action == "quote.english_written"
    assert last.details["characters"] == {"before": len(english(0)), "after": 43}

    review = client.get("/staff/summary/sepac-survey/review").get_data(as_text=True)
    assert review.count("Correct the English rendering") == N
    assert "English translation by staff@example.org" in review

    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    shown = [a for a in answers[1:] if english(number(a)) in page]
    assert shown, "the staff summary shows the renderings of its quotes"
    for answer in shown:
        quote = f"llamen al [phone] por favor {number(answer)}</blockquote>"
        # the original first, its English rendering right beneath it
        assert page.index(quote) < page.index(english(number(answer)))
    assert "English translation by staff@example.org" in page
    assert "617-555" not in page

    header, *data = quotes_sheet(client)
    assert header[-2:] == ("English rendering", "Translated by")
    assert data and all(r[4] and r[5] == "staff@example.org" for r in data)
    assert {r[4] for r in data} <= {english(i) for i in range(N)} | {row.text}

    # Council leads read the renderings of approved quotes; staff names are not theirs.
    switch(client, lead)
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert any(english(number(a)) in page for a in answers[1:])
    assert "English translation by district staff" in page
    assert "staff@example.org" not in page
    assert "/english" not in page
    _header, *data = quotes_sheet(client)
    assert data and all(r[4] and r[5] == "District staff" for r in data)


def test_council_leads_cannot_write_or_open_a_rendering(client, answers, people):
    lead, _staff = people
    switch(client, lead)
    assert client.get(english_url(answers[0])).status_code == 403
    assert write(client, answers[0]).status_code == 403
    assert db.session.get(QuoteEnglish, answers[0].id) is None


def test_a_rendering_is_checked_like_the_quote_and_nothing_typed_is_lost(client, answers, people):
    _lead, staff = people
    switch(client, staff)
    page = client.get(english_url(answers[0])).get_data(as_text=True)
    assert "llamen al [phone] por favor 0" in page and "617-555" not in page

    # the phone number masked in the quote must stay masked
    typed = "The bus is late, call 617-555-0100"
    response = write(client, answers[0], typed)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "holds a detail that is masked in quotes" in html
    assert "Keep each of them in the English rendering" in html
    assert typed in html
    # a name the automatic masking would hide is refused too
    response = write(client, answers[0], "My son Jacob says the bus is late, call [phone]")
    assert response.status_code == 400
    assert "holds a detail that is masked" in response.get_data(as_text=True)
    response = write(client, answers[0], " ")
    assert response.status_code == 400
    assert "Write the English rendering of the quote." in response.get_data(as_text=True)
    assert db.session.get(QuoteEnglish, answers[0].id) is None
    assert not db.session.scalar(
        sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action == "quote.english_written")
    )


def test_a_quote_masked_again_hides_its_rendering_until_staff_check_it(client, answers, people):
    _lead, staff = people
    switch(client, staff)
    for answer in answers:
        write(client, answer)
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    target = next(a for a in answers if english(number(a)) in page)
    # "El autobús llega ..." : mask the first word of the quote by hand
    mask = f"/staff/summary/sepac-survey/review/{target.id}/mask"
    assert client.post(mask, data={"words": ["0"], "action": "mask"}).status_code == 302

    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert "[…] autobús llega tarde" in page
    assert english(number(target)) not in page
    review = client.get("/staff/summary/sepac-survey/review").get_data(as_text=True)
    assert "The quote's masking changed after this rendering was written" in review
    opened = client.get(english_url(target)).get_data(as_text=True)
    assert "Check it against the quote above and save it again." in opened

    # the rendering must keep the new mark too
    assert write(client, target).status_code == 400
    fixed = f"[…] bus comes late to the stop, please call [phone] {number(target)}"
    assert write(client, target, fixed).status_code == 302
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert fixed in page


@pytest.fixture
def period(app):
    today = report.district_today()
    return today - timedelta(days=60), today + timedelta(days=1)


def test_the_report_shows_renderings_and_lists_quotes_without_one(client, answers, people, period):
    _lead, staff = people
    switch(client, staff)
    start, end = (d.isoformat() for d in period)
    url = f"/staff/exports/report?start={start}&end={end}"
    page = client.get(url).get_data(as_text=True)
    assert "2 quotes in this report have no English rendering yet" in page
    with client.application.test_request_context("/"):
        built = report.build_report(*period)
        missing = report.missing_english(built)
        standalone = render.render_html(built, standalone=True)
    assert [m.engagement_slug for m in missing] == ["sepac-survey"] * 2
    # the list is for staff: never in the downloaded file or the PDF
    assert "no English rendering yet" not in standalone
    first = next(a for a in answers if a.id == missing[0].answer_id)
    link = f"{english_url(first)}?back=report&amp;start={start}&amp;end={end}"
    assert link in page

    response = client.post(
        f"{english_url(first)}?back=report&start={start}&end={end}",
        data={"text": english(number(first))},
    )
    assert response.status_code == 302 and response.location.endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "1 quote in this report has no English rendering yet" in page
    assert english(number(first)) in page
    assert "English translation by district staff" in page
    assert "staff@example.org" not in page

    require_pdf()
    with client.application.test_request_context("/"):
        pdf = render.render_pdf(report.build_report(*period))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert english(number(first)) in text
    assert "English translation by district staff" in text
    assert "no English rendering yet" not in text


class FakeServer:
    """Stands in for the district's LibreTranslate server: records what it was sent."""

    def __init__(self, reply=None, error=None):
        self.sent, self.reply, self.error = [], reply, error

    def __call__(self, request, timeout):
        self.sent.append((request.full_url, json.loads(request.data)))
        if self.error is not None:
            raise self.error

        class Reply(io.BytesIO):
            def __enter__(self):
                return self

        return Reply(json.dumps(self.reply).encode())


def test_without_a_translation_server_nothing_is_sent(client, answers, people, monkeypatch):
    _lead, staff = people
    server = FakeServer({"translatedText": "x"})
    monkeypatch.setattr("engagement.machine_translation.urllib.request.urlopen", server)
    switch(client, staff)
    page = client.get(english_url(answers[0])).get_data(as_text=True)
    assert "translation server" not in page
    assert client.post(english_url(answers[0]) + "/draft").status_code == 404
    assert server.sent == [] and db.session.get(QuoteEnglish, answers[0].id) is None


def test_a_machine_draft_is_shown_nowhere_until_a_person_confirms_it(
    app, client, answers, people, monkeypatch
):
    _lead, staff = people
    monkeypatch.setitem(app.config, "LIBRETRANSLATE_URL", "http://translate.district.test/")
    draft = "The bus arrives late at the stop, call [phone] please"
    server = FakeServer({"translatedText": draft})
    monkeypatch.setattr("engagement.machine_translation.urllib.request.urlopen", server)
    switch(client, staff)
    for answer in answers:
        assert client.get(english_url(answer)).status_code == 200
        response = client.post(english_url(answer) + "/draft")
        assert response.status_code == 302 and response.location.endswith(english_url(answer))
    # Only the quote as masked went out, to the configured server, one quote at a time.
    url, body = server.sent[0]
    assert url == "http://translate.district.test/translate"
    assert body["source"] == "es" and body["target"] == "en"
    assert body["q"] == "El autobús llega tarde a la parada, llamen al [phone] por favor 0"
    assert not any("617-555" in b["q"] for _u, b in server.sent)
    assert db.session.get(QuoteEnglish, answers[0].id).machine_draft is True
    (row, *_rest) = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "quote.english_machine_draft")
    ).all()
    assert "bus" not in str(row.details)

    review = client.get("/staff/summary/sepac-survey/review").get_data(as_text=True)
    assert review.count('<span class="tag">Machine draft</span>') == N
    assert "Check the machine draft" in review
    assert draft not in client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert all(not r[4] for r in quotes_sheet(client)[1:])
    page = client.get(english_url(answers[0])).get_data(as_text=True)
    assert draft in page and "Confirm and save the English rendering" in page

    # A person confirms (and corrects) the draft: it is theirs now, shown beside the quote.
    for answer in answers:
        assert write(client, answer).status_code == 302
    assert db.session.get(QuoteEnglish, answers[0].id).machine_draft is False
    last = db.session.scalars(sa.select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert last.details["machine_draft"] == {"before": True, "after": False}
    page = client.get("/staff/summary/sepac-survey").get_data(as_text=True)
    assert "English translation by staff@example.org" in page
    # A draft never replaces what a person wrote.
    client.post(english_url(answers[0]) + "/draft")
    assert db.session.get(QuoteEnglish, answers[0].id).text == english(0)


def test_a_translation_server_that_fails_leaves_the_page_as_it_was(
    app, client, answers, people, monkeypatch
):
    _lead, staff = people
    monkeypatch.setitem(app.config, "LIBRETRANSLATE_URL", "http://translate.district.test")
    server = FakeServer(error=urllib.error.URLError("refused"))
    monkeypatch.setattr("engagement.machine_translation.urllib.request.urlopen", server)
    switch(client, staff)
    response = client.post(english_url(answers[0]) + "/draft", follow_redirects=True)
    assert "The translation server did not answer." in response.get_data(as_text=True)
    assert len(server.sent) == 1 and db.session.get(QuoteEnglish, answers[0].id) is None
