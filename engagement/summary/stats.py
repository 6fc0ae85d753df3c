"""A summary as named counts in tables, for the rules that compare views with each other.

Every count a summary shows has a stable name (`responses`, `language/es`, `theme/safety`,
`option/informed/4`, ...) and belongs to tables with a margin:

- partition tables: the cells add up to the margin (languages add up to the responses);
- overlap tables: each cell is part of the margin, one person may be in several cells
  (stakeholder groups, themes, "choose all that apply" options).

engagement.summary.differencing (live views for staff) and engagement.summary.snapshots
(published snapshots for council leads) decide which names to hide; `hide()` applies that
decision to a `Summary`, so a hidden count has no number, no share and no quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from engagement import labels
from engagement.extensions import db
from engagement.i18n import LANGUAGE_NAMES, _, localized_name
from engagement.models import Channel, RaceEthnicity, School, StakeholderGroup
from engagement.summary.model import Cell, Summary

# Partition breakdowns of the responses (a response has one language, channel, school and
# self-identified race or ethnicity; "not stated" is a cell of its own).
PARTITIONS = ("language", "channel", "school", "subgroup")


@dataclass(frozen=True)
class Table:
    """Cells (names, display order) with their margin; `partition`: the cells add up."""

    name: str
    base: str
    keys: tuple[str, ...]
    partition: bool


@dataclass
class Stats:
    """Every count of a summary by name (raw or as shown), and its tables."""

    values: dict[str, int] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


def _base_cells(summary: Summary) -> dict[str, Cell]:
    return {
        "responses": summary.responses,
        "written": summary.written,
        "attendance": summary.attendance,
        "participants": summary.participants,
        "focus_base": summary.focus_base,
        "english_base": summary.english_base,
        "non_english_base": summary.non_english_base,
    }


def cells(summary: Summary) -> dict[str, Cell]:
    """Every count cell of `summary` by name (a theme's count and its equity "all" cell are
    the same cell)."""
    out = dict(_base_cells(summary))
    for breakdown in summary.breakdowns:
        for c in breakdown.cells:
            out[f"{breakdown.dimension}/{c.key}"] = c
        for c in breakdown.attendance:
            out[f"attendance_group/{c.key}"] = c
    for question in summary.questions:
        out[f"answered/{question.code}"] = question.answered
        for c in question.options:
            out[f"option/{question.code}/{c.key}"] = c
        if question.agree is not None:
            out[f"agree/{question.code}"] = question.agree
    for theme in summary.themes:
        out[f"theme/{theme.code}"] = theme.count
    for row in summary.equity:
        out[f"focus/{row.code}"] = row.focus
        out[f"english/{row.code}"] = row.english
        out[f"non_english/{row.code}"] = row.non_english
    return out


def tables(summary: Summary) -> list[Table]:
    """The tables of `summary`, margins first named."""
    out = []
    for breakdown in summary.breakdowns:
        keys = tuple(f"{breakdown.dimension}/{c.key}" for c in breakdown.cells)
        out.append(Table(breakdown.dimension, "responses", keys, breakdown.dimension in PARTITIONS))
        if breakdown.attendance:
            keys = tuple(f"attendance_group/{c.key}" for c in breakdown.attendance)
            out.append(Table("attendance_group", "attendance", keys, False))
    for question in summary.questions:
        keys = tuple(f"option/{question.code}/{c.key}" for c in question.options)
        partition = question.kind != "multi_choice"
        out.append(Table(f"option/{question.code}", f"answered/{question.code}", keys, partition))
        if question.agree is not None:
            agree = (f"agree/{question.code}",)
            out.append(Table(f"agree/{question.code}", f"answered/{question.code}", agree, False))
    out.append(Table("theme", "written", tuple(f"theme/{t.code}" for t in summary.themes), False))
    for name in ("focus", "english", "non_english"):
        keys = tuple(f"{name}/{row.code}" for row in summary.equity)
        out.append(Table(name, f"{name}_base", keys, False))
    return out


def flatten(summary: Summary) -> Stats:
    """The counts of a summary built with k = 1 (nothing hidden) as `Stats`."""
    values = {name: (c.n or 0) for name, c in cells(summary).items() if c is not None}
    return Stats(values, tables(summary))


def hidden_names(summary: Summary) -> set[str]:
    """The names of the cells `summary` already hides."""
    return {name for name, c in cells(summary).items() if c is not None and c.suppressed}


def _hidden(c: Cell) -> Cell:
    return Cell(c.key, c.label, None, None, True)


def hide(summary: Summary, names: set[str]) -> Summary:
    """Hide the named cells of `summary` (in place): no number, no share; a hidden theme
    loses its quotes and feeling, a hidden margin the shares of its table."""
    if not names - hidden_names(summary):
        return summary
    replace = {}
    for name, c in cells(summary).items():
        if c is not None and name in names and not c.suppressed and c.n:
            replace[id(c)] = _hidden(c)
    hidden_margins = {name for name in names if "/" not in name or name.startswith("answered/")}

    def new(c, margin=None):
        if c is None:
            return None
        c = replace.get(id(c), c)
        if margin in hidden_margins and c.share is not None:
            c = Cell(c.key, c.label, c.n, None, c.suppressed)
        return c

    for attr, c in _base_cells(summary).items():
        setattr(summary, attr, new(c))
    for breakdown in summary.breakdowns:
        breakdown.total = new(breakdown.total)
        breakdown.cells = [new(c, "responses") for c in breakdown.cells]
        breakdown.attendance = [new(c, "attendance") for c in breakdown.attendance]
    for question in summary.questions:
        margin = f"answered/{question.code}"
        question.answered = new(question.answered)
        question.options = [new(c, margin) for c in question.options]
        question.agree = new(question.agree, margin)
    for theme in summary.themes:
        theme.count = new(theme.count, "written")
        if theme.count.suppressed:
            theme.quotes, theme.sentiment, theme.sentiment_n, theme.change = [], None, None, None
    for row in summary.equity:
        row.all = new(row.all, "written")
        row.focus = new(row.focus, "focus_base")
        row.english = new(row.english, "english_base")
        row.non_english = new(row.non_english, "non_english_base")
    return summary


def drop_hidden_tables(summary: Summary) -> Summary:
    """Leave out a table whose cells add up and are all hidden (in place): its labels alone
    would tell that each listed group has someone in it, and with a shown total that can
    give every cell away (3 people, 3 groups listed: one each)."""
    for breakdown in summary.breakdowns:
        if breakdown.dimension in PARTITIONS and _all_hidden(breakdown.cells):
            breakdown.cells = []
    for question in summary.questions:
        if question.kind != "multi_choice" and _all_hidden(question.options):
            question.options = []
    return summary


def _all_hidden(cells: list[Cell]) -> bool:
    listed = [c for c in cells if c.n or c.suppressed]
    return bool(listed) and all(c.suppressed for c in listed)


def add_hidden(summary: Summary, names: set[str]) -> Summary:
    """List hidden cells a breakdown does not list yet (in place): a count of 0 that must
    not be told apart from a small one (engagement.summary.differencing, rule 2)."""
    labeller = None
    for breakdown in summary.breakdowns:
        if breakdown.dimension not in PARTITIONS:
            continue
        listed = {f"{breakdown.dimension}/{c.key}" for c in breakdown.cells}
        for name in sorted(n for n in names if n.startswith(f"{breakdown.dimension}/")):
            if name not in listed:
                labeller = labeller or CellLabels()
                code = name.split("/", 1)[1]
                label = labeller.cell(breakdown.dimension, code)
                breakdown.cells.append(Cell(code, label, None, None, True))
    return summary


class CellLabels:
    """Labels of cell codes in the current locale, loaded once per snapshot."""

    def __init__(self):
        self.groups = {
            g.code: localized_name(g).text for g in db.session.scalars(sa.select(StakeholderGroup))
        }
        self.schools = {s.code: s.name for s in db.session.scalars(sa.select(School))}

    def cell(self, dimension: str, code: str) -> str:
        if code == "not_stated":
            return _("Not stated")
        if dimension in ("group", "attendance_group"):
            return self.groups.get(code, code)
        if dimension == "language":
            return LANGUAGE_NAMES.get(code, code)
        if dimension == "channel":
            return str(labels.CHANNEL.get(_member(Channel, code), code))
        if dimension == "school":
            return self.schools.get(code, code)
        if dimension == "subgroup":
            return str(labels.RACE_ETHNICITY.get(_member(RaceEthnicity, code), code))
        return code


def _member(enum_cls, code):
    """The enum member for `code`, or `code` itself for a value no longer in the enum."""
    return enum_cls._value2member_map_.get(code, code)
