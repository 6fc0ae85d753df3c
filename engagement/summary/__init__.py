"""The privacy boundary: the only code that turns rows into numbers people see.

Views, exports and public results ask this package for figures; none counts rows its own way.
Every count it hands out is already protected: a group of 1 to k-1 people (k = MIN_GROUP_SIZE)
is a suppressed `Cell` with no number, complementary suppression keeps it from being worked
out from the shown cells and totals, a selection that leaves out fewer than k people of the
whole is withheld, and quotes are only comments staff approved as safe to quote, PII-masked
(or masked by hand), in a language at least k people of the view wrote in.

Public API (call inside a request context: labels and numbers follow the current locale):

- `SummaryFilters`: what to summarise (one engagement, or filters across engagements).
- `build_summary(filters, unmasked_quotes=False, k=None) -> Summary`, `summary_for(engagement)`:
  k is the group size, `min_group_size()` inside the workspace; the Commitment 4 report and
  anything public pass `report_min_group_size()` (REPORT_MIN_GROUP_SIZE, default 10);
  `Summary` and its parts (`Cell`, `Breakdown`, `QuestionSummary`, `ThemeSummary`, `Quote`,
  `EquityRow`) are plain dataclasses.
- `is_too_small(filters, k=None)`: `build_summary(filters, k=k).too_small` from one COUNT.
- `display(cell, k=None)`: "12" or "fewer than 5"; `percent(cell_or_share, decimals=0)`:
  "42%" in the current locale's format.
- `min_group_size()`, `report_min_group_size()`, `theme_label(code)`.

Inside: `build` assembles, `model` holds the dataclasses and cell rules, `queries` the SQL,
`quotes` the choice of quotes, `suppression` the small-group rules and their threat model,
`presentation` the texts and charts of a summary, `charts` the SVG bars.
"""

from engagement.summary.build import (
    build_summary,
    is_too_small,
    min_group_size,
    report_min_group_size,
    summary_for,
    theme_label,
)
from engagement.summary.model import (
    Breakdown,
    Cell,
    EquityRow,
    QuestionSummary,
    Quote,
    Summary,
    SummaryFilters,
    ThemeSummary,
)
from engagement.summary.presentation import display, percent

__all__ = [
    "Breakdown",
    "Cell",
    "EquityRow",
    "QuestionSummary",
    "Quote",
    "Summary",
    "SummaryFilters",
    "ThemeSummary",
    "build_summary",
    "display",
    "is_too_small",
    "min_group_size",
    "percent",
    "report_min_group_size",
    "summary_for",
    "theme_label",
]
