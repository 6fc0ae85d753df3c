"""The summary's SQL: filters as WHERE conditions, and the few grouped queries that count
responses, closed answers, written answers and themes. Every function returns raw counts;
engagement.summary.build protects them before anything is shown.

Aggregation happens in the database: no function here loops over responses or answers in
Python, only over already-grouped rows (a handful per language, channel, school, ...).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from engagement.extensions import db
from engagement.models import (
    FOCUS_SUBGROUPS,
    Answer,
    AnswerAnalysis,
    AnswerTheme,
    Engagement,
    Event,
    EventAttendance,
    Question,
    QuestionKind,
    Response,
    response_group,
)
from engagement.summary.model import SummaryFilters

# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    """Midnight of `day` in the district's time zone, as an aware datetime."""
    zone = ZoneInfo(current_app.config.get("DISTRICT_TIMEZONE", "UTC"))
    return datetime.combine(day, time.min, tzinfo=zone)


def engagement_conditions(filters: SummaryFilters) -> list:
    """WHERE conditions on Engagement for the engagement-level filters."""
    conditions = []
    if filters.engagement_ids is not None:
        conditions.append(Engagement.id.in_(filters.engagement_ids or (-1,)))
    if filters.kind:
        conditions.append(Engagement.kind == filters.kind)
    if filters.council_id is not None:
        conditions.append(Engagement.council_id == filters.council_id)
    if filters.council_scope is not None:
        conditions.append(Engagement.council_id.in_(filters.council_scope or {-1}))
    return conditions


def response_conditions(filters: SummaryFilters) -> list:
    """WHERE conditions on Response for the filters. Engagement-level filters become one
    `engagement_id IN (subquery)`, so no query joins every response to its engagement.
    Responses held for review (engagement.holds) are never counted."""
    conditions = [Response.counted]
    engagement_level = engagement_conditions(filters)
    if filters.engagement_ids is not None:
        conditions.append(Response.engagement_id.in_(filters.engagement_ids or (-1,)))
        engagement_level = engagement_level[1:]
    if engagement_level:
        conditions.append(
            Response.engagement_id.in_(sa.select(Engagement.id).where(*engagement_level))
        )
    if filters.date_from:
        conditions.append(Response.submitted_at >= _day_start(filters.date_from))
    if filters.date_to:
        conditions.append(Response.submitted_at < _day_start(filters.date_to + timedelta(days=1)))
    if filters.school_id is not None:
        conditions.append(
            sa.or_(
                Response.school_id == filters.school_id,
                sa.and_(
                    Response.school_id.is_(None),
                    Response.engagement_id.in_(
                        sa.select(Engagement.id).where(Engagement.school_id == filters.school_id)
                    ),
                ),
            )
        )
    if filters.group_id is not None:
        member = response_group.alias("member")  # not correlated with an outer response_group
        conditions.append(
            sa.exists().where(
                member.c.response_id == Response.id, member.c.group_id == filters.group_id
            )
        )
    if filters.locale:
        conditions.append(Response.locale == filters.locale)
    if filters.subgroup == "focus":
        conditions.append(Response.race_ethnicity.in_(FOCUS_SUBGROUPS))
    elif filters.subgroup:
        conditions.append(Response.race_ethnicity == filters.subgroup)
    if filters.as_of is not None:
        conditions.append(
            sa.or_(
                sa.false(),
                *(
                    sa.and_(Response.engagement_id == engagement_id, Response.id <= last_id)
                    for engagement_id, last_id in filters.as_of
                ),
            )
        )
    return conditions


def whole_engagements(k: int):
    """Ids of the engagements with at least k responses (a subquery): views across
    engagements count only these, so that no view minus the pages of the engagements it
    holds leaves the few answers of an engagement too small to show on its own."""
    return (
        sa.select(Response.engagement_id)
        .where(Response.counted)
        .group_by(Response.engagement_id)
        .having(sa.func.count(Response.id) >= k)
    )


def response_count(where) -> int:
    """Responses matching the conditions (one COUNT, no grouping)."""
    return db.session.scalar(sa.select(sa.func.count(Response.id)).where(*where))


def _event_conditions(filters: SummaryFilters) -> list:
    conditions = engagement_conditions(filters)
    if filters.date_from:
        conditions.append(Event.held_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Event.held_on <= filters.date_to)
    if filters.school_id is not None:
        conditions.append(Engagement.school_id == filters.school_id)
    return conditions


# --------------------------------------------------------------------------------------
# Participation
# --------------------------------------------------------------------------------------


def response_totals(where) -> tuple[dict, int]:
    """({(locale, channel, school, race/ethnicity): responses}, engagements counted).

    One grouped scan of the responses, without a join: a response's school falls back to
    its engagement's, resolved on the grouped rows (a few per engagement)."""
    rows = db.session.execute(
        sa.select(
            Response.engagement_id,
            Response.locale,
            Response.channel,
            Response.school_id,
            Response.race_ethnicity,
            sa.func.count(),
        )
        .where(*where)
        .group_by(
            Response.engagement_id,
            Response.locale,
            Response.channel,
            Response.school_id,
            Response.race_ethnicity,
        )
    ).all()
    engagement_ids = {row[0] for row in rows}
    schools = (
        dict(
            db.session.execute(
                sa.select(Engagement.id, Engagement.school_id).where(
                    Engagement.id.in_(engagement_ids)
                )
            ).all()
        )
        if engagement_ids
        else {}
    )
    totals: dict = {}
    for engagement_id, locale, channel, school_id, race, n in rows:
        key = (locale, channel, school_id or schools.get(engagement_id), race)
        totals[key] = totals.get(key, 0) + n
    return totals, len(engagement_ids)


def group_counts(where) -> dict[int, int]:
    """Responses by stakeholder group (one response can be in several groups)."""
    query = (
        sa.select(response_group.c.group_id, sa.func.count(Response.id))
        .join(Response, Response.id == response_group.c.response_id)
        .where(*where)
        .group_by(response_group.c.group_id)
    )
    return dict(db.session.execute(query).all())


def attendance(filters: SummaryFilters):
    """(people at events, by group) -- None when a filter cannot apply to a headcount
    (language or race/ethnicity of a respondent)."""
    if filters.locale or filters.subgroup:
        return None, {}
    where = _event_conditions(filters)
    if filters.group_id is not None:
        total = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(EventAttendance.count), 0))
            .join(Event, Event.id == EventAttendance.event_id)
            .join(Engagement, Engagement.id == Event.engagement_id)
            .where(*where, EventAttendance.group_id == filters.group_id)
        )
    else:
        total = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Event.attendance), 0))
            .join(Engagement, Engagement.id == Event.engagement_id)
            .where(*where)
        )
    by_group = dict(
        db.session.execute(
            sa.select(EventAttendance.group_id, sa.func.sum(EventAttendance.count))
            .join(Event, Event.id == EventAttendance.event_id)
            .join(Engagement, Engagement.id == Event.engagement_id)
            .where(*where)
            .group_by(EventAttendance.group_id)
        ).all()
    )
    return int(total or 0), {g: int(n) for g, n in by_group.items()}


def responses_at_events(where) -> int:
    """Responses written at an event (comment cards): already in the event's headcount."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(*where, Response.event_id.is_not(None))
        )
        or 0
    )


# --------------------------------------------------------------------------------------
# Closed questions
# --------------------------------------------------------------------------------------


def choice_counts(questions: list[Question], where) -> tuple[dict, dict]:
    """({question id: {choice: answers}}, {question id: responses answering}) for closed
    questions. One grouped query; only multiple-choice questions (several answers per
    response) need a second, distinct count."""
    ids = [q.id for q in questions]
    counts: dict = {}
    for qid, choice, n in db.session.execute(
        sa.select(Answer.question_id, Answer.choice, sa.func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(*where, Answer.question_id.in_(ids), Answer.choice.is_not(None))
        .group_by(Answer.question_id, Answer.choice)
    ):
        counts.setdefault(qid, {})[choice] = n
    answered = {qid: sum(by_choice.values()) for qid, by_choice in counts.items()}
    multi = [q.id for q in questions if q.kind == QuestionKind.MULTI_CHOICE and q.id in counts]
    if multi:
        answered.update(
            db.session.execute(
                sa.select(Answer.question_id, sa.func.count(sa.distinct(Answer.response_id)))
                .join(Response, Response.id == Answer.response_id)
                .where(*where, Answer.question_id.in_(multi), Answer.choice.is_not(None))
                .group_by(Answer.question_id)
            ).all()
        )
    return counts, answered


# --------------------------------------------------------------------------------------
# Written answers and themes
# --------------------------------------------------------------------------------------


def is_focus():
    """True for a response from one of the plan's focus subgroups."""
    return Response.race_ethnicity.in_(FOCUS_SUBGROUPS)


def written_bases(where) -> dict:
    """Responses with a written answer: all, focus subgroups, English, other languages.

    One pass over the written answers grouped per response (cheaper than one correlated
    EXISTS per condition)."""
    flag = lambda cond: sa.func.max(sa.case((cond, 1), else_=0))  # noqa: E731
    per_response = (
        sa.select(
            Response.id,
            flag(is_focus()).label("focus"),
            flag(AnswerAnalysis.lang == "en").label("en"),
            flag(AnswerAnalysis.lang != "en").label("other"),
        )
        .join(Answer, sa.and_(Answer.response_id == Response.id, Answer.text.is_not(None)))
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        .where(*where)
        .group_by(Response.id)
        .subquery()
    )
    total = lambda column: sa.func.coalesce(sa.func.sum(column), 0)  # noqa: E731
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            total(per_response.c.focus),
            total(per_response.c.en),
            total(per_response.c.other),
        )
    ).one()
    return dict(zip(("written", "focus", "en", "other"), map(int, row), strict=True))


def written_languages(where) -> dict[str, int]:
    """Responses with a written answer, by the language the answer is written in (a response
    with answers in two languages counts in both): the base of the per-language quote rule."""
    rows = db.session.execute(
        sa.select(AnswerAnalysis.lang, sa.func.count(sa.distinct(Response.id)))
        .join(Answer, Answer.id == AnswerAnalysis.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where, Answer.text.is_not(None))
        .group_by(AnswerAnalysis.lang)
    ).all()
    return dict(rows)


def theme_counts(where) -> list:
    """Per effective theme code: responses, mean sentiment, responses with a sentiment, and
    responses from the focus subgroups, in English and in other languages."""
    distinct_if = lambda cond: sa.func.count(sa.distinct(sa.case((cond, Response.id))))  # noqa: E731
    query = (
        sa.select(
            AnswerTheme.theme_code,
            sa.func.count(sa.distinct(Response.id)),
            sa.func.avg(AnswerAnalysis.sentiment),
            distinct_if(AnswerAnalysis.sentiment.is_not(None)),
            distinct_if(is_focus()),
            distinct_if(AnswerAnalysis.lang == "en"),
            distinct_if(AnswerAnalysis.lang != "en"),
        )
        .select_from(AnswerTheme)
        .join(Answer, Answer.id == AnswerTheme.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
        # Manual rows replace automatic ones (one row per answer and code); a manual
        # "removed" row keeps the code off.
        .where(*where, AnswerTheme.removed.is_(False))
        .group_by(AnswerTheme.theme_code)
    )
    return db.session.execute(query).all()


def theme_responses(where) -> tuple[dict[str, int], int]:
    """({theme code: responses}, responses with a written answer): the light version of
    the two queries above, for the previous engagement of a series."""
    counts = dict(
        db.session.execute(
            sa.select(AnswerTheme.theme_code, sa.func.count(sa.distinct(Answer.response_id)))
            .join(Answer, Answer.id == AnswerTheme.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(*where, AnswerTheme.removed.is_(False))
            .group_by(AnswerTheme.theme_code)
        ).all()
    )
    base = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Answer.response_id)))
        .join(Response, Response.id == Answer.response_id)
        .where(*where, Answer.text.is_not(None))
    )
    return counts, base or 0


def previous_engagement(filters: SummaryFilters) -> int | None:
    """The latest earlier engagement of the same series (for a one-engagement summary)."""
    if filters.engagement_ids is None or len(filters.engagement_ids) != 1:
        return None
    current = db.session.get(Engagement, filters.engagement_ids[0])
    if current is None or not current.series or current.opens_at is None:
        return None
    query = sa.select(Engagement.id).where(
        Engagement.series == current.series,
        Engagement.opens_at < current.opens_at,
        Engagement.id != current.id,
    )
    if filters.council_scope is not None:
        query = query.where(Engagement.council_id.in_(filters.council_scope or {-1}))
    return db.session.scalar(query.order_by(Engagement.opens_at.desc()).limit(1))
