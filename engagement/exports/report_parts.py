"""The Commitment 4 report's comparisons: participation by school against enrollment, who
we have not heard from, the trend against the previous period, attendance by council, and
each quote used once.

Every count comes from engagement.summary, already protected with the report's group size;
this module only compares shown figures, and withholds any comparison built on a hidden one.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, localized_name
from engagement.models import (
    Event,
    EventAttendance,
    GroupKind,
    School,
    SchoolLevel,
    StakeholderGroup,
)
from engagement.summary import Cell, Quote, Summary, ThemeSummary

TREND_THEMES = 5


@dataclass
class SchoolRow:
    code: str
    name: str
    responses: Cell | None  # None: the period's total is hidden
    enrollment: float | None  # share of enrolled students; None: not in the baseline


@dataclass
class Gap:
    """A group whose share of responses is under its share of enrollment."""

    dimension: str  # "subgroup", "language" or "school"
    label: str
    lang: str | None  # a language's own code (its name is written in it)
    responses: Cell
    enrollment: float


@dataclass
class TrendRow:
    label: str
    now: Cell | None
    then: Cell | None
    change: float | None  # share now minus share then, percentage points; None: withheld
    lang: str | None = None


@dataclass
class Trend:
    start: date
    end: date
    responses_now: Cell
    responses_then: Cell
    change: int | None  # responses now minus then; None when either is hidden
    languages: list[TrendRow] = field(default_factory=list)
    themes: list[TrendRow] = field(default_factory=list)


@dataclass
class CouncilRow:
    code: str
    name: object  # LocalizedText
    meetings: int  # meetings of the council's own engagements in the period
    attendance: Cell | None  # None: no meeting of the period recorded this council's people


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before `start`."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def shown(cell: Cell | None) -> bool:
    return cell is not None and not cell.suppressed and cell.n is not None


def _cells(summary: Summary, dimension: str) -> dict[str, Cell]:
    for breakdown in summary.breakdowns:
        if breakdown.dimension == dimension:
            return {cell.key: cell for cell in breakdown.cells}
    return {}


def _zero_or_none(code: str, label: str, total: Cell) -> Cell | None:
    """Nobody from this school answered: 0 when the period's total is shown (the summary
    shows zeros then too), else nothing."""
    if not shown(total) or not total.n:
        return None
    return Cell(code, label, 0, 0.0)


def school_rows(overview: Summary, shares: dict[str, float]) -> list[SchoolRow]:
    """Responses by the school a respondent gave (or the engagement's), every school listed."""
    cells = _cells(overview, "school")
    schools = db.session.scalars(
        sa.select(School)
        .where(School.level != SchoolLevel.DISTRICT)
        .order_by(School.position, School.name)
    )
    return [
        SchoolRow(
            code=school.code,
            name=school.name,
            responses=cells.get(school.code)
            or _zero_or_none(school.code, school.name, overview.responses),
            enrollment=shares.get(school.code),
        )
        for school in schools
    ]


def under_enrollment(cell: Cell | None, enrollment: float | None, total: Cell, k: int) -> bool:
    """True when a group's share of responses is known to be under its share of enrollment.
    A hidden cell (1 to k-1 people) is known to be under only when its enrolled share of
    the responses would be k or more: saying so tells nothing the "fewer than" did not."""
    if cell is None or not enrollment or not shown(total) or not total.n:
        return False
    if shown(cell):
        return cell.n / total.n < enrollment
    return cell.suppressed and enrollment * total.n >= k


def gaps(report, k: int) -> list[Gap]:
    """Who we have not heard from: subgroups, languages and schools under their share of
    enrollment, largest shortfall first within each."""
    total = report.overview.responses
    found = []
    for row in report.subgroups:
        # A race or ethnicity nobody chose is absent from the summary's table: 0.
        cell = row.respondents or _zero_or_none(row.code, row.label, total)
        if under_enrollment(cell, row.enrollment, total, k):
            found.append(Gap("subgroup", row.label, None, cell, row.enrollment))
    for row in report.languages:
        if under_enrollment(row.responses, row.enrollment, total, k):
            found.append(Gap("language", row.name, row.locale, row.responses, row.enrollment))
    for row in report.schools:
        if under_enrollment(row.responses, row.enrollment, total, k):
            found.append(Gap("school", row.name, None, row.responses, row.enrollment))
    order = {"subgroup": 0, "language": 1, "school": 2}
    return sorted(found, key=lambda g: (order[g.dimension], -(g.enrollment - _share(g, total))))


def _share(gap: Gap, total: Cell) -> float:
    return gap.responses.n / total.n if shown(gap.responses) and total.n else 0.0


def _change(now: Cell | None, then: Cell | None) -> float | None:
    if now is None or then is None or now.share is None or then.share is None:
        return None
    return round((now.share - then.share) * 100, 1)


def trend(overview: Summary, previous: Summary, start: date, end: date) -> Trend:
    """This period against the previous one: responses, languages, the top themes. A change
    is shown only between two shown figures."""
    now_total, then_total = overview.responses, previous.responses
    change = now_total.n - then_total.n if shown(now_total) and shown(then_total) else None
    now_lang, then_lang = _cells(overview, "language"), _cells(previous, "language")
    languages = [
        TrendRow(
            LANGUAGE_NAMES.get(code, code),
            now_lang.get(code),
            then_lang.get(code),
            _change(now_lang.get(code), then_lang.get(code)),
            lang=code,
        )
        for code in sorted(set(now_lang) | set(then_lang), key=_language_order)
    ]
    then_themes = {t.code: t.count for t in previous.themes}
    themes = []
    for theme in _top(overview.themes, TREND_THEMES):
        then = then_themes.get(theme.code)
        themes.append(TrendRow(theme.label, theme.count, then, _change(theme.count, then)))
    return Trend(start, end, now_total, then_total, change, languages, themes)


def _language_order(code: str):
    from flask import current_app

    order = list(current_app.config["LANGUAGES"])
    return (order.index(code) if code in order else len(order), code)


def _top(themes: list[ThemeSummary], n: int) -> list[ThemeSummary]:
    return [t for t in themes if not t.count.suppressed and t.count.n][:n]


def top_themes(overview: Summary, n: int) -> list[ThemeSummary]:
    """The period's most frequent themes that are shown."""
    return _top(overview.themes, n)


def councils(events, attendance: list[Cell], recorded: set[str]) -> list[CouncilRow]:
    """Meetings and people at meetings by council. A council no meeting of the period
    recorded people for reads "not recorded", never 0."""
    cells = {cell.key: cell for cell in attendance}
    rows = []
    for council in db.session.scalars(
        sa.select(StakeholderGroup)
        .where(StakeholderGroup.kind == GroupKind.COUNCIL)
        .order_by(StakeholderGroup.position, StakeholderGroup.id)
    ):
        name = localized_name(council)
        people = None
        if council.code in recorded:
            # Absent from the summary's table (its figures withheld): not available, not 0.
            people = cells.get(council.code) or Cell(council.code, name.text, None)
        rows.append(
            CouncilRow(
                code=council.code,
                name=name,
                meetings=sum(1 for e in events if e.council_id == council.id),
                attendance=people,
            )
        )
    return rows


def recorded_groups(start: date, end: date) -> set[str]:
    """Codes of the groups some meeting of the period recorded people for."""
    return set(
        db.session.scalars(
            sa.select(StakeholderGroup.code)
            .join(EventAttendance, EventAttendance.group_id == StakeholderGroup.id)
            .join(Event, Event.id == EventAttendance.event_id)
            .where(Event.held_on >= start, Event.held_on <= end)
            .distinct()
        )
    )


def quote_once(groups, per_theme: int) -> None:
    """Each quote used once in the whole report: a comment (or the same text) already
    quoted under an earlier group or theme is dropped; at most `per_theme` per theme."""
    seen_ids: set[int] = set()
    seen_texts: set[str] = set()
    for group in groups:
        for theme in group.themes:
            kept: list[Quote] = []
            for quote in theme.quotes:
                text = " ".join(quote.text.split()).casefold()
                if len(kept) == per_theme or quote.answer_id in seen_ids or text in seen_texts:
                    continue
                seen_ids.add(quote.answer_id)
                seen_texts.add(text)
                kept.append(quote)
            theme.quotes = kept
