"""Building a summary: aggregation over stored responses and analyses, in SQL, protected.

Every count in a `Summary` is already protected: a suppressed `Cell` has `n=None`,
`share=None`, `suppressed=True` -- the raw number never leaves this package, so an export
cannot leak it by mistake. Quotes are PII-masked unless `unmasked_quotes=True`, which only
the on-screen page for admins may pass (never an export).

Call inside a request context (the CLI uses `app.test_request_context()`): labels are
translated into the current locale.

This module assembles and protects; `model` holds the dataclasses and the cell rules,
`queries` the SQL, `quotes` the choice of quotes, `suppression` the small-group rules.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from engagement import labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, current_locale, localized_name
from engagement.models import Question, QuestionKind, School, StakeholderGroup
from engagement.summary import aggregated, differencing, periods, queries, stats
from engagement.summary.model import (
    Breakdown,
    Cell,
    EquityRow,
    QuestionSummary,
    Summary,
    SummaryFilters,
    ThemeSummary,
    blank_if_too_small,
    cell,
    pair,
    protected_cells,
)
from engagement.summary.quotes import QuoteRequest, select_quotes
from engagement.themes.codebook import get_codebook


def min_group_size() -> int:
    """MIN_GROUP_SIZE from the config (default 5): k inside the staff workspace."""
    return int(current_app.config.get("MIN_GROUP_SIZE", 5))


def report_min_group_size() -> int:
    """REPORT_MIN_GROUP_SIZE from the config (default 10): k of the Commitment 4 report and
    of anything published (DESE does not report a VOCAL survey item below 10 respondents)."""
    return int(current_app.config.get("REPORT_MIN_GROUP_SIZE", 10))


def summary_for(engagement, unmasked_quotes: bool = False, k: int | None = None) -> Summary:
    """The summary of one engagement (compared with the previous one of its series)."""
    return build_summary(SummaryFilters(engagement_ids=(engagement.id,)), unmasked_quotes, k)


def build_summary(
    filters: SummaryFilters, unmasked_quotes: bool = False, k: int | None = None
) -> Summary:
    """Aggregate responses, closed questions, themes and the equity view, all protected with
    group size `k` (default: `min_group_size()`; published outputs pass the report's;
    snapshots pass k=1 to read raw counts they protect themselves).

    Dates snap to whole weeks; a view across engagements is compared with every view it
    could be subtracted from (engagement.summary.differencing)."""
    k = min_group_size() if k is None else k
    filters = periods.snap(filters)
    source = aggregated.source(filters, k)
    totals, engagement_count = source.response_totals()
    n_responses = sum(totals.values())
    responses = cell("responses", _("Responses"), n_responses, k)
    attendance_n, attendance_by_group = queries.attendance(filters)
    at_event = 0 if attendance_n is None else source.responses_at_events()
    bases = source.written_bases()
    written = cell("written", _("Wrote a comment"), bases["written"], k)
    focus_base, english_base, non_english_base = _equity_bases(bases, k)
    previous_id = queries.previous_engagement(filters)
    themes, equity = _themes(source, bases, previous_id, k, unmasked_quotes)
    if attendance_n is None:
        attendance = Cell("attendance", _("Event attendance"), None)
        participants = Cell("participants", _("Participants"), None)
    else:
        attendance = cell("attendance", _("Event attendance"), attendance_n, k)
        participants = cell(
            "participants", _("Participants"), n_responses - at_event + attendance_n, k
        )
    summary = Summary(
        filters=filters,
        min_group_size=k,
        engagement_count=engagement_count,
        previous_engagement_id=previous_id,
        responses=responses,
        written=written,
        attendance=attendance,
        participants=participants,
        breakdowns=_breakdowns(source, totals, n_responses, attendance_by_group, k),
        questions=_questions(filters, source, k),
        themes=themes,
        equity=equity,
        focus_base=focus_base,
        english_base=english_base,
        non_english_base=non_english_base,
    )
    if responses.suppressed or n_responses == 0:
        return blank_if_too_small(summary)
    return stats.drop_hidden_tables(differencing.protect(summary, k))


def is_too_small(filters: SummaryFilters, k: int | None = None) -> bool:
    """`build_summary(filters, k=k).too_small` without building the summary, for pages that
    need only the flag: an engagement's page reads its stored counts (summary.aggregated);
    other views one grouped COUNT query (one more for the weeks of a dated view, one for a
    filter on a stakeholder group)."""
    k = min_group_size() if k is None else k
    filters = periods.snap(filters)
    if not differencing.compared(filters) or k <= 1:
        n = aggregated.source(filters, k).response_count()
        return 0 < n < k
    views = differencing.Views.load(filters, k, differencing.flag_parts(filters))
    n = views.value("responses")
    if 0 < n < k:
        return True
    return n > 0 and differencing.withheld(views)


# --------------------------------------------------------------------------------------
# Participation
# --------------------------------------------------------------------------------------

_NOT_STATED = "not_stated"


def _rollup(totals: dict, index: int) -> dict:
    out: dict = {}
    for key, n in totals.items():
        out[key[index]] = out.get(key[index], 0) + n
    return out


def _breakdowns(source, totals, n_responses, attendance_by_group, k) -> list[Breakdown]:
    total = cell("responses", _("Responses"), n_responses, k)
    out = []

    def add(dimension, title, items, partition=True, attendance=()):
        cells = protected_cells(items, n_responses, k, partition)
        out.append(Breakdown(dimension, str(title), total, cells, list(attendance)))

    groups = source.group_counts()
    group_rows = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.id.in_(set(groups) | set(attendance_by_group)))
        .order_by(StakeholderGroup.kind, StakeholderGroup.position)
    ).all()
    items = [(g.code, localized_name(g).text, groups.get(g.id, 0)) for g in group_rows]
    att_items = [
        (g.code, localized_name(g).text, attendance_by_group.get(g.id, 0)) for g in group_rows
    ]
    add(
        "group",
        _("Stakeholder group"),
        items,
        partition=False,
        attendance=protected_cells(att_items, sum(attendance_by_group.values()), k, False),
    )

    by_locale = _rollup(totals, 0)
    add(
        "language",
        _("Language of the form"),
        [(code, LANGUAGE_NAMES.get(code, code), n) for code, n in sorted(by_locale.items())],
    )

    by_channel = _rollup(totals, 1)
    add(
        "channel",
        _("Channel"),
        [(str(c), labels.CHANNEL.get(c, c), n) for c, n in sorted(by_channel.items())],
    )

    by_school = _rollup(totals, 2)
    schools = {
        s.id: s
        for s in db.session.scalars(
            sa.select(School).where(School.id.in_([i for i in by_school if i is not None]))
        )
    }
    school_items = [
        (schools[i].code, schools[i].name, n)
        for i, n in sorted(by_school.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        if i is not None
    ]
    if by_school.get(None):
        school_items.append((_NOT_STATED, _("Not stated"), by_school[None]))
    add("school", _("School"), school_items)

    by_race = _rollup(totals, 3)
    race_items = [
        (str(r), labels.RACE_ETHNICITY[r], by_race[r])
        for r in labels.RACE_ETHNICITY
        if by_race.get(r)
    ]
    if by_race.get(None):
        race_items.append((_NOT_STATED, _("Not stated"), by_race[None]))
    add("subgroup", _("Self-identified race or ethnicity"), race_items)
    return out


# --------------------------------------------------------------------------------------
# Closed questions
# --------------------------------------------------------------------------------------

_CLOSED = (
    QuestionKind.LIKERT5,
    QuestionKind.RATING,
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTI_CHOICE,
)
_AGREE = ("4", "5")


def _questions(filters: SummaryFilters, source, k) -> list[QuestionSummary]:
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
    counts, answered = source.choice_counts(questions)
    return [_question_summary(q, counts.get(q.id, {}), answered.get(q.id, 0), k) for q in questions]


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
    options = protected_cells(items, answered, k, partition)
    agree = None
    if question.kind == QuestionKind.LIKERT5:
        agree = _agree_cell(options, counts, answered, k)
    row, _used = question.text(current_locale())
    return QuestionSummary(
        code=question.code,
        text=row.text if row else question.code,
        kind=str(question.kind),
        answered=cell("answered", _("Answered"), answered, k),
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
    return cell("agree", label, n, k, base=answered)


# --------------------------------------------------------------------------------------
# Themes, equity view and quotes
# --------------------------------------------------------------------------------------


def theme_label(code: str) -> tuple[str, str]:
    """(label, description) of a theme code in the current locale, from the codebook."""
    theme = get_codebook().themes.get(code)
    if theme is None:
        return code.replace("_", " ").capitalize(), ""
    locale = current_locale()
    return theme.label_for(locale), theme.description_for(locale)


def _equity_bases(bases, k):
    focus = cell("focus", _("Focus subgroups"), bases["focus"], k, base=bases["written"])
    cells = [
        cell("english", _("English"), bases["en"], k, base=bases["written"]),
        cell("non_english", _("Other languages"), bases["other"], k, base=bases["written"]),
    ]
    english, non_english = pair(cells, [bases["en"], bases["other"]])
    return focus, english, non_english


def _themes(source, bases, previous_id, k, unmasked):
    written = bases["written"]
    rows = source.theme_counts()
    previous, previous_base = (
        ({}, 0) if previous_id is None else source.theme_responses(previous_id)
    )
    themes, equity, requests = [], [], []
    for code, n, mean, n_sentiment, n_focus, n_en, n_other in sorted(
        rows, key=lambda r: (-r[1], r[0])
    ):
        label, description = theme_label(code)
        count = cell(code, label, n, k, base=written)
        if count.suppressed or (n_sentiment or 0) < k:
            sentiment, sentiment_n = None, None
        else:
            sentiment, sentiment_n = round(float(mean), 2), n_sentiment
        prev_cell, change = None, None
        if previous_id is not None:
            prev_cell = cell(code, label, previous.get(code, 0), k, base=previous_base)
            if count.share is not None and prev_cell.share is not None:
                change = round((count.share - prev_cell.share) * 100, 1)
        themes.append(
            ThemeSummary(
                code, label, description, count, sentiment, sentiment_n, prev_cell, change, []
            )
        )
        english, non_english = pair(
            [
                cell("english", label, n_en, k, base=bases["en"]),
                cell("non_english", label, n_other, k, base=bases["other"]),
            ],
            [n_en, n_other],
        )
        equity.append(
            EquityRow(
                code,
                label,
                count,
                cell("focus", label, n_focus, k, base=bases["focus"]),
                non_english,
                english,
            )
        )
        if not count.suppressed and n:
            # A language group is quoted only when it is not a small group itself.
            requests.append(
                QuoteRequest(
                    code, english=n_en >= k, other=n_other >= k, other_first=n_other >= n_en
                )
            )
    quotes = select_quotes(source.where, requests, unmasked, k, source.written_languages)
    for theme in themes:
        theme.quotes = quotes.get(theme.code, [])
    return themes, equity
