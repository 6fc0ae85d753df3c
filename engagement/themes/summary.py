"""Theme summaries: aggregation over stored analyses, in SQL, with small-group protection.

Public interface (exports build on it; keep it stable):

- `SummaryFilters` : what to summarise (one engagement, or filters across engagements).
- `build_summary(filters, unmasked_quotes=False) -> Summary`
- `summary_for(engagement, unmasked_quotes=False) -> Summary` (one engagement)
- `display(cell)` : the text to show for a `Cell` ("12", "fewer than 5").

Every count in a `Summary` is already protected: a suppressed `Cell` has `n=None`,
`share=None`, `suppressed=True` -- the raw number never leaves this module, so an export
cannot leak it by mistake. Quotes are PII-masked unless `unmasked_quotes=True`, which only
the on-screen page for admins may pass (never an export).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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


def build_summary(filters: SummaryFilters, unmasked_quotes: bool = False) -> Summary:
    """Aggregate responses, closed questions, themes and the equity view, all protected."""
    raise NotImplementedError  # implemented below during development


def summary_for(engagement, unmasked_quotes: bool = False) -> Summary:
    """The summary of one engagement (compared with the previous one of its series)."""
    return build_summary(SummaryFilters(engagement_ids=(engagement.id,)), unmasked_quotes)


def display(cell: Cell) -> str:
    """Text for a cell: its number, or "fewer than K" (translated) when suppressed."""
    raise NotImplementedError
