"""The "needs follow-up" queue: urgent comments in each language and contact requests reach
it when stored, ordinary comments do not (and cost no SQL statement); staff take items and
move them on, every step audited without the note; overdue after school days; council leads
never see it; contact details only for accounts that may see them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from engagement import followup
from engagement.extensions import db
from engagement.models import (
    AnswerAnalysis,
    AuditLog,
    Channel,
    FollowUp,
    FollowUpReason,
    FollowUpState,
    utcnow,
)
from engagement.submissions import Submission, record_response
from tests.factories import make_engagement
from tests.staff.conftest import sign_in

URGENT_BY_LANGUAGE = [
    ("en", "My son says he wants to kill himself.", FollowUpReason.SELF_HARM),
    ("es", "Un alumno amenazó con traer una pistola a la escuela.", FollowUpReason.VIOLENCE_THREAT),
    ("pt_BR", "Minha filha sofre bullying todos os dias.", FollowUpReason.BULLYING_HARM),
    ("ht", "Gen sant gaz nan kizin lekòl la.", FollowUpReason.HAZARD),
    ("zh_Hans", "邻居的孩子经常被继父打，身上有淤青。", FollowUpReason.ABUSE_NEGLECT),
    ("ar", "طردونا من الشقة ولا مكان لنا للعيش.", FollowUpReason.CRISIS),
]
ORDINARY_BY_LANGUAGE = [
    ("en", "This homework is killing me."),
    ("es", "Me muero de risa con la maestra, es muy buena."),
    ("pt_BR", "O ônibus atrasou de novo."),
    ("ht", "Bis la toujou an reta."),
    ("zh_Hans", "校车总是迟到。"),
    ("ar", "تأخرت الحافلة مرة أخرى."),
]


def send(engagement, text, locale="en", contact=None):
    q = {question.code: question.id for question in engagement.questions}
    return record_response(
        engagement,
        Submission(
            locale=locale,
            channel=Channel.WEB,
            answers={q["informed"]: "4", q["comments"]: text},
            contact=contact,
        ),
    )


def queued():
    return {item.response_id: item for item in db.session.scalars(sa.select(FollowUp))}


@pytest.fixture
def survey(seeded):
    return make_engagement(slug="spring-survey", titles={"en": "Spring survey"})


@pytest.mark.parametrize(("locale", "text", "reason"), URGENT_BY_LANGUAGE)
def test_urgent_comments_in_each_language_reach_the_queue(survey, locale, text, reason):
    response = send(survey, text, locale)
    item = queued()[response.id]
    assert (item.reason, item.state, item.owner_id) == (reason, FollowUpState.OPEN, None)
    assert item.answer.text == text
    analysis = db.session.scalar(sa.select(AnswerAnalysis))
    assert analysis.urgent_kind == reason.value


@pytest.mark.parametrize(("locale", "text"), ORDINARY_BY_LANGUAGE)
def test_ordinary_comments_do_not(survey, locale, text):
    send(survey, text, locale)
    assert queued() == {}
    assert db.session.scalar(sa.select(AnswerAnalysis.urgent_kind)) is None


def test_a_contact_request_reaches_the_queue_with_or_without_a_comment(survey):
    given = send(survey, "Thanks for the survey.", contact={"phone": "617-555-0100"})
    asked = send(survey, "Could someone please call me back about the bus?")
    items = queued()
    assert items[given.id].reason == FollowUpReason.CONTACT_REQUEST
    assert items[given.id].answer_id is None
    assert items[asked.id].reason == FollowUpReason.CONTACT_REQUEST
    assert items[asked.id].answer_id is not None


def count_statements(action):
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    # Theme codes differ from comment to comment (one insert or none): leave them out.
    return [
        s
        for s in statements
        if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")) and "answer_theme" not in s
    ]


def test_flagging_costs_no_statement_for_an_ordinary_comment_and_one_insert_otherwise(survey):
    send(survey, "Warm-up: first response loads the engagement.")
    db.session.expire_all()
    ordinary = count_statements(lambda: send(survey, "The bus was late again."))
    db.session.expire_all()
    flagged = count_statements(lambda: send(survey, "He said he will shoot up the school."))
    extra = [s for s in flagged if "follow_up" in s]
    assert len(flagged) == len(ordinary) + 1
    assert len(extra) == 1 and extra[0].lstrip().upper().startswith("INSERT")
    assert not any("follow_up" in s for s in ordinary)


def test_school_days_skip_the_weekend_in_the_district_time_zone():
    zone = ZoneInfo("America/New_York")
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=zone)  # a Friday afternoon in Boston
    assert followup.due_at(friday, 2, zone) == datetime(2026, 12, 1, 15, 0, tzinfo=zone)
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=zone)
    assert followup.due_at(monday, 2, zone) == datetime(2026, 12, 2, 9, 30, tzinfo=zone)
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=zone)
    assert followup.due_at(saturday, 1, zone) == datetime(2026, 11, 30, 10, 0, tzinfo=zone)
    # 22:30 on a Friday in Boston is already Saturday in UTC: the district's calendar counts.
    late = datetime(2026, 11, 28, 3, 30, tzinfo=UTC)
    assert followup.due_at(late, 1, zone).astimezone(zone).weekday() == 0


def test_overdue_follows_the_setting_and_done_is_never_overdue(app, survey):
    send(survey, "My son says he wants to kill himself.")
    item = db.session.scalar(sa.select(FollowUp))
    item.created_at = utcnow() - timedelta(days=5)
    db.session.commit()
    assert followup.waiting_counts() == (1, 1)
    app.config["FOLLOW_UP_SCHOOL_DAYS"] = 10
    assert followup.waiting_counts() == (1, 0)
    app.config["FOLLOW_UP_SCHOOL_DAYS"] = 2
    item.state = FollowUpState.DONE
    db.session.commit()
    assert followup.waiting_counts() == (0, 0)
    assert not followup.is_overdue(item.created_at, item.state)


def test_queue_page_shows_kind_age_engagement_and_masked_text_oldest_first(
    client, staff_user, survey
):
    newer = send(survey, "There is a gas leak smell near the gym, call me at 617-555-0199.")
    older = send(survey, "My son says he wants to kill himself.")
    db.session.get(FollowUp, queued()[older.id].id).created_at = utcnow() - timedelta(days=6)
    db.session.commit()
    sign_in(client, staff_user.email)
    response = client.get("/staff/follow-up")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.index("Self-harm or suicide") < body.index("Safety hazard")
    assert "Overdue" in body and "Spring survey" in body and "No owner yet" in body
    assert "617-555-0199" not in body and "[phone]" in body
    assert newer.id != older.id


def test_take_and_move_on_are_audited_without_the_note(client, staff_user, survey):
    send(survey, "My son says he wants to kill himself.")
    item = db.session.scalar(sa.select(FollowUp))
    sign_in(client, staff_user.email)
    assert client.post(f"/staff/follow-up/{item.id}/take").status_code == 302
    note = "Called the family; counselor met the student today."
    response = client.post(
        f"/staff/follow-up/{item.id}/update", data={"state": "done", "note": note}
    )
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(FollowUp, item.id)
    assert (item.owner_id, item.state, item.note) == (staff_user.id, FollowUpState.DONE, note)
    rows = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action.like("follow_up.%")).order_by(AuditLog.id)
    ).all()
    assert [r.action for r in rows] == ["follow_up.assign", "follow_up.update"]
    assert rows[1].details["state"] == "done" and rows[1].details["note_changed"] is True
    assert all(r.actor == staff_user.email for r in rows)
    assert "counselor" not in str([r.details for r in rows])
    assert "kill" not in str([r.details for r in rows])
    assert "Nothing needs follow-up right now." in client.get("/staff/follow-up").get_data(
        as_text=True
    )


def test_a_forged_state_changes_nothing(client, staff_user, survey):
    send(survey, "My son says he wants to kill himself.")
    item = db.session.scalar(sa.select(FollowUp))
    sign_in(client, staff_user.email)
    client.post(f"/staff/follow-up/{item.id}/update", data={"state": "deleted", "note": "x"})
    db.session.expire_all()
    assert db.session.get(FollowUp, item.id).state == FollowUpState.OPEN
    assert client.post("/staff/follow-up/999999/take").status_code == 404


def test_contact_details_only_for_accounts_that_may_see_them(
    client, staff_user, admin_user, survey
):
    send(survey, "Thanks.", contact={"name": "Ana", "phone": "617-555-0100"})
    sign_in(client, staff_user.email)
    body = client.get("/staff/follow-up").get_data(as_text=True)
    assert "617-555-0100" not in body and "an administrator can read them" in body
    client.post("/staff/logout")
    sign_in(client, admin_user.email)
    body = client.get("/staff/follow-up").get_data(as_text=True)
    assert "617-555-0100" in body and "Ana" in body


def test_dashboard_counts_for_staff_and_nothing_for_council_leads(
    client, staff_user, lead_user, survey
):
    send(survey, "My son says he wants to kill himself.")
    item = db.session.scalar(sa.select(FollowUp))
    item.created_at = utcnow() - timedelta(days=7)
    db.session.commit()
    sign_in(client, staff_user.email)
    body = client.get("/staff/").get_data(as_text=True)
    assert "1 comment or contact request needs follow-up" in body and "(1 overdue)" in body
    client.post("/staff/logout")
    sign_in(client, lead_user.email)
    body = client.get("/staff/").get_data(as_text=True)
    assert "follow-up" not in body.lower()
    assert client.get("/staff/follow-up").status_code == 403


def test_reanalysis_queues_old_answers_the_rules_now_flag_once(survey):
    from engagement.models import Answer
    from engagement.themes.store import reanalyze

    response = send(survey, "The bus was late.")
    answer = db.session.scalar(sa.select(Answer).where(Answer.text.is_not(None)))
    # Written before the rules existed: the stored text changes, its analysis does not.
    answer.text = "My son says he wants to kill himself."
    db.session.commit()
    assert queued() == {}
    list(reanalyze(force=True))
    assert queued()[response.id].reason == FollowUpReason.SELF_HARM
    list(reanalyze(force=True))
    assert len(queued()) == 1
