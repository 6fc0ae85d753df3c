"""A published snapshot read back as a `Summary`, labelled in the reader's language.

The snapshot's JSON holds names and numbers only (hidden ones are null), so a lead reading in
Arabic sees the same figures as one reading in English. Shares follow the same rules as a
live summary (no share of a hidden count or over a hidden or small base). Quotes are chosen
when the snapshot is read, by engagement.summary.quotes' rules (approved answers only, as
masked now), among the people the snapshot allows for each theme.

Call inside a request context.
"""

from __future__ import annotations

import sqlalchemy as sa

from engagement.extensions import db
from engagement.i18n import _, current_locale
from engagement.models import (
    Question,
    SnapshotScope,
    SummarySnapshot,
)
from engagement.summary.build import _option_label, build_summary, theme_label
from engagement.summary.model import (
    Breakdown,
    Cell,
    EquityRow,
    QuestionSummary,
    Summary,
    SummaryFilters,
    ThemeSummary,
)
from engagement.summary.quotes import approved_quotes
from engagement.summary.stats import CellLabels

_TITLES = {
    "group": lambda: _("Stakeholder group"),
    "language": lambda: _("Language of the form"),
    "channel": lambda: _("Channel"),
    "school": lambda: _("School"),
    "subgroup": lambda: _("Self-identified race or ethnicity"),
}
_BASES = {
    "responses": lambda: _("Responses"),
    "written": lambda: _("Wrote a comment"),
    "attendance": lambda: _("Event attendance"),
    "participants": lambda: _("Participants"),
    "focus_base": lambda: _("Focus subgroups"),
    "english_base": lambda: _("English"),
    "non_english_base": lambda: _("Other languages"),
}
_KEYS = {
    "focus_base": "focus",
    "english_base": "english",
    "non_english_base": "non_english",
}


def snapshot_summary(snapshot: SummarySnapshot) -> Summary:
    """The summary a snapshot publishes, as the summary pages and exports show it."""
    data = snapshot.data
    k = snapshot.k
    values = data["values"]
    names = CellLabels()

    def count(name, label, base=None):
        n = values.get(name, 0)
        key = _KEYS.get(name, name.rsplit("/", 1)[-1])
        if n is None:
            return Cell(key, str(label), None, None, True)
        share = None
        if base is not None:
            b = values.get(base)
            if b is not None and b >= k and b:
                share = n / b
        return Cell(key, str(label), n, share)

    bases = {name: count(name, label()) for name, label in _BASES.items()}
    tables = {t["name"]: t for t in data["tables"]}
    breakdowns = []
    for dimension, title in _TITLES.items():
        table = tables.get(dimension)
        if table is None:
            continue
        cells = [
            count(name, names.cell(dimension, name.split("/", 1)[1]), "responses")
            for name in table["keys"]
        ]
        attendance = []
        if dimension == "group" and "attendance_group" in tables:
            attendance = [
                count(name, names.cell("group", name.split("/", 1)[1]))
                for name in tables["attendance_group"]["keys"]
            ]
        total = count("responses", _("Responses"))
        breakdowns.append(Breakdown(dimension, str(title()), total, cells, attendance))
    questions = _questions(snapshot, data, tables, count)
    themes, equity = _themes(snapshot, data, count, k)
    return Summary(
        filters=SummaryFilters(
            engagement_ids=(snapshot.engagement_id,) if snapshot.engagement_id else None,
            council_id=snapshot.council_id,
        ),
        min_group_size=k,
        engagement_count=data.get("engagement_count", 0),
        previous_engagement_id=(data.get("previous") or {}).get("engagement_id"),
        responses=bases["responses"],
        written=bases["written"],
        attendance=bases["attendance"],
        participants=bases["participants"],
        breakdowns=breakdowns,
        questions=questions,
        themes=themes,
        equity=equity,
        focus_base=bases["focus_base"],
        english_base=bases["english_base"],
        non_english_base=bases["non_english_base"],
    )


def _questions(snapshot, data, tables, count) -> list[QuestionSummary]:
    if snapshot.scope == SnapshotScope.COUNCIL or not data["questions"]:
        return []
    rows = {
        q.code: q
        for q in db.session.scalars(
            sa.select(Question).where(Question.engagement_id == snapshot.engagement_id)
        )
    }
    locale = current_locale()
    out = []
    for spec in data["questions"]:
        question = rows.get(spec["code"])
        if question is None:
            continue
        code = spec["code"]
        margin = f"answered/{code}"
        options = [
            count(name, _option_label(question, name.rsplit("/", 1)[1]), margin)
            for name in tables[f"option/{code}"]["keys"]
        ]
        agree = None
        if f"agree/{code}" in tables:
            agree = count(f"agree/{code}", _("Agree or strongly agree"), margin)
            agree = Cell("agree", agree.label, agree.n, agree.share, agree.suppressed)
        text, _used = question.text(locale)
        out.append(
            QuestionSummary(
                code=code,
                text=text.text if text else code,
                kind=spec["kind"],
                answered=count(margin, _("Answered")),
                options=options,
                agree=agree,
            )
        )
    return out


def _themes(snapshot, data, count, k):
    values = data["values"]
    previous = data.get("previous")
    quotes = _quotes(snapshot, data)
    themes, equity = [], []
    for code in data["themes"]:
        label, description = theme_label(code)
        theme = count(f"theme/{code}", label, "written")
        theme = Cell(code, theme.label, theme.n, theme.share, theme.suppressed)
        sentiment, sentiment_n = data["sentiment"].get(code, (None, None))
        prev_cell, change = None, None
        if previous is not None:
            n = previous["themes"].get(code, 0)
            base = previous.get("written")
            if n is None:
                prev_cell = Cell(code, str(label), None, None, True)
            else:
                share = n / base if base and base >= k else None
                prev_cell = Cell(code, str(label), n, share)
            if theme.share is not None and prev_cell.share is not None:
                change = round((theme.share - prev_cell.share) * 100, 1)
        themes.append(
            ThemeSummary(
                code,
                label,
                description,
                theme,
                sentiment,
                sentiment_n,
                prev_cell,
                change,
                quotes.get(code, []),
            )
        )
        if f"focus/{code}" in values:
            cells = {
                key: _relabel(count(f"{key}/{code}", label, f"{key}_base"), key)
                for key in ("focus", "english", "non_english")
            }
            row = EquityRow(
                code, label, theme, cells["focus"], cells["non_english"], cells["english"]
            )
            equity.append(row)
    return themes, equity


def _quotes(snapshot, data) -> dict:
    """Each shown theme's quotes, chosen now (approved answers, the per-language rule) from
    the people the snapshot allows for that theme (engagement.summary.snapshots). Public
    results keep the quotes chosen when they were published (engagement.summary.results):
    those staff still approve."""
    if "quote_ids" in data:
        chosen = data["quote_ids"]
        found = approved_quotes(i for ids in chosen.values() for i in ids)
        return {code: [found[i] for i in ids if i in found] for code, ids in chosen.items()}
    by_pool: dict[tuple, list[str]] = {}
    for code, pool in data.get("quote_pools", {}).items():
        by_pool.setdefault(tuple(tuple(pair) for pair in pool), []).append(code)
    quotes = {}
    for pool, codes in by_pool.items():
        filters = SummaryFilters(
            engagement_ids=(snapshot.engagement_id,) if snapshot.engagement_id else None,
            council_id=snapshot.council_id,
            as_of=pool,
        )
        for theme in build_summary(filters, k=snapshot.k).themes:
            if theme.code in codes:
                quotes[theme.code] = theme.quotes
    return quotes


def _relabel(c: Cell, key: str) -> Cell:
    return Cell(key, c.label, c.n, c.share, c.suppressed)
