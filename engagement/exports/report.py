"""The Commitment 4 evidence report ("Engaging All Families", Student Opportunity Act plan):
what engagement happened in a date range, who took part against the enrollment baseline,
what families said, what the district did, and progress against the district's targets.

Every count of people comes from engagement.summary (protected there); this module
only counts meetings and translations, and derives the few totals the targets need with
`derived_total`, which refuses any total that would reveal a suppressed cell.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from engagement import labels
from engagement.exports import report_parts as parts
from engagement.exports.targets import Baseline, ReportTargets, Target, load_targets
from engagement.extensions import db
from engagement.i18n import (
    LANGUAGE_NAMES,
    LocalizedText,
    _,
    current_locale,
    localized,
    localized_name,
)
from engagement.models import (
    FOCUS_SUBGROUPS,
    Answer,
    Engagement,
    EngagementKind,
    EngagementStatus,
    EngagementText,
    Event,
    GroupKind,
    LoopAction,
    RaceEthnicity,
    Response,
    School,
    SchoolLevel,
    StakeholderGroup,
)
from engagement.summary import (
    Cell,
    Quote,
    Summary,
    SummaryFilters,
    ThemeSummary,
    build_summary,
    report_min_group_size,
)
from engagement.summary.differencing import shared_counts

TOP_THEMES = 3
QUOTES_PER_THEME = 2
EVENT_KINDS = (
    EngagementKind.FORUM,
    EngagementKind.ADVISORY_COUNCIL,
    EngagementKind.COFFEE_CONVERSATION,
)


def district_today() -> date:
    """Today's date in the district's time zone."""
    return datetime.now(ZoneInfo(current_app.config["DISTRICT_TIMEZONE"])).date()


def school_year(day: date) -> tuple[date, date]:
    """The school year (1 July to 30 June) that contains `day`."""
    first = date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    return first, date(first.year + 1, 6, 30)


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    """The report period: given dates, else the school year of the other date or of today."""
    if start is None and end is None:
        return school_year(district_today())
    if start is None:
        start = school_year(end)[0]
    if end is None:
        end = school_year(start)[1]
    if start > end:
        raise ValueError(_("The start date must be on or before the end date."))
    return start, end


@dataclass
class KindRow:
    kind: str
    label: str
    engagements: int
    events: int | None  # None for surveys (no meetings)
    responses: Cell
    attendance: Cell | None


@dataclass
class LanguageRow:
    locale: str
    name: str
    offered: int  # engagements offered in this language
    interpreted: int  # events held with interpretation in it
    responses: Cell | None
    enrollment: float | None


@dataclass
class SubgroupRow:
    code: str
    label: str
    respondents: Cell | None
    enrollment: float | None
    focus: bool


@dataclass
class GroupThemes:
    code: str
    name: LocalizedText
    responses: Cell
    themes: list[ThemeSummary]


@dataclass
class ActionRow:
    engagement: LocalizedText
    theme: str
    heard: LocalizedText
    did: LocalizedText
    status: str


@dataclass
class TargetRow:
    code: str
    label: str
    target: float
    actual: float | None  # None: withheld (small groups) or not measurable
    is_share: bool
    met: bool | None
    detail: str = ""
    note: str = ""


@dataclass
class Report:
    start: date
    end: date
    locale: str
    district: str
    generated: date
    min_group_size: int
    overview: Summary
    kinds: list[KindRow]
    languages: list[LanguageRow]
    offered_everywhere: int
    active_engagements: int
    groups: list[Cell]
    attendance: list[Cell]
    subgroups: list[SubgroupRow]
    focus_share: float | None
    focus_enrollment: float | None
    group_themes: list[GroupThemes]
    actions: list[ActionRow]
    targets: list[TargetRow]
    baseline: Baseline
    schools: list[parts.SchoolRow] = field(default_factory=list)
    councils: list[parts.CouncilRow] = field(default_factory=list)
    recorded_groups: set[str] = field(default_factory=set)
    top_themes: list[ThemeSummary] = field(default_factory=list)
    gaps: list[parts.Gap] = field(default_factory=list)
    trend: parts.Trend | None = None

    @property
    def baseline_source(self) -> str:
        return self.baseline.source

    @property
    def baseline_as_of(self) -> str:
        return self.baseline.as_of

    @property
    def response_count(self) -> int | None:
        return self.overview.responses.n


def derived_total(total: int | None, parts: list[Cell], k: int) -> int | None:
    """`total`, a sum of `parts` worked out from shown figures, or None when showing it would
    reveal a suppressed part: exactly one part hidden, hidden parts adding up to 1..k-1, or
    to no more than their number."""
    if total is None:
        return None
    hidden = [cell for cell in parts if cell.suppressed or cell.n is None]
    if not hidden:
        return total
    hidden_sum = total - sum(cell.n for cell in parts if not (cell.suppressed or cell.n is None))
    # A hidden cell is never 0 when its total is shown, so hidden parts that add up to no
    # more than their number are each exactly 1.
    if len(hidden) == 1 or 0 < hidden_sum < k or hidden_sum <= len(hidden):
        return None
    return total


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(current_app.config["DISTRICT_TIMEZONE"])
    return (
        datetime.combine(start, time.min, tz),
        datetime.combine(end + timedelta(days=1), time.min, tz),
    )


def active_engagements(start: date, end: date) -> list[Engagement]:
    """Engagements open to families at some point in the period (drafts never count)."""
    first, after = _bounds(start, end)
    opened = sa.func.coalesce(Engagement.opens_at, Engagement.created_at)
    stmt = (
        sa.select(Engagement)
        .where(Engagement.status != EngagementStatus.DRAFT, opened < after)
        .where(sa.or_(Engagement.closes_at.is_(None), Engagement.closes_at >= first))
        .order_by(Engagement.id)
    )
    return list(db.session.scalars(stmt))


def _events(start: date, end: date) -> list[tuple]:
    stmt = (
        sa.select(
            Event.id,
            Event.languages,
            Engagement.kind,
            sa.func.coalesce(Event.school_id, Engagement.school_id).label("school_id"),
            Engagement.council_id,
        )
        .join(Engagement, Engagement.id == Event.engagement_id)
        .where(Event.held_on >= start, Event.held_on <= end)
    )
    return list(db.session.execute(stmt))


def build_report(start: date, end: date, targets: ReportTargets | None = None) -> Report:
    """Everything the report shows, for the period, in the current locale."""
    # A dozen views of one period: their small-group checks share one set of grouped queries.
    with shared_counts():
        return _build(start, end, targets or load_targets())


def _build(start: date, end: date, targets: ReportTargets) -> Report:
    # A published report: DESE's group size (REPORT_MIN_GROUP_SIZE), not the workspace's.
    k = report_min_group_size()
    locale = current_locale()
    period = {"date_from": start, "date_to": end}
    overview = build_summary(SummaryFilters(**period), k=k)
    engagements = active_engagements(start, end)
    events = _events(start, end)
    breakdowns = {b.dimension: b for b in overview.breakdowns}
    group_breakdown = breakdowns.get("group")
    language_cells = _cells(breakdowns.get("language"))
    languages, everywhere = _languages(
        engagements, events, language_cells, targets, overview.responses
    )
    subgroups, focus_share = _subgroups(overview, breakdowns.get("subgroup"), targets, k)
    report = Report(
        start=start,
        end=end,
        locale=locale,
        district=current_app.config["DISTRICT_NAME"],
        generated=district_today(),
        min_group_size=k,
        overview=overview,
        kinds=_kinds(engagements, events, period, k),
        languages=languages,
        offered_everywhere=everywhere,
        active_engagements=len(engagements),
        groups=list(group_breakdown.cells) if group_breakdown else [],
        attendance=list(group_breakdown.attendance) if group_breakdown else [],
        subgroups=subgroups,
        focus_share=focus_share,
        focus_enrollment=_focus_enrollment(targets),
        group_themes=_group_themes(period, k),
        actions=_actions(engagements, locale),
        targets=[],
        baseline=targets.baseline,
    )
    report.schools = parts.school_rows(overview, targets.baseline.school_shares())
    report.recorded_groups = parts.recorded_groups(start, end)
    report.councils = parts.councils(events, report.attendance, report.recorded_groups)
    report.top_themes = parts.top_themes(overview, TOP_THEMES)
    report.gaps = parts.gaps(report, k)
    previous = parts.previous_period(start, end)
    before = build_summary(SummaryFilters(date_from=previous[0], date_to=previous[1]), k=k)
    report.trend = parts.trend(overview, before, *previous)
    parts.quote_once(report.group_themes, QUOTES_PER_THEME)
    non_english = _non_english_share(overview, language_cells, k)
    report.targets = [_target_row(t, report, events, non_english, locale) for t in targets.targets]
    return report


def _cells(breakdown) -> dict[str, Cell]:
    return {cell.key: cell for cell in breakdown.cells} if breakdown else {}


def _kinds(engagements, events, period, k) -> list[KindRow]:
    rows = []
    for kind in EngagementKind:
        summary = build_summary(SummaryFilters(kind=kind.value, **period), k=k)
        held = sum(1 for event in events if event.kind == kind)
        rows.append(
            KindRow(
                kind=kind.value,
                label=str(labels.KIND[kind]),
                engagements=sum(1 for e in engagements if e.kind == kind),
                events=held if kind in EVENT_KINDS else None,
                responses=summary.responses,
                attendance=summary.attendance if kind in EVENT_KINDS else None,
            )
        )
    return rows


def _offered_locales(engagements) -> dict[int, set[str]]:
    """Engagement id -> locales with a filled-in title (the form exists in that language)."""
    found: dict[int, set[str]] = {e.id: set() for e in engagements}
    if not found:
        return found
    stmt = sa.select(EngagementText.engagement_id, EngagementText.locale).where(
        EngagementText.engagement_id.in_(list(found)), sa.func.trim(EngagementText.title) != ""
    )
    for engagement_id, locale in db.session.execute(stmt):
        found[engagement_id].add(locale)
    return found


def _none_in(code, cells, total: Cell) -> Cell | None:
    """A language with no responses is absent from the summary's table: show it as 0 when
    the period's total is shown (the summary shows zeros then too), else nothing."""
    if total.suppressed or not total.n:
        return None
    return Cell(code, LANGUAGE_NAMES.get(code, code), 0, 0.0)


def _languages(engagements, events, language_cells, targets, total: Cell):
    offered = _offered_locales(engagements)
    rows = []
    everywhere = 0
    for code in current_app.config["LANGUAGES"]:
        count = sum(1 for locales in offered.values() if code in locales)
        if offered and count == len(offered):
            everywhere += 1
        rows.append(
            LanguageRow(
                locale=code,
                name=LANGUAGE_NAMES.get(code, code),
                offered=count,
                interpreted=sum(1 for event in events if code in (event.languages or [])),
                responses=language_cells.get(code) or _none_in(code, language_cells, total),
                enrollment=targets.baseline.home_language.get(code),
            )
        )
    return rows, everywhere


def _subgroups(overview, breakdown, targets, k):
    cells = _cells(breakdown)
    rows = []
    for race in RaceEthnicity:
        if race == RaceEthnicity.PREFER_NOT_TO_SAY and race.value not in cells:
            continue
        rows.append(
            SubgroupRow(
                code=race.value,
                label=str(labels.RACE_ETHNICITY[race]),
                respondents=cells.get(race.value),
                enrollment=targets.baseline.race_ethnicity.get(race.value),
                focus=race in FOCUS_SUBGROUPS,
            )
        )
    total = overview.responses.n
    if not total:
        return rows, None
    focus_parts = [cells[r.value] for r in FOCUS_SUBGROUPS if r.value in cells]
    if all(parts.shown(cell) for cell in focus_parts):
        # Every focus subgroup's count is shown: their sum tells nothing more (no query).
        return rows, sum(cell.n for cell in focus_parts) / total
    focus = build_summary(SummaryFilters(**_period(overview), subgroup="focus"), k=k).responses
    other_parts = [c for key, c in cells.items() if key not in {r.value for r in FOCUS_SUBGROUPS}]
    shown = derived_total(focus.n, focus_parts, k)
    rest = derived_total(None if focus.n is None else total - focus.n, other_parts, k)
    if shown is None or rest is None:
        return rows, None
    return rows, shown / total


def _focus_enrollment(targets: ReportTargets) -> float | None:
    shares = targets.baseline.race_ethnicity
    known = [shares[r.value] for r in FOCUS_SUBGROUPS if r.value in shares]
    return sum(known) if known else None


def _period(summary: Summary) -> dict:
    return {"date_from": summary.filters.date_from, "date_to": summary.filters.date_to}


def _non_english_share(overview, language_cells, k) -> float | None:
    total = overview.responses.n
    english = language_cells.get("en")
    if not total or english is None or english.n is None:
        return None
    others = [cell for key, cell in language_cells.items() if key != "en"]
    count = derived_total(total - english.n, others, k)
    return None if count is None else count / total


def _group_themes(period, k) -> list[GroupThemes]:
    roles = db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.ROLE)
        .order_by(StakeholderGroup.position, StakeholderGroup.id)
    )
    result = []
    for group in roles:
        summary = build_summary(SummaryFilters(group_id=group.id, **period), k=k)
        themes = [t for t in summary.themes if not t.count.suppressed][:TOP_THEMES]
        result.append(
            GroupThemes(
                code=group.code,
                name=localized_name(group),
                responses=summary.responses,
                themes=themes,
            )
        )
    return result


def used_quotes(theme: ThemeSummary) -> list[Quote]:
    """The quotes the report prints under a theme: its first QUOTES_PER_THEME distinct ones."""
    seen, out = set(), []
    for quote in theme.quotes:
        if quote.text not in seen:
            seen.add(quote.text)
            out.append(quote)
    return out[:QUOTES_PER_THEME]


@dataclass(frozen=True)
class MissingEnglish:
    """A quote the report prints in another language without an English rendering."""

    answer_id: int
    engagement_slug: str
    lang: str
    text: str


def missing_english(report: Report) -> list[MissingEnglish]:
    """The quotes the report prints in a language other than English that have no English
    rendering yet, once each, in report order, with their engagement (to link to the page
    where staff write one). For the staff view only: never printed in the report."""
    quotes = {}
    for group in report.group_themes:
        for theme in group.themes:
            for quote in used_quotes(theme):
                if quote.lang != "en" and not quote.english:
                    quotes.setdefault(quote.answer_id, quote)
    if not quotes:
        return []
    slugs = dict(
        db.session.execute(
            sa.select(Answer.id, Engagement.slug)
            .join(Response, Response.id == Answer.response_id)
            .join(Engagement, Engagement.id == Response.engagement_id)
            .where(Answer.id.in_(sorted(quotes)))
        ).all()
    )
    return [
        MissingEnglish(answer_id, slugs[answer_id], quote.lang, quote.text)
        for answer_id, quote in quotes.items()
        if answer_id in slugs
    ]


def _actions(engagements, locale) -> list[ActionRow]:
    ids = [e.id for e in engagements]
    if not ids:
        return []
    from engagement.themes.codebook import get_codebook

    themes = get_codebook().themes
    stmt = (
        sa.select(LoopAction)
        .where(LoopAction.engagement_id.in_(ids))
        .order_by(LoopAction.engagement_id, LoopAction.position, LoopAction.id)
    )
    rows = []
    for action in db.session.scalars(stmt):
        rows.append(
            ActionRow(
                engagement=localized(action.engagement, "title", locale),
                theme=_theme_label(themes, action.theme_code, locale),
                heard=localized(action, "heard", locale),
                did=localized(action, "did", locale),
                status=str(labels.ACTION_STATUS[action.status]),
            )
        )
    return rows


def _theme_label(themes, code, locale) -> str:
    theme = themes.get(code) if code else None
    return theme.label_for(locale) if theme else (code or "")


def _schools() -> list[int]:
    stmt = sa.select(School.id).where(School.level != SchoolLevel.DISTRICT)
    return list(db.session.scalars(stmt))


def _target_row(target: Target, report: Report, events, non_english, locale) -> TargetRow:
    label, actual, detail = _measure(target, report, events, non_english)
    met = None if actual is None else actual >= target.target
    return TargetRow(
        code=target.code,
        label=label,
        target=target.target,
        actual=actual,
        is_share=target.metric in {"focus_subgroup_share", "non_english_share"},
        met=met,
        detail=detail,
        note=target.note_in(locale),
    )


def _measure(target: Target, report: Report, events, non_english):
    metric = target.metric
    if metric == "focus_subgroup_share":
        return _("Share of responses from families in the focus subgroups"), report.focus_share, ""
    if metric == "non_english_share":
        return _("Share of responses in a language other than English"), non_english, ""
    if metric == "languages_offered":
        detail = _(
            "Counted: languages in which all %(total)s engagements of the period were offered",
            total=report.active_engagements,
        )
        return _("Languages offered"), float(report.offered_everywhere), detail
    if metric == "responses_total":
        n = report.overview.responses.n
        return _("Responses received"), None if n is None else float(n), ""
    return _events_per_school(target, events)


def _events_per_school(target: Target, events):
    kinds = ", ".join(str(labels.KIND[EngagementKind(k)]) for k in target.kinds)
    label = _("%(kinds)s: meetings per school", kinds=kinds)
    schools = _schools()
    if not schools:
        return label, None, ""
    wanted = [e for e in events if e.kind in target.kinds]
    # Only a school's own meetings count for it: a district-wide meeting is open to every
    # school's families, but it is not a meeting held at or for any one school.
    per_school = [sum(1 for e in wanted if e.school_id == s) for s in schools]
    reached = sum(1 for count in per_school if count >= target.target)
    district_wide = sum(1 for e in wanted if e.school_id is None)
    # Every school must get there: the figure shown is the school with the fewest meetings.
    detail = _(
        "Fewest at any school; %(reached)s of %(total)s schools reached the target",
        reached=reached,
        total=len(schools),
    )
    if district_wide:
        detail += " " + _(
            "(district-wide meetings, not counted for any school: %(n)s)", n=district_wide
        )
    return label, float(min(per_school)), detail
