"""The privacy boundary: the only code that turns rows into numbers people see.

Views, exports and public results ask this package for figures; none counts rows its own way.
Every count it hands out is already protected (below); quotes are only comments staff
approved as safe to quote, PII-masked (or masked by hand), in a language at least k people of
the view wrote in; answers held for review are counted nowhere.

Threat model (k = MIN_GROUP_SIZE inside the workspace, REPORT_MIN_GROUP_SIZE for the
Commitment 4 report and anything public)
-------------------------------------------------------------------------------------
Who can obtain which views:
- A council lead reads PUBLISHED SNAPSHOTS only (`snapshots`): one per engagement of their
  councils and one council-wide per council, each with its date ("as of"). No live query,
  no free date window, no stacking of filters; the response counts on their home page, the
  summary index and their exports come from the same snapshots ("fewer than k" before the
  first). A snapshot changes only when at least k more people have answered.
- Staff read LIVE views: each engagement's page, the filter page across engagements (kind,
  council, school, stakeholder group, language, race or ethnicity, whole-week windows), the
  summary exports and the Commitment 4 report built from them, and the council snapshots.
  They see each engagement's exact response count on their home page: they may read every
  written comment on the review page anyway, so the total of a whole engagement tells them
  nothing new; what their views must not tell is who, among a few, said or is what.
- An admin: what staff see, plus quotes unmasked on screen (never in an export).
- The public (later): published snapshots and published results, as council leads.

The property, across ALL the views one role can obtain: no group of 1 to k-1 people can be
isolated by adding or subtracting shown numbers. Concretely:
- every shown count is 0 or at least k, and so is every count a table gives away by
  subtraction (a total minus its shown cells: the hidden cells together hold 0 or >= k);
- no hidden cell can be worked out from the shown cells and totals of its table, including
  linked tables (engagement pages as rows, a council's or a cross-engagement view's counts
  as column totals);
- for two shown counts of nested sets of people -- the same count in a broader and a
  narrower view (a filter dropped or widened, a longer window of weeks, an engagement and a
  view that holds it), or in the same snapshot scope at two moments -- the difference is 0
  or at least k.
For council leads and the public this holds over time too: the same view at two moments is
two snapshots, compared rule by rule (`snapshots`). Staff views are live and change with each
answer; staff are trusted with individual answers (above), and the property holds across
every view they can open at one moment (`differencing`).

How: `suppression` (primary and complementary suppression, hidden mass, linked tables),
`differencing` (live views against every broader view and the engagement pages they hold;
views across engagements count only engagements of at least k), `periods` (dates snap to
whole weeks), `snapshots` (when a snapshot is made and what it hides against earlier ones and
against its linked tables), `published` (a snapshot read back in the reader's language).
Quotes are PII-masked, chosen only from groups of at least k, and in a snapshot a theme's
quotes change only when its count has moved by k or more.

Not covered: event headcounts are typed in by staff and compared only within snapshots;
published shares are rounded, not perturbed; for staff, sums over sibling views (a hidden
cell added up from the views that split it by another filter, see `differencing`); and
groups of cells added up across a council snapshot and an engagement snapshot (each cell
is protected, and so is each scope over time).

Public API (call inside a request context: labels and numbers follow the current locale):

- `SummaryFilters`: what to summarise (one engagement, or filters across engagements).
- `build_summary(filters, unmasked_quotes=False, k=None) -> Summary`, `summary_for(engagement)`:
  k is the group size, `min_group_size()` inside the workspace; the Commitment 4 report and
  anything public pass `report_min_group_size()` (REPORT_MIN_GROUP_SIZE, default 10);
  `Summary` and its parts (`Cell`, `Breakdown`, `QuestionSummary`, `ThemeSummary`, `Quote`,
  `EquityRow`) are plain dataclasses.
- `is_too_small(filters, k=None)`: `build_summary(filters, k=k).too_small` from one grouped
  COUNT query.
- `engagement_snapshot(engagement)`, `council_snapshot(council)`: the latest snapshot, made
  first when due; `snapshot_summary(snapshot) -> Summary`; `published_responses(engagement)`.
- `display(cell, k=None)`: "12" or "fewer than 5"; `percent(cell_or_share, decimals=0)`:
  "42%" in the current locale's format.
- `min_group_size()`, `report_min_group_size()`, `theme_label(code)`.

Inside: `build` assembles, `model` holds the dataclasses and cell rules, `queries` the SQL,
`quotes` the choice of quotes, `suppression` the small-group rules, `stats` a summary as named
counts, `differencing`, `periods`, `snapshots` and `published` as above, `presentation` the
texts and charts of a summary, `charts` the SVG bars.
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
from engagement.summary.published import snapshot_summary
from engagement.summary.snapshots import (
    council_snapshot,
    engagement_snapshot,
    published_responses,
)

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
    "council_snapshot",
    "display",
    "engagement_snapshot",
    "is_too_small",
    "min_group_size",
    "percent",
    "published_responses",
    "report_min_group_size",
    "snapshot_summary",
    "summary_for",
    "theme_label",
]
