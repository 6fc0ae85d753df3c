"""Event details of forums and coffees: authored in English, translated like every other
content string (page and .po file), shown to families in their language."""

import hashlib
import io
from datetime import UTC, datetime

import sqlalchemy as sa
from babel.messages.pofile import read_po

from engagement.extensions import db
from engagement.models import Engagement, EngagementText
from engagement.staff.services.translation_io import completeness, export_po, import_po
from tests.factories import make_engagement
from tests.staff.test_translation_io import translate_catalog

FORM = {
    "kind": "forum",
    "slug": "sepac-forum",
    "title": "SEPAC forum",
    "description": "",
    "school_id": "",
    "council_id": "",
    "opens_at": "",
    "closes_at": "",
    "series": "",
    "event_starts_at": "2030-12-10T18:30",
    "event_ends_at": "2030-12-10T20:00",
    "place": "High school cafeteria",
    "childcare": "Free childcare, ages 3 to 12.",
    "interpreters": "Spanish and Haitian Creole.",
}


def load(slug="sepac-forum"):
    db.session.expire_all()
    return db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))


def test_staff_author_event_details(staff_client, seeded):
    response = staff_client.post("/staff/engagements/new", data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    forum = load()
    # 6:30 pm in Boston in December is 23:30 UTC.
    assert forum.event_starts_at == datetime(2030, 12, 10, 23, 30, tzinfo=UTC)
    assert forum.event_ends_at == datetime(2030, 12, 11, 1, 0, tzinfo=UTC)
    english = next(t for t in forum.texts if t.locale == "en")
    assert (english.place, english.childcare) == ("High school cafeteria", FORM["childcare"])
    page = staff_client.get("/staff/engagements/sepac-forum/edit").get_data(as_text=True)
    assert 'value="2030-12-10T18:30"' in page and "High school cafeteria</textarea>" in page


def test_meeting_must_end_after_it_starts(staff_client, seeded):
    data = dict(FORM, event_ends_at="2030-12-10T17:00")
    response = staff_client.post("/staff/engagements/new", data=data)
    assert response.status_code == 200 and load() is None
    assert "The meeting must end after it starts." in response.get_data(as_text=True)
    data = dict(FORM, event_starts_at="")
    response = staff_client.post("/staff/engagements/new", data=data)
    assert "Give the time the meeting starts too." in response.get_data(as_text=True)


def test_event_details_go_through_the_translation_round_trip(seeded):
    forum = make_engagement(slug="forum", kind="forum", titles={"en": "Forum"})
    english = next(t for t in forum.texts if t.locale == "en")
    english.place, english.interpreters = "Cafeteria", "Spanish"
    db.session.commit()
    catalog = read_po(io.BytesIO(export_po(forum, "es")))
    keys = {m.context for m in catalog if m.id}
    assert {"engagement:place", "engagement:interpreters"} <= keys
    assert "engagement:childcare" not in keys  # no English text: nothing to translate
    words = {"Cafeteria": "Cafetería", "Spanish": "Español", "Forum": "Foro"}
    translated = translate_catalog(
        export_po(forum, "es"), "es", lambda key, english: words.get(english, "x")
    )
    import_po(forum, "es", translated)
    spanish = next(t for t in load("forum").texts if t.locale == "es")
    assert (spanish.place, spanish.interpreters) == ("Cafetería", "Español")
    assert not completeness(load("forum"), "es").stale


def test_rows_without_event_details_keep_their_hash(seeded):
    """Translations made before event details existed stay current."""
    row = EngagementText(locale="en", title="Survey", description="About school")
    before = hashlib.sha256(b"Survey\x1fAbout school").hexdigest()[:16]
    assert row.content_hash() == before
    row.place = "Library"
    assert row.content_hash() != before
