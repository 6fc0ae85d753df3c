"""Theme summaries: aggregation over stored analyses, in SQL, with small-group protection.

Public interface (exports build on it; keep it stable):

- `SummaryFilters` : what to summarise (one engagement, or filters across engagements).
- `build_summary(filters, unmasked_quotes=False) -> Summary`
- `summary_for(engagement, unmasked_quotes=False) -> Summary` (one engagement)
- `display(cell)` : the text to show for a `Cell` ("12", "fewer than 5").

Call inside a request context (the CLI uses `app.test_request_context()`): labels are
translated into the current locale.

Every count in a `Summary` is already protected: a suppressed `Cell` has `n=None`,
`share=None`, `suppressed=True` -- the raw number never leaves this module, so an export
cannot leak it by mistake. Quotes are PII-masked unless `unmasked_quotes=True`, which only
the on-screen page for admins may pass (never an export).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from engagement import labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, current_locale, localized_name
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
    School,
    StakeholderGroup,
    response_group,
)
from engagement.themes.pii import mask_pii
from engagement.themes.suppression import suppress_1d, suppress_independent

# --------------------------------------------------------------------------------------
# Interface
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryFilters:
    """What to summarise. Empty fields mean "no filter".

    `engagement_ids`: a single engagement gives the per-engagement summary (with change
    against the previous engagement of its series); several or None summarise across.
    `council_scope`: None for staff/admins; for a council lead, the ids of its councils, so
    only engagements tied to them are counted (the staff views always pass it).
    `subgroup`: a RaceEthnicity value, or "focus" for any of the plan's focus subgroups.
    """

    engagement_ids: tuple[int, ...] | None = None
    date_from: date | None = None
    date_to: date | None = None
    kind: str | None = None
    school_id: int | None = None
    council_id: int | None = None
    group_id: int | None = None
    locale: str | None = None
    subgroup: str | None = None
    council_scope: frozenset[int] | None = None


@dataclass(frozen=True)
class Cell:
    """One protected count. `key` is a stable code (for exports), `label` is translated."""

    key: str
    label: str
    n: int | None
    share: float | None = None  # 0..1 of the table's base, None when suppressed or no base
    suppressed: bool = False


@dataclass
class Breakdown:
    """Respondents by one dimension: group, language, school, channel or subgroup."""

    dimension: str
    title: str
    total: Cell
    cells: list[Cell]
    # Only for the stakeholder-group breakdown: people counted at events, by group.
    attendance: list[Cell] = field(default_factory=list)


@dataclass
class QuestionSummary:
    """A closed question as a distribution over its options."""

    code: str
    text: str
    kind: str
    answered: Cell
    options: list[Cell]
    agree: Cell | None = None  # Likert: agree + strongly agree, share of those answering


@dataclass(frozen=True)
class Quote:
    answer_id: int
    text: str
    lang: str
    sentiment: float | None
    masked: bool


@dataclass
class ThemeSummary:
    """One theme, ranked by share of responses (share base: responses with a written answer)."""

    code: str
    label: str
    description: str
    count: Cell
    sentiment: float | None  # None: not available (no method for the language, or too few)
    sentiment_n: int | None
    previous: Cell | None  # same theme in the previous engagement of the series
    change: float | None  # share now minus share then, in percentage points
    quotes: list[Quote]


@dataclass
class EquityRow:
    """Share of a theme among focus-subgroup families vs all, and non-English vs English."""

    code: str
    label: str
    all: Cell
    focus: Cell
    non_english: Cell
    english: Cell


@dataclass
class Summary:
    filters: SummaryFilters
    min_group_size: int
    engagement_count: int
    previous_engagement_id: int | None
    responses: Cell
    written: Cell  # responses with at least one written (open-text) answer: the theme base
    attendance: Cell  # people counted at in-person events
    participants: Cell  # responses not tied to an event + event attendance
    breakdowns: list[Breakdown]
    questions: list[QuestionSummary]
    themes: list[ThemeSummary]
    equity: list[EquityRow]
    focus_base: Cell  # written responses from the focus subgroups
    english_base: Cell
    non_english_base: Cell

    @property
    def too_small(self) -> bool:
        """True when the whole selection is below the group size: nothing is shown."""
        return self.responses.suppressed


def min_group_size() -> int:
    """MIN_GROUP_SIZE from the config (default 5)."""
    return int(current_app.config.get("MIN_GROUP_SIZE", 5))


def display(cell: Cell | None) -> str:
    """Text for a cell: its number, or "fewer than K" (translated) when suppressed."""
    if cell is None or (cell.n is None and not cell.suppressed):
        return _("not available")
    if cell.suppressed:
        return _("fewer than %(k)s", k=min_group_size())
    return str(cell.n)


def percent(cell: Cell | None) -> str:
    """The share of a cell as a whole percentage ("42%"), or "" when hidden / no base."""
    if cell is None or cell.share is None:
        return ""
    return _("%(pct)s%%", pct=round(cell.share * 100))


def summary_for(engagement, unmasked_quotes: bool = False) -> Summary:
    """The summary of one engagement (compared with the previous one of its series)."""
    return build_summary(SummaryFilters(engagement_ids=(engagement.id,)), unmasked_quotes)


def build_summary(filters: SummaryFilters, unmasked_quotes: bool = False) -> Summary:
    """Aggregate responses, closed questions, themes and the equity view, all protected."""
    k = min_group_size()
    where = _response_conditions(filters)
    totals = _response_totals(where)
    n_responses = sum(totals.values())
    responses = _cell("responses", _("Responses"), n_responses, k)
    engagement_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(Response.engagement_id).where(*where).distinct().subquery()
        )
    )
    attendance_n, attendance_by_group = _attendance(filters)
    at_event = 0 if attendance_n is None else _responses_at_events(where)
    bases = _written_bases(where)
    written = _cell("written", _("Wrote a comment"), bases["written"], k)
    focus_base, english_base, non_english_base = _equity_bases(bases, k)
    previous_id = _previous_engagement(filters)
    themes, equity = _themes(where, bases, previous_id, filters, k, unmasked_quotes)
    if attendance_n is None:
        attendance = Cell("attendance", _("Event attendance"), None)
        participants = Cell("participants", _("Participants"), None)
    else:
        attendance = _cell("attendance", _("Event attendance"), attendance_n, k)
        participants = _cell(
            "participants", _("Participants"), n_responses - at_event + attendance_n, k
        )
    summary = Summary(
        filters=filters,
        min_group_size=k,
        engagement_count=engagement_count or 0,
        previous_engagement_id=previous_id,
        responses=responses,
        written=written,
        attendance=attendance,
        participants=participants,
        breakdowns=_breakdowns(where, totals, n_responses, attendance_by_group, k),
        questions=_questions(filters, where, k),
        themes=themes,
        equity=equity,
        focus_base=focus_base,
        english_base=english_base,
        non_english_base=non_english_base,
    )
    return _blank_if_too_small(summary) if responses.suppressed or n_responses == 0 else summary


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    """Midnight of `day` in the district's time zone, as an aware datetime."""
    zone = ZoneInfo(current_app.config.get("DISTRICT_TIMEZONE", "UTC"))
    return datetime.combine(day, time.min, tzinfo=zone)


def _engagement_conditions(filters: SummaryFilters) -> list:
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


def _response_conditions(filters: SummaryFilters) -> list:
    """WHERE conditions on Response for the filters. Engagement-level filters become one
    `engagement_id IN (subquery)`, so no query joins every response to its engagement."""
    conditions = []
    engagement_level = _engagement_conditions(filters)
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
        conditions.append(sa.or_(
            Response.school_id == filters.school_id,
            sa.and_(Response.school_id.is_(None), Response.engagement_id.in_(
                sa.select(Engagement.id).where(Engagement.school_id == filters.school_id))),
        ))
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
    return conditions


def _event_conditions(filters: SummaryFilters) -> list:
    conditions = _engagement_conditions(filters)
    if filters.date_from:
        conditions.append(Event.held_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Event.held_on <= filters.date_to)
    if filters.school_id is not None:
        conditions.append(Engagement.school_id == filters.school_id)
    return conditions


# --------------------------------------------------------------------------------------
# Protection helpers
# --------------------------------------------------------------------------------------


def _cell(key, label, n, k, base=None) -> Cell:
    """A single count: hidden when 1..k-1; its share hidden when the base is small."""
    if n is not None and 0 < n < k:
        return Cell(key, str(label), None, None, True)
    share = None
    if base and base >= k and n is not None:
        share = n / base
    return Cell(key, str(label), n, share)


def _protected_cells(items, total, k, partition=True) -> list[Cell]:
    """Cells (key, label, n) protected together: complementary suppression when they add
    up to `total`, primary only when they overlap (one respondent in several cells)."""
    values = [n for _key, _label, n in items]
    if total is not None and 0 < total < k:
        hidden = [True] * len(values)
    elif partition and total is not None and sum(values) <= total:
        hidden = suppress_1d(values, k, total).cells
    else:
        hidden = suppress_independent(values, k)
    out = []
    for (key, label, n), h in zip(items, hidden, strict=True):
        if h:
            out.append(Cell(key, str(label), None, None, True))
        else:
            share = n / total if total and total >= k else None
            out.append(Cell(key, str(label), n, share))
    return out


def _pair(cells: list[Cell], raw: list[int]) -> list[Cell]:
    """Two overlapping counts of one whole (English / other languages): when one is hidden,
    hide the other too so that neither can be had by subtraction."""
    if any(c.suppressed for c in cells):
        return [
            c if c.suppressed or n == 0 else Cell(c.key, c.label, None, None, True)
            for c, n in zip(cells, raw, strict=True)
        ]
    return cells


def _blank_if_too_small(summary: Summary) -> Summary:
    """A selection below the group size shows no figure, share or quote at all."""
    hide = lambda c: Cell(c.key, c.label, None, None, True) if c and c.n else c  # noqa: E731
    summary.responses = hide(summary.responses)
    summary.written = hide(summary.written)
    summary.participants = hide(summary.participants)
    summary.focus_base = hide(summary.focus_base)
    summary.english_base = hide(summary.english_base)
    summary.non_english_base = hide(summary.non_english_base)
    for breakdown in summary.breakdowns:
        breakdown.total = hide(breakdown.total)
        breakdown.cells = [hide(c) for c in breakdown.cells]
    summary.questions = []
    summary.themes = []
    summary.equity = []
    return summary


# --------------------------------------------------------------------------------------
# Participation
# --------------------------------------------------------------------------------------

_NOT_STATED = "not_stated"


def _response_totals(where) -> dict:
    """Response counts by (locale, channel, school, race/ethnicity): one scan, few rows."""
    school = sa.func.coalesce(Response.school_id, Engagement.school_id)
    query = (
        sa.select(Response.locale, Response.channel, school, Response.race_ethnicity,
                  sa.func.count(Response.id))
        .join(Engagement, Engagement.id == Response.engagement_id)
        .where(*where)
        .group_by(Response.locale, Response.channel, school, Response.race_ethnicity)
    )
    return {tuple(row[:4]): row[4] for row in db.session.execute(query)}


def _rollup(totals: dict, index: int) -> dict:
    out: dict = {}
    for key, n in totals.items():
        out[key[index]] = out.get(key[index], 0) + n
    return out


def _breakdowns(where, totals, n_responses, attendance_by_group, k) -> list[Breakdown]:
    total = _cell("responses", _("Responses"), n_responses, k)
    out = []

    def add(dimension, title, items, partition=True, attendance=()):
        cells = _protected_cells(items, n_responses, k, partition)
        out.append(Breakdown(dimension, str(title), total, cells, list(attendance)))

    groups = _group_counts(where)
    group_rows = db.session.scalars(
        sa.select(StakeholderGroup).where(
            StakeholderGroup.id.in_(set(groups) | set(attendance_by_group))
        ).order_by(StakeholderGroup.kind, StakeholderGroup.position)
    ).all()
    items = [(g.code, localized_name(g).text, groups.get(g.id, 0)) for g in group_rows]
    att_items = [(g.code, localized_name(g).text, attendance_by_group.get(g.id, 0))
                 for g in group_rows]
    add("group", _("Stakeholder group"), items, partition=False,
        attendance=_protected_cells(att_items, sum(attendance_by_group.values()), k, False))

    by_locale = _rollup(totals, 0)
    add("language", _("Language of the form"),
        [(code, LANGUAGE_NAMES.get(code, code), n) for code, n in sorted(by_locale.items())])

    by_channel = _rollup(totals, 1)
    add("channel", _("Channel"),
        [(str(c), labels.CHANNEL.get(c, c), n) for c, n in sorted(by_channel.items())])

    by_school = _rollup(totals, 2)
    schools = {s.id: s for s in db.session.scalars(
        sa.select(School).where(School.id.in_([i for i in by_school if i is not None])))}
    school_items = [
        (schools[i].code, schools[i].name, n)
        for i, n in sorted(by_school.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        if i is not None
    ]
    if by_school.get(None):
        school_items.append((_NOT_STATED, _("Not stated"), by_school[None]))
    add("school", _("School"), school_items)

    by_race = _rollup(totals, 3)
    race_items = [(str(r), labels.RACE_ETHNICITY[r], by_race[r])
                  for r in labels.RACE_ETHNICITY if by_race.get(r)]
    if by_race.get(None):
        race_items.append((_NOT_STATED, _("Not stated"), by_race[None]))
    add("subgroup", _("Self-identified race or ethnicity"), race_items)
    return out


def _group_counts(where) -> dict[int, int]:
    query = (
        sa.select(response_group.c.group_id, sa.func.count(Response.id))
        .join(Response, Response.id == response_group.c.response_id)
        .where(*where)
        .group_by(response_group.c.group_id)
    )
    return dict(db.session.execute(query).all())


def _attendance(filters: SummaryFilters):
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


def _responses_at_events(where) -> int:
    """Responses written at an event (comment cards): already in the event's headcount."""
    return db.session.scalar(
        sa.select(sa.func.count(Response.id))
        .where(*where, Response.event_id.is_not(None))
    ) or 0


# --------------------------------------------------------------------------------------
# Closed questions
# --------------------------------------------------------------------------------------

_CLOSED = (QuestionKind.LIKERT5, QuestionKind.RATING, QuestionKind.SINGLE_CHOICE,
           QuestionKind.MULTI_CHOICE)
_AGREE = ("4", "5")


def _questions(filters: SummaryFilters, where, k) -> list[QuestionSummary]:
    """Closed questions of a single engagement as protected distributions."""
    if filters.engagement_ids is None or len(filters.engagement_ids) != 1:
        return []  # questions differ between engagements
    questions = db.session.scalars(
        sa.select(Question)
        .where(Question.engagement_id == filters.engagement_ids[0], Question.kind.in_(_CLOSED))
        .order_by(Question.position)
    ).all()
    if not questions:
        return []
    base = (
        sa.select(Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*where, Answer.choice.is_not(None))
    )
    counts: dict = {}
    for qid, choice, n in db.session.execute(
        base.add_columns(Answer.choice, sa.func.count()).group_by(Answer.question_id, Answer.choice)
    ):
        counts.setdefault(qid, {})[choice] = n
    answered = dict(db.session.execute(
        base.add_columns(sa.func.count(sa.distinct(Answer.response_id))).group_by(
            Answer.question_id)
    ).all())
    return [_question_summary(q, counts.get(q.id, {}), answered.get(q.id, 0), k)
            for q in questions]


def _option_label(question: Question, code: str) -> str:
    if question.kind == QuestionKind.LIKERT5:
        return str(labels.LIKERT5.get(code, code))
    if question.kind == QuestionKind.RATING:
        return str(labels.RATING.get(code, code))
    option = next((o for o in question.options if o.code == code), None)
    if option is None:
        return code
    row, _used = option.text(current_locale())
    return row.label if row else code


def _question_summary(question, counts: dict, answered: int, k) -> QuestionSummary:
    codes = list(question.choice_codes)
    codes += sorted(c for c in counts if c not in codes)  # options hidden since answered
    items = [(c, _option_label(question, c), counts.get(c, 0)) for c in codes]
    partition = question.kind != QuestionKind.MULTI_CHOICE
    options = _protected_cells(items, answered, k, partition)
    agree = None
    if question.kind == QuestionKind.LIKERT5:
        agree = _agree_cell(options, counts, answered, k)
    row, _used = question.text(current_locale())
    return QuestionSummary(
        code=question.code,
        text=row.text if row else question.code,
        kind=str(question.kind),
        answered=_cell("answered", _("Answered"), answered, k),
        options=options,
        agree=agree,
    )


def _agree_cell(options: list[Cell], counts: dict, answered: int, k) -> Cell:
    """Agree + strongly agree. Hidden when it would split the hidden options into two known
    sums (then one of them could be worked out) or when it is small itself."""
    n = sum(counts.get(c, 0) for c in _AGREE)
    hidden = {c.key for c in options if c.suppressed}
    label = _("Agree or strongly agree")
    if hidden and not (hidden <= set(_AGREE) or not hidden & set(_AGREE)):
        return Cell("agree", str(label), None, None, True)
    if answered < k:
        return Cell("agree", str(label), None, None, True)
    return _cell("agree", label, n, k, base=answered)


# --------------------------------------------------------------------------------------
# Themes, equity view and quotes
# --------------------------------------------------------------------------------------


def _codebook():
    try:
        from engagement.themes.codebook import get_codebook
    except ImportError:  # the pipeline is optional for reading stored summaries
        return None
    return get_codebook()


def theme_label(code: str, locale: str | None = None) -> tuple[str, str]:
    """(label, description) of a theme code in the current locale, from the codebook."""
    codebook = _codebook()
    theme = codebook.themes.get(code) if codebook else None
    if theme is None:
        return code.replace("_", " ").capitalize(), ""
    locale = locale or current_locale()
    return theme.label_for(locale), theme.description_for(locale)


def _is_focus():
    return Response.race_ethnicity.in_(FOCUS_SUBGROUPS)


def _written_bases(where) -> dict:
    """Responses with a written answer: all, focus subgroups, English, other languages.

    One pass over the written answers grouped per response (cheaper than one correlated
    EXISTS per condition)."""
    flag = lambda cond: sa.func.max(sa.case((cond, 1), else_=0))  # noqa: E731
    per_response = (
        sa.select(
            Response.id,
            flag(_is_focus()).label("focus"),
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


def _equity_bases(bases, k):
    focus = _cell("focus", _("Focus subgroups"), bases["focus"], k, base=bases["written"])
    pair = [
        _cell("english", _("English"), bases["en"], k, base=bases["written"]),
        _cell("non_english", _("Other languages"), bases["other"], k, base=bases["written"]),
    ]
    english, non_english = _pair(pair, [bases["en"], bases["other"]])
    return focus, english, non_english


def _theme_counts(where) -> list:
    """Per effective theme code: responses, mean sentiment, responses with a sentiment, and
    responses from the focus subgroups, in English and in other languages."""
    distinct_if = lambda cond: sa.func.count(sa.distinct(sa.case((cond, Response.id))))  # noqa: E731
    query = (
        sa.select(
            AnswerTheme.theme_code,
            sa.func.count(sa.distinct(Response.id)),
            sa.func.avg(AnswerAnalysis.sentiment),
            distinct_if(AnswerAnalysis.sentiment.is_not(None)),
            distinct_if(_is_focus()),
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


def _previous_engagement(filters: SummaryFilters) -> int | None:
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


def _previous_shares(previous_id: int | None, k) -> tuple[dict, int]:
    if previous_id is None:
        return {}, 0
    where = [Response.engagement_id == previous_id]
    base = _written_bases(where)["written"]
    counts = {row[0]: row[1] for row in _theme_counts(where)}
    return counts, base


def _themes(where, bases, previous_id, filters, k, unmasked):
    written = bases["written"]
    rows = _theme_counts(where)
    previous, previous_base = _previous_shares(previous_id, k)
    themes, equity = [], []
    for code, n, mean, n_sentiment, n_focus, n_en, n_other in sorted(
        rows, key=lambda r: (-r[1], r[0])
    ):
        label, description = theme_label(code)
        count = _cell(code, label, n, k, base=written)
        if count.suppressed or (n_sentiment or 0) < k:
            sentiment, sentiment_n = None, None
        else:
            sentiment, sentiment_n = round(float(mean), 2), n_sentiment
        prev_cell, change = None, None
        if previous_id is not None:
            prev_cell = _cell(code, label, previous.get(code, 0), k, base=previous_base)
            if count.share is not None and prev_cell.share is not None:
                change = round((count.share - prev_cell.share) * 100, 1)
        themes.append(ThemeSummary(code, label, description, count, sentiment, sentiment_n,
                                   prev_cell, change, []))
        english, non_english = _pair(
            [_cell("english", label, n_en, k, base=bases["en"]),
             _cell("non_english", label, n_other, k, base=bases["other"])],
            [n_en, n_other],
        )
        equity.append(EquityRow(code, label, count,
                                _cell("focus", label, n_focus, k, base=bases["focus"]),
                                non_english, english))
    shown = [t.code for t in themes if not t.count.suppressed and t.count.n]
    quotes = _quotes(where, shown, unmasked)
    for theme in themes:
        theme.quotes = quotes.get(theme.code, [])
    return themes, equity


QUOTES_PER_THEME = 3


QUOTE_CANDIDATES = 400


def _quotes(where, codes: list[str], unmasked: bool) -> dict[str, list[Quote]]:
    """Up to three quotes per theme: strongest feeling first, then most key phrases, then
    the oldest answer (deterministic). Hidden quotes never appear.

    One top-N query over the selection's answers gives candidates in that order; a theme's
    best three among them are its best three overall. Only a theme with fewer than three
    candidates gets its own top-3 query."""
    if not codes:
        return {}
    strength = sa.func.coalesce(sa.func.abs(AnswerAnalysis.sentiment), -1)
    order = (strength.desc(), _phrase_count().desc(), Answer.id)

    def quotable():
        return (
            sa.select(Answer.id, Answer.text, AnswerAnalysis.lang, AnswerAnalysis.sentiment)
            .join(Response, Response.id == Answer.response_id)
                .join(AnswerAnalysis, AnswerAnalysis.answer_id == Answer.id)
            .where(*where, Answer.text.is_not(None), Answer.quote_hidden.is_(False))
        )

    candidates = db.session.scalars(
        quotable().with_only_columns(Answer.id).order_by(*order).limit(QUOTE_CANDIDATES)
    ).all()
    # Fewer candidates than asked for: they are every quotable answer, nothing to fall back on.
    complete = len(candidates) < QUOTE_CANDIDATES
    found: dict[str, list] = {code: [] for code in codes}
    rows = db.session.execute(
        quotable()
        .add_columns(AnswerTheme.theme_code)
        .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .where(Answer.id.in_(candidates), AnswerTheme.theme_code.in_(codes),
               AnswerTheme.removed.is_(False))
        .order_by(*order)
    ).all()
    for answer_id, text, lang, sentiment, code in rows:
        if len(found[code]) < QUOTES_PER_THEME:
            found[code].append((answer_id, text, lang, sentiment))
    for code in codes:
        if len(found[code]) < QUOTES_PER_THEME and not complete:
            found[code] = db.session.execute(
                quotable()
                .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
                .where(AnswerTheme.theme_code == code, AnswerTheme.removed.is_(False))
                .order_by(*order)
                .limit(QUOTES_PER_THEME)
            ).all()
    return {
        code: [Quote(i, text if unmasked else mask_pii(text), lang, sentiment, not unmasked)
               for i, text, lang, sentiment in rows]
        for code, rows in found.items()
    }


def _phrase_count():
    """Number of key phrases stored for an answer (JSON array length on both databases)."""
    return sa.func.coalesce(sa.func.json_array_length(AnswerAnalysis.phrases), 0)
