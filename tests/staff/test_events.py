"""Event mode: record an event, then 20 comment cards typed one after another."""

import re

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    Answer,
    AuditLog,
    Channel,
    EngagementStatus,
    Event,
    EventAttendance,
    Response,
)
from tests.factories import group, make_engagement, school


def test_event_with_attendance_by_group_is_audited(staff_client, seeded):
    make_engagement(slug="forum", kind="forum", council=group("elpac"))
    parents, elpac = group("parent_guardian"), group("elpac")
    response = staff_client.post(
        "/staff/engagements/forum/events",
        data={
            "held_on": "2030-10-02",
            "attendance": "40",
            f"group_{parents.id}": "25",
            f"group_{elpac.id}": "6",
            "languages": ["es", "pt_BR"],
            "notes": "Held at the library.",
        },
    )
    assert response.status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert event.attendance == 40 and event.languages == ["es", "pt_BR"]
    by_group = {a.group_id: a.count for a in db.session.scalars(sa.select(EventAttendance))}
    assert by_group == {parents.id: 25, elpac.id: 6}
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "event.create"))
    assert row.target == "forum" and row.details["attendance"] == 40


def test_group_counts_cannot_exceed_attendance(staff_client, seeded):
    make_engagement(slug="forum", kind="forum")
    parents = group("parent_guardian")
    page = staff_client.post(
        "/staff/engagements/forum/events",
        data={"held_on": "2030-10-02", "attendance": "3", f"group_{parents.id}": "9"},
    ).get_data(as_text=True)
    assert "add up to more than the number who attended" in page
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_twenty_comment_cards(staff_client, seeded):
    eng = make_engagement(slug="forum", kind="forum", status=EngagementStatus.CLOSED)
    comments = next(q for q in eng.questions if q.code == "comments")
    staff_client.post(
        "/staff/engagements/forum/events",
        data={"held_on": "2030-10-02", "attendance": "30", "languages": ["es"]},
    )
    event = db.session.scalar(sa.select(Event))
    url = f"/staff/engagements/forum/events/{event.id}/cards"
    page = staff_client.get(url).get_data(as_text=True)
    assert re.search(r"<textarea[^>]*autofocus", page)
    locales = ["es", "en", "pt_BR", "zh_Hans", "ht", "ar"]
    groups = [group("parent_guardian"), group("student"), None]
    expected = []
    for n in range(20):
        locale, grp = locales[n % len(locales)], groups[n % len(groups)]
        token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', page).group(1)
        channel = Channel.PAPER if n % 4 else Channel.STAFF_ENTRY
        response = staff_client.post(
            url,
            data={
                "token": token,
                "text": f"Card {n + 1}: más intérpretes por favor",
                "locale": locale,
                "group_id": str(grp.id) if grp else "",
                "channel": channel.value,
                "question_id": str(comments.id),
            },
        )
        assert response.status_code == 302
        page = staff_client.get(response.location).get_data(as_text=True)
        assert re.search(rf'role="status"[^>]*>\s*<p[^>]*>Saved card {n + 1}</p>', page)
        expected.append((locale, grp.id if grp else None, channel))
    # A double-submitted card (same token) is stored once.
    staff_client.post(
        url,
        data={
            "token": token,
            "text": "dup",
            "locale": "en",
            "group_id": "",
            "channel": "paper",
            "question_id": str(comments.id),
        },
    )
    responses = list(db.session.scalars(sa.select(Response).order_by(Response.id)))
    assert len(responses) == 20
    for response, (locale, group_id, channel) in zip(responses, expected, strict=True):
        assert response.event_id == event.id
        assert response.channel == channel and response.locale == locale
        assert [g.id for g in response.groups] == ([group_id] if group_id else [])
        assert [a.question_id for a in response.answers] == [comments.id]
    assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 20
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action == "event.card")
        )
        >= 20
    )
    # No answer text in the audit log.
    details = " ".join(repr(r.details) for r in db.session.scalars(sa.select(AuditLog)))
    assert "intérpretes" not in details


def test_empty_card_keeps_selection_and_explains(staff_client, seeded):
    make_engagement(slug="forum", kind="forum")
    staff_client.post(
        "/staff/engagements/forum/events", data={"held_on": "2030-10-02", "attendance": "5"}
    )
    event = db.session.scalar(sa.select(Event))
    page = staff_client.post(
        f"/staff/engagements/forum/events/{event.id}/cards",
        data={"text": "  ", "locale": "ht", "group_id": "", "channel": "paper"},
    ).get_data(as_text=True)
    assert "Type the comment from the card." in page
    assert '<option selected value="ht">' in page or 'value="ht" selected' in page
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_attendance_counts_every_council_and_the_event_school(staff_client, seeded):
    make_engagement(slug="forum", kind="forum")
    sepac, metco = group("sepac"), group("metco")
    burbank = school("burbank")
    page = staff_client.get("/staff/engagements/forum/events").get_data(as_text=True)
    assert f'name="group_{sepac.id}"' in page and f'name="group_{metco.id}"' in page
    staff_client.post(
        "/staff/engagements/forum/events",
        data={
            "held_on": "2030-10-02",
            "school_id": str(burbank.id),
            "attendance": "20",
            f"group_{sepac.id}": "4",
            f"group_{metco.id}": "3",
        },
    )
    event = db.session.scalar(sa.select(Event))
    assert event.school_id == burbank.id
    by_group = {a.group_id: a.count for a in event.attendance_by_group}
    assert by_group == {sepac.id: 4, metco.id: 3}
    # A card of a school's event counts for that school.
    eng = event.engagement
    comments = next(q for q in eng.questions if q.code == "comments")
    staff_client.post(
        f"/staff/engagements/forum/events/{event.id}/cards",
        data={
            "text": "More meetings at Burbank, please.",
            "locale": "en",
            "group_id": "",
            "channel": "paper",
            "question_id": str(comments.id),
            "token": "t1",
        },
    )
    card = db.session.scalar(sa.select(Response).where(Response.event_id == event.id))
    assert card.school_id == burbank.id


def test_an_event_can_be_corrected_and_deleted_with_audit(staff_client, seeded):
    eng = make_engagement(slug="forum", kind="forum")
    parents, sepac = group("parent_guardian"), group("sepac")
    staff_client.post(
        "/staff/engagements/forum/events",
        data={"held_on": "2030-10-02", "attendance": "15", f"group_{parents.id}": "10"},
    )
    event = db.session.scalar(sa.select(Event))
    edit = f"/staff/engagements/forum/events/{event.id}/edit"
    form = staff_client.get(edit).get_data(as_text=True)
    assert 'value="15"' in form and 'value="10"' in form  # filled in with what was saved
    too_many = staff_client.post(
        edit, data={"held_on": "2030-10-02", "attendance": "5", f"group_{parents.id}": "9"}
    ).get_data(as_text=True)
    assert "add up to more than the number who attended" in too_many
    assert (
        staff_client.post(
            edit,
            data={"held_on": "2030-10-03", "attendance": "51", f"group_{sepac.id}": "7"},
        ).status_code
        == 302
    )
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.attendance == 51 and event.held_on.isoformat() == "2030-10-03"
    assert {a.group_id: a.count for a in event.attendance_by_group} == {sepac.id: 7}
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "event.edit"))
    assert row.details["attendance"] == {"before": 15, "after": 51}
    assert row.details["held_on"] == {"before": "2030-10-02", "after": "2030-10-03"}

    # A card, then deleting the event: a confirmation first, the card stays a response.
    comments = next(q for q in eng.questions if q.code == "comments")
    staff_client.post(
        f"/staff/engagements/forum/events/{event.id}/cards",
        data={
            "text": "Thanks",
            "locale": "en",
            "channel": "paper",
            "question_id": str(comments.id),
            "token": "t2",
        },
    )
    delete = f"/staff/engagements/forum/events/{event.id}/delete"
    asked = staff_client.post(delete).get_data(as_text=True)
    assert "Its 1 comment card stays as a response" in asked
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 1
    assert staff_client.post(delete, data={"confirm": "yes"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.group_id))) == 0
    card = db.session.scalar(sa.select(Response))
    assert card is not None and card.event_id is None
    row = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "event.delete"))
    assert row.details["cards_kept"] == 1
