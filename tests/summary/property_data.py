"""Small generated datasets for the privacy property tests: responses stored through the
test helpers, and the same people as plain records for the independent checker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import strategies as st

from engagement.extensions import db
from engagement.models import Engagement, Response, School, SummarySnapshot
from tests.factories import group
from tests.summary.helpers import add_response
from tests.summary.privacy_checker import NOT_STATED, Person

# A Wednesday at noon (UTC): weeks are whole weeks in the district's time zone.
START = datetime(2026, 11, 4, 17, 0, tzinfo=UTC)

person_spec = st.fixed_dictionaries(
    {
        "locale": st.sampled_from(["en", "en", "es", "ar"]),
        "race": st.sampled_from([None, "white", "white", "black"]),
        "school": st.sampled_from([None, "burbank", "butler"]),
        "parent": st.booleans(),
        "lang": st.sampled_from([None, "en", "es"]),
        "themes": st.sets(st.sampled_from(["safety", "transportation"])),
        "likert": st.sampled_from([None, "4", "5", "2"]),
        "week": st.integers(0, 2),
    }
)


def clear():
    """Remove what an earlier example stored (one database serves every example)."""
    db.session.execute(sa.delete(SummarySnapshot))
    db.session.execute(sa.delete(Response))
    db.session.execute(sa.delete(Engagement))
    db.session.commit()


def add(engagement, spec) -> Person:
    """Store one response as `spec` says and return it as the checker sees it."""
    school = (
        db.session.scalar(sa.select(School).where(School.code == spec["school"]))
        if spec["school"]
        else None
    )
    text = None if spec["lang"] is None else f"comment {spec}"
    themes = sorted(spec["themes"]) if text else []
    response, _answer = add_response(
        engagement,
        text,
        themes,
        lang=spec["lang"] or "en",
        locale=spec["locale"],
        race=spec["race"],
        likert=spec["likert"],
        groups=[group("parent_guardian")] if spec["parent"] else [],
        school=school,
    )
    response.submitted_at = START + timedelta(days=7 * spec["week"])
    db.session.commit()
    return Person(
        id=response.id,
        engagement=engagement.id,
        locale=spec["locale"],
        school=spec["school"] or NOT_STATED,
        race=spec["race"],
        groups=frozenset({"parent_guardian"} if spec["parent"] else ()),
        lang=spec["lang"],
        themes=frozenset(themes),
        likert=spec["likert"],
        week=spec["week"],
    )
