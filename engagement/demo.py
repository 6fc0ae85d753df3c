"""Demo engagements and responses from engagement/data/demo.json (clearly marked is_demo).

Idempotent: an engagement is matched by slug and its demo responses are topped up to the
configured number, never duplicated.
"""

import json
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from engagement import aggregates, audit
from engagement.extensions import db
from engagement.models import (
    ActionStatus,
    Channel,
    Engagement,
    EngagementText,
    Event,
    EventAttendance,
    GroupKind,
    LoopAction,
    LoopActionText,
    OptionText,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionText,
    RaceEthnicity,
    Response,
    School,
    StakeholderGroup,
    StrategicPriority,
    utcnow,
)
from engagement.submissions import Submission, record_response

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"

# Rough shape of a district like Belmont's: mostly parents, a few students and staff.
ROLE_WEIGHTS = {"parent_guardian": 0.78, "student": 0.1, "educator": 0.07, "community_member": 0.05}
RACE_WEIGHTS = {
    RaceEthnicity.WHITE: 0.42,
    RaceEthnicity.ASIAN: 0.2,
    RaceEthnicity.HISPANIC_LATINX: 0.1,
    RaceEthnicity.BLACK: 0.08,
    RaceEthnicity.MULTIRACIAL: 0.07,
    RaceEthnicity.AMERICAN_INDIAN_ALASKA_NATIVE: 0.005,
    RaceEthnicity.NATIVE_HAWAIIAN_PACIFIC_ISLANDER: 0.005,
    RaceEthnicity.PREFER_NOT_TO_SAY: 0.05,
    None: 0.07,
}
CHANNEL_WEIGHTS = {Channel.WEB: 0.7, Channel.QR: 0.2, Channel.PAPER: 0.1}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _by_code(model, code):
    if code is None:
        return None
    row = db.session.scalar(sa.select(model).where(model.code == code))
    if row is None:
        raise LookupError(f"{model.__name__} {code!r} is not seeded; run `flask seed` first")
    return row


def _event_times(event: dict) -> tuple[datetime, datetime]:
    """An in-person meeting `in_days` from today at `time` (district time), as UTC."""
    zone = ZoneInfo(current_app.config["DISTRICT_TIMEZONE"])
    day = datetime.now(zone).date() + timedelta(days=event["in_days"])
    hour, minute = (int(part) for part in event["time"].split(":"))
    starts = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
    return starts, starts + timedelta(minutes=event["minutes"])


def _build_engagement(item: dict) -> Engagement:
    now = utcnow()
    closes = item.get("closes_in_days")
    school = _by_code(School, item.get("school"))
    council = _by_code(StakeholderGroup, item.get("council"))
    engagement = Engagement(
        slug=item["slug"],
        kind=item["kind"],
        status=item["status"],
        opens_at=now - timedelta(days=item.get("opens_days_ago", 0)),
        closes_at=now + timedelta(days=closes) if closes is not None else None,
        school=school or (council.school if council else None),
        council=council,
        series=item.get("series"),
        is_demo=True,
        priorities=[_by_code(StrategicPriority, c) for c in item.get("priorities", [])],
    )
    if item.get("event"):
        engagement.event_starts_at, engagement.event_ends_at = _event_times(item["event"])
    for locale, text in item["texts"].items():
        engagement.texts.append(EngagementText(locale=locale, **text))
    for position, q in enumerate(item["questions"]):
        question = Question(
            code=q["code"], kind=q["kind"], position=position, required=q.get("required", False)
        )
        for locale, text in q["texts"].items():
            question.texts.append(
                QuestionText(locale=locale, text=text["text"], help=text.get("help", ""))
            )
        for opt_position, opt in enumerate(q.get("options", [])):
            option = QuestionOption(code=opt["code"], position=opt_position)
            for locale, label in opt["labels"].items():
                option.texts.append(OptionText(locale=locale, label=label))
            question.options.append(option)
        engagement.questions.append(question)
    _mark_translations_current(engagement)
    for position, action in enumerate(item.get("actions", [])):
        loop = LoopAction(
            theme_code=action.get("theme"),
            status=ActionStatus(action.get("status", "planned")),
            position=position,
        )
        for locale, text in action["texts"].items():
            loop.texts.append(LoopActionText(locale=locale, **text))
        loop.engagement = engagement
        _mark_rows_current(loop.texts)
        db.session.add(loop)
    for spec in item.get("events", []):
        event = Event(
            held_on=(now - timedelta(days=spec["days_ago"])).date(),
            attendance=spec["attendance"],
            languages=spec.get("languages", []),
        )
        for code, count in spec.get("by_group", {}).items():
            event.attendance_by_group.append(
                EventAttendance(group=_by_code(StakeholderGroup, code), count=count)
            )
        event.engagement = engagement
        db.session.add(event)
    db.session.add(engagement)
    db.session.flush()
    return engagement


def _mark_rows_current(rows):
    source = next((r for r in rows if r.locale == "en"), None)
    for row in rows:
        if source is not None and row.locale != "en":
            row.source_hash = source.content_hash()


def _mark_translations_current(engagement: Engagement):
    _mark_rows_current(engagement.texts)
    for question in engagement.questions:
        _mark_rows_current(question.texts)
        for option in question.options:
            _mark_rows_current(option.texts)


def _random_submission(rng, engagement, item, roles, schools, spec_by_code) -> Submission:
    locale = _pick(rng, item.get("language_mix", {"en": 1.0}))
    answers = {}
    for question in engagement.questions:
        spec = spec_by_code[question.code]
        if not question.required and rng.random() < 0.15:
            continue
        if question.kind == QuestionKind.OPEN_TEXT:
            pool = spec.get("comments", {}).get(locale) or spec.get("comments", {}).get("en")
            if pool and (question.required or rng.random() < 0.8):
                answers[question.id] = rng.choice(pool)
        elif question.kind == QuestionKind.MULTI_CHOICE:
            codes = question.choice_codes
            answers[question.id] = rng.sample(codes, k=rng.randint(1, min(3, len(codes))))
        else:
            codes = question.choice_codes
            # Lean positive, as real surveys do, with a tail of unhappy families.
            weights = [1, 2, 3, 5, 4] if len(codes) == 5 else [1] * len(codes)
            answers[question.id] = rng.choices(codes, weights=weights)[0]
    group_ids = [roles[_pick(rng, ROLE_WEIGHTS)].id]
    if engagement.council is not None and rng.random() < 0.7:
        group_ids.append(engagement.council.id)
    school = engagement.school or rng.choice(schools)
    opened = engagement.opens_at or utcnow() - timedelta(days=30)
    end = min(engagement.closes_at or utcnow(), utcnow())
    span = max((end - opened).total_seconds(), 3600)
    channel = _pick(rng, CHANNEL_WEIGHTS)
    events = db.session.scalars(sa.select(Event.id).where(Event.engagement_id == engagement.id))
    event_ids = list(events) if channel == Channel.PAPER else []
    return Submission(
        locale=locale,
        channel=channel,
        event_id=rng.choice(event_ids) if event_ids else None,
        answers=answers,
        group_ids=group_ids,
        school_id=school.id,
        race_ethnicity=_pick(rng, RACE_WEIGHTS),
        is_demo=True,
        submitted_at=opened + timedelta(seconds=rng.uniform(0, span)),
    )


def load_demo(path: Path = DEMO_FILE, progress=None) -> dict[str, int]:
    """Create the demo engagements and top their responses up; return what was added."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    roles = {
        g.code: g
        for g in db.session.scalars(
            sa.select(StakeholderGroup).where(StakeholderGroup.kind == GroupKind.ROLE)
        )
    }
    schools = list(db.session.scalars(sa.select(School).order_by(School.position)))
    added = {"engagements": 0, "responses": 0}
    for item in data["engagements"]:
        engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == item["slug"]))
        if engagement is None:
            engagement = _build_engagement(item)
            db.session.commit()
            added["engagements"] += 1
        elif not engagement.is_demo:
            continue  # a real engagement took the slug: leave it alone
        have = db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(
                Response.engagement_id == engagement.id, Response.is_demo.is_(True)
            )
        )
        # demo data only; nothing secret is drawn (bandit B311)
        rng = random.Random(f"{item['slug']}:{have}")  # nosec B311
        spec_by_code = {q["code"]: q for q in item["questions"]}
        for _ in range(max(item.get("responses", 0) - have, 0)):
            submission = _random_submission(rng, engagement, item, roles, schools, spec_by_code)
            record_response(engagement, submission)
            added["responses"] += 1
            if progress:
                progress(1)
    return added


def demo_counts() -> dict[str, int]:
    """How much demo data the database holds: demo engagements and demo responses."""
    return {
        "engagements": db.session.scalar(
            sa.select(sa.func.count(Engagement.id)).where(Engagement.is_demo.is_(True))
        ),
        "responses": db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(Response.is_demo.is_(True))
        ),
    }


def has_demo_data() -> bool:
    """Whether any demo engagement or response is left (one cheap query for the banner)."""
    demo = sa.or_(
        sa.exists().where(Engagement.is_demo.is_(True)),
        sa.exists().where(Response.is_demo.is_(True)),
    )
    return bool(db.session.scalar(sa.select(demo)))


def remove_demo() -> dict[str, int]:
    """Delete every demo response and demo engagement, with all that hangs off them.

    Demo responses go first (their answers, analyses, themes and group links follow by the
    database's ON DELETE CASCADE), then the demo engagements with their texts, questions,
    events and notes. One transaction, audited in the same commit. Real engagements and
    real responses are never touched, even where they share an engagement with demo ones.
    """
    counts = demo_counts()
    if not any(counts.values()):
        return counts
    try:
        # Out of the per-engagement counts first (they count demo data under COUNT_DEMO_DATA).
        aggregates.remove_where(Response.is_demo.is_(True))
        db.session.execute(
            sa.delete(Response).where(Response.is_demo.is_(True)),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            sa.delete(Engagement).where(
                Engagement.is_demo.is_(True),
                ~sa.exists().where(Response.engagement_id == Engagement.id),
            ),
            execution_options={"synchronize_session": False},
        )
        audit.record(
            "demo.remove",
            target="demo data",
            details=counts,
            row_count=counts["responses"],
            actor="cli",
            commit=False,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return counts
