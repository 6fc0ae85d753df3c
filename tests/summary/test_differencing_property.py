"""Staff, by brute force: every view of a small filter domain, checked with the independent
checker (tests/summary/privacy_checker.py).

Each example: three engagements (two kinds, two councils) with responses over three weeks;
the views are every engagement's page and every combination of a few filters drawn from
kind, council, school, language, race or ethnicity (one race, or the plan's focus subgroups),
stakeholder group and a window of whole weeks. Then:
- each view's numbers are true and 0 or >= k, and no hidden cell of a table can be worked out;
- any two views nested by construction (B has A's filters and more, or a narrower window, or
  B is the page of an engagement that A holds whole) differ by 0 or >= k in every count both
  show -- and, between views across engagements, in every group of cells a reader can add up
  or subtract from a total;
- each view across engagements, with the engagement pages it holds as rows, is a linked table
  in which no hidden cell can be worked out.
"""

import itertools
import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from engagement.summary import SummaryFilters, build_summary
from engagement.summary.stats import cells
from tests.factories import group, make_engagement
from tests.summary.privacy_checker import (
    FOCUS,
    View,
    check_linked,
    check_pair,
    check_tables,
    check_view,
)
from tests.summary.property_data import START, add, clear, person_spec

SETTINGS = settings(
    max_examples=int(os.environ.get("PRIVACY_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
    phases=[Phase.generate] if os.environ.get("NO_SHRINK") else tuple(Phase),
)

MONDAY = (START - timedelta(days=START.weekday())).date()
WINDOWS = [None, (0, 0), (0, 1), (1, 2), (2, None)]
FIELDS = ["kind", "council", "school", "locale", "subgroup", "group", "window"]


@pytest.fixture
def ctx(app, seeded):
    with app.test_request_context("/"):
        yield app


@SETTINGS
@given(
    k=st.sampled_from([3, 3, 5]),
    batches=st.lists(st.lists(person_spec, min_size=2, max_size=16), min_size=3, max_size=3),
    fields=st.sets(st.sampled_from(FIELDS), min_size=2, max_size=3),
)
def test_no_small_group_across_every_view_staff_can_open(ctx, k, batches, fields):
    ctx.config["MIN_GROUP_SIZE"] = k
    clear()
    sepac, elpac = group("sepac"), group("elpac")
    engagements = [
        make_engagement(slug="survey-a", council=sepac),
        make_engagement(slug="forum-a", kind="forum", council=sepac),
        make_engagement(slug="survey-b", council=elpac),
    ]
    people = {}
    for engagement, specs in zip(engagements, batches, strict=True):
        for spec in specs:
            person = add(engagement, spec)
            people[person.id] = person
    facts = {e.id: (str(e.kind), e.council_id) for e in engagements}
    included = {e for e in facts if sum(1 for p in people.values() if p.engagement == e) >= k}
    domain = {
        "kind": [None, "survey"],
        "council": [None, sepac.id],
        "school": [None, "burbank"],
        "locale": [None, "es"],
        "subgroup": [None, "black", "focus"],
        "group": [None, "parent_guardian"],
        "window": WINDOWS,
    }
    choices = [domain[f] if f in fields else [None] for f in FIELDS]
    specs = [dict(zip(FIELDS, combo, strict=True)) for combo in itertools.product(*choices)]
    views = {}
    for spec in specs:
        ids = frozenset(
            p.id for p in people.values() if p.engagement in included and _holds(spec, p, facts)
        )
        views[_label(spec)] = (spec, _view(_label(spec), ids, build_summary(_filters(spec))))
    for e in engagements:
        ids = frozenset(p.id for p in people.values() if p.engagement == e.id)
        page = build_summary(SummaryFilters(engagement_ids=(e.id,)))
        views[f"page {e.slug}"] = ({"page": e.id}, _view(f"page {e.slug}", ids, page))

    for _spec, view in views.values():
        check_view(view, people, k)
        check_tables(view, people, k)
    pairs = 0
    for (spec_a, a), (spec_b, b) in itertools.permutations(views.values(), 2):
        if _nested(spec_a, spec_b, people, facts, included):
            assert b.people <= a.people, (a.label, b.label)
            check_pair(a, b, people, k, unions="page" not in spec_b)
            pairs += not (a.withheld or b.withheld)
    shown = sum(not v.withheld for _s, v in views.values())
    event(f"views shown: {min(shown // 5 * 5, 20)}+")
    event(f"nested pairs both shown: {min(pairs // 10 * 10, 50)}+")
    for spec, view in views.values():
        if "page" in spec:
            continue
        rows = [
            v
            for s, v in views.values()
            if "page" in s and _nested(spec, s, people, facts, included)
        ]
        check_linked(view, rows, people, k)


def _label(spec) -> str:
    return " ".join(f"{f}={v}" for f, v in spec.items() if v is not None) or "everything"


def _filters(spec) -> SummaryFilters:
    from engagement.extensions import db
    from engagement.models import School, StakeholderGroup

    def id_of(model, code):
        return db.session.query(model.id).filter(model.code == code).scalar() if code else None

    window = spec["window"]
    start = end = None
    if window is not None:
        first, last = window
        start = MONDAY + timedelta(days=7 * first)
        end = MONDAY + timedelta(days=7 * last + 6) if last is not None else None
    return SummaryFilters(
        kind=spec["kind"],
        council_id=spec["council"],
        school_id=id_of(School, spec["school"]),
        locale=spec["locale"],
        subgroup=spec["subgroup"],
        group_id=id_of(StakeholderGroup, spec["group"]),
        date_from=start,
        date_to=end,
    )


def _holds(spec, p, facts) -> bool:
    """Does the view `spec` count person `p`? (The checker's own reading of the filters.)"""
    kind, council = facts[p.engagement]
    race_ok = {
        None: True,
        "focus": p.race in FOCUS,
    }.get(spec["subgroup"], p.race == spec["subgroup"])
    return (
        spec["kind"] in (None, kind)
        and spec["council"] in (None, council)
        and spec["school"] in (None, p.school)
        and spec["locale"] in (None, p.locale)
        and race_ok
        and (spec["group"] is None or spec["group"] in p.groups)
        and _in_window(spec["window"], p.week)
    )


def _in_window(window, week) -> bool:
    if window is None:
        return True
    first, last = window
    return first <= week and (last is None or week <= last)


def _contains(wide, narrow) -> bool:
    if wide is None:
        return True
    if narrow is None:
        return False
    (a, b), (c, d) = wide, narrow
    return a <= c and (b is None or (d is not None and d <= b))


def _nested(a, b, people, facts, included) -> bool:
    """Is view b inside view a by construction of their filters?"""
    if "page" in a:
        return False
    if "page" in b:
        engagement = b["page"]
        kind, council = facts[engagement]
        weeks = [p.week for p in people.values() if p.engagement == engagement]
        return (
            engagement in included
            and all(a[f] is None for f in ("school", "locale", "subgroup", "group"))
            and a["kind"] in (None, kind)
            and a["council"] in (None, council)
            and all(_in_window(a["window"], w) for w in weeks)
        )
    for f in ("kind", "council", "school", "locale", "group"):
        if a[f] is not None and a[f] != b[f]:
            return False
    widened = a["subgroup"] == "focus" and b["subgroup"] in FOCUS
    if a["subgroup"] is not None and a["subgroup"] != b["subgroup"] and not widened:
        return False
    return _contains(a["window"], b["window"])


def _view(label, ids, summary) -> View:
    values = {name: (None if c.suppressed else c.n) for name, c in cells(summary).items() if c}
    values = {name: n for name, n in values.items() if not name.startswith("attendance")}
    values.pop("participants", None)
    dimensions = {b.dimension for b in summary.breakdowns if b.cells}
    if summary.themes:
        dimensions |= {"theme", "focus", "english", "non_english"}
    else:
        dimensions |= {"theme"} if summary.written.n is not None else set()
    for name in [n for n in values if "/" in n and n.split("/")[0] not in dimensions]:
        if not name.startswith(("option/", "answered/", "agree/")):
            values.pop(name)
    return View(label, ids, values, withheld=summary.too_small, dimensions=dimensions)
