"""The summary's data: what to summarise, protected cells, and the small-group rules that
make them (complementary suppression lives in engagement.summary.suppression)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from engagement.summary.suppression import suppress_1d, suppress_independent


@dataclass(frozen=True)
class SummaryFilters:
    """What to summarise. Empty fields mean "no filter".

    `engagement_ids`: a single engagement gives the per-engagement summary (with change
    against the previous engagement of its series); several or None summarise across.
    `council_scope`: None for staff/admins; for a council lead, the ids of its councils, so
    only engagements tied to them are counted (the staff views always pass it).
    `subgroup`: a RaceEthnicity value, or "focus" for any of the plan's focus subgroups.
    `as_of`: ((engagement id, last response id), ...) -- only those engagements' responses up
    to those ids: the fixed set of people a published snapshot counts
    (engagement.summary.snapshots). Dates snap to whole weeks (engagement.summary.periods).
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
    as_of: tuple[tuple[int, int], ...] | None = None


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
    """One representative comment, in its original language (PII-masked unless `masked` is
    False), with staff's English rendering of it when one was written from the quote as it
    reads now (`english_by`: the e-mail of the account that wrote it, for staff pages only;
    None once the account is removed)."""

    answer_id: int
    text: str
    lang: str
    sentiment: float | None
    masked: bool
    english: str | None = None
    english_by: str | None = None


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
    """Everything the summary page and the exports show, already protected."""

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
    # The filters leave out 1..k-1 people of the engagements' whole: set with all figures
    # hidden, since the selection and the whole would show those people by subtraction.
    complement_too_small: bool = False

    @property
    def too_small(self) -> bool:
        """True when the whole selection is below the group size: nothing is shown."""
        return self.responses.suppressed


def cell(key, label, n, k, base=None) -> Cell:
    """A single count: hidden when 1..k-1; its share hidden when the base is small."""
    if n is not None and 0 < n < k:
        return Cell(key, str(label), None, None, True)
    share = None
    if base and base >= k and n is not None:
        share = n / base
    return Cell(key, str(label), n, share)


def protected_cells(items, total, k, partition=True) -> list[Cell]:
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


def pair(cells: list[Cell], raw: list[int]) -> list[Cell]:
    """Two overlapping counts of one whole (English / other languages): when one is hidden,
    hide the other too so that neither can be had by subtraction."""
    if any(c.suppressed for c in cells):
        return [
            c if c.suppressed or n == 0 else Cell(c.key, c.label, None, None, True)
            for c, n in zip(cells, raw, strict=True)
        ]
    return cells


def blank_if_too_small(summary: Summary) -> Summary:
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
