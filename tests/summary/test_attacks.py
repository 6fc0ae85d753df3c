"""The four differencing attacks of issue 11, replayed against the real pages.

Each attack reads two pages a reader could open, takes every number both show and checks
that no subtraction leaves 1 to k-1 people (k = 5), and that the page meant to be safe on
its own gives nothing of the family or families away.
"""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Channel, EngagementStatus, Role, School, SummarySnapshot
from tests.factories import group, make_engagement, make_user
from tests.staff.conftest import fresh_user_per_request, sign_in  # noqa: F401 (autouse)
from tests.summary.helpers import add_response

K = 5


class _Figures(HTMLParser):
    """Every number a summary page shows: the key figures and each table's rows, keyed by
    (table caption, row label)."""

    def __init__(self):
        super().__init__()
        self.figures: dict = {}
        self._caption = self._label = None
        self._cell = self._field = None
        self._text = ""
        self._in_dl = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "dl" and "figures" in classes:
            self._in_dl = True
        if tag in ("caption", "th", "td", "dt", "dd"):
            self._field, self._text = tag, ""

    def handle_data(self, data):
        if self._field:
            self._text += data

    def handle_endtag(self, tag):
        if tag != self._field:
            if tag == "dl":
                self._in_dl = False
            return
        text = " ".join(self._text.split())
        if tag == "caption":
            self._caption = text
        elif tag in ("th", "dt"):
            self._label = text
        elif tag == "td" and self._label is not None:
            self.figures.setdefault((self._caption, self._label), text)
            self._label = None
        elif tag == "dd" and self._in_dl:
            self.figures[("figures", self._label)] = text
        self._field = None


def figures(page) -> dict:
    parser = _Figures()
    parser.feed(page.get_data(as_text=True))
    return parser.figures


def numbers(figs: dict) -> dict:
    return {key: int(v) for key, v in figs.items() if re.fullmatch(r"\d+", v or "")}


def assert_nothing_recovered(a: dict, b: dict):
    """No number shown on both pages differs by 1 to k-1."""
    na, nb = numbers(a), numbers(b)
    small = {
        key: (na[key], nb[key]) for key in na.keys() & nb.keys() if 0 < abs(na[key] - nb[key]) < K
    }
    assert not small, small


def at(day: int, hour: int = 12) -> datetime:
    """Noon in Boston on a day of November 2026."""
    return datetime(2026, 11, day, hour + 5, 0, tzinfo=UTC)


def answer(engagement, when=None, **fields):
    response, _answer = add_response(engagement, **fields)
    if when is not None:
        response.submitted_at = when
        db.session.commit()
    return response


def school(code):
    return db.session.scalar(sa.select(School).where(School.code == code))


def crowd(engagement, n, when=None, offset=0):
    """`n` ordinary families, English and Spanish, White and Asian, two schools."""
    for i in range(offset, offset + n):
        answer(
            engagement,
            when=when(i) if when else None,
            text=f"The buses are late, family {i}",
            themes=["transportation"],
            locale="en" if i % 3 else "es",
            race="white" if i % 2 else "asian",
            school=school("burbank" if i % 2 else "butler"),
            likert=4 + i % 2,
            groups=[group("parent_guardian")],
        )


def signed_in(app, role, councils=()):
    client = app.test_client()
    user = make_user(f"{role}@example.org", role, councils=councils)
    assert sign_in(client, user.email).status_code == 302
    return client


# --------------------------------------------------------------------------------------
# 1. Date windows
# --------------------------------------------------------------------------------------


def test_attack_1_date_windows_recover_nothing(app, seeded):
    survey = make_engagement(slug="family-survey", council=group("elpac"))
    crowd(survey, 29, when=lambda i: at(16 + i % 6))  # Monday 16 to Saturday 21 November
    one = dict(
        text="我们需要中文翻译", themes=["language_access"], locale="zh_Hans", lang="zh_Hans"
    )
    answer(survey, when=at(22), race="white", school=school("chenery"), **one)  # Sunday

    lead = signed_in(app, Role.COUNCIL_LEAD, ["elpac"])
    early = "/staff/summary/all?date_from=2026-11-18&date_to=2026-11-21"
    late = "/staff/summary/all?date_from=2026-11-18&date_to=2026-11-22"
    assert lead.get(early).status_code == 403 and lead.get(late).status_code == 403

    staff = signed_in(app, Role.STAFF)
    a, b = staff.get(early), staff.get(late)
    assert a.status_code == b.status_code == 200
    # Both windows are the whole week of Monday 16 to Sunday 22 November: the same figures.
    assert "Weeks counted: November 16, 2026 to November 22, 2026." in a.get_data(as_text=True)
    first, second = figures(a), figures(b)
    assert first == second and numbers(first)[("figures", "Responses")] == 30
    assert_nothing_recovered(first, second)


def test_attack_1_across_a_week_boundary_withholds_the_shorter_window(app, seeded):
    survey = make_engagement(slug="family-survey")
    crowd(survey, 29, when=lambda i: at(16 + i % 6))
    answer(
        survey, when=at(23), text="我们需要中文翻译", themes=["language_access"], locale="zh_Hans"
    )
    staff = signed_in(app, Role.STAFF)
    short = staff.get("/staff/summary/all?date_from=2026-11-18&date_to=2026-11-22")
    long = staff.get("/staff/summary/all?date_from=2026-11-18&date_to=2026-11-23")
    # The week of 23 November adds one family: the shorter window is withheld, with why.
    assert "Widen the selection" in short.get_data(as_text=True)
    assert numbers(figures(long))[("figures", "Responses")] == 30
    assert_nothing_recovered(figures(long), figures(short))


# --------------------------------------------------------------------------------------
# 2. Nested filters
# --------------------------------------------------------------------------------------


def test_attack_2_nested_filters_recover_nothing(app, seeded):
    survey = make_engagement(slug="family-survey", council=group("elpac"))
    crowd(survey, 30)
    target = school("winn_brook")
    for _ in range(11):
        answer(
            survey, text="Recess is too short", themes=["facilities"], race="white", school=target
        )
    for race in ("hispanic_latinx", "multiracial", "asian"):
        answer(survey, text=f"{race} family", themes=["safety"], race=race, school=target)

    lead = signed_in(app, Role.COUNCIL_LEAD, ["elpac"])
    whole = f"/staff/summary/all?school={target.id}"
    white = f"/staff/summary/all?school={target.id}&subgroup=white"
    assert lead.get(whole).status_code == 403 and lead.get(white).status_code == 403

    staff = signed_in(app, Role.STAFF)
    a, b = staff.get(whole), staff.get(white)
    race = "Self-identified race or ethnicity"
    # White is hidden with the three single families (here the whole table, all hidden).
    assert figures(a).get((race, "White"), "fewer than 5") == "fewer than 5"
    assert numbers(figures(a))[("figures", "Responses")] == 14
    assert "Widen the selection" in b.get_data(as_text=True)  # would give White 11 back
    assert ("figures", "Responses") not in numbers(figures(b))
    assert_nothing_recovered(figures(a), figures(b))


# --------------------------------------------------------------------------------------
# 3. An engagement against the whole
# --------------------------------------------------------------------------------------


def test_attack_3_engagement_against_the_whole_recovers_nothing(app, seeded):
    elpac = group("elpac")
    coffee = make_engagement(slug="elpac-coffee", kind="coffee_conversation", council=elpac)
    crowd(coffee, 60)
    forum = make_engagement(slug="elpac-forum", kind="forum", council=elpac)
    answer(forum, text="نحتاج إلى مترجم", themes=["language_access"], locale="ar", lang="ar")
    answer(forum, text="Nou bezwen entèprèt", themes=["language_access"], locale="ht", lang="ht")
    forum.status = EngagementStatus.CLOSED
    db.session.commit()

    lead = signed_in(app, Role.COUNCIL_LEAD, ["elpac"])
    own = lead.get("/staff/summary/elpac-forum").get_data(as_text=True)
    assert "Fewer than 5 people responded" in own and "مترجم" not in own
    council = figures(lead.get("/staff/summary/council/elpac"))
    other = figures(lead.get("/staff/summary/elpac-coffee"))
    assert numbers(council)[("figures", "Responses")] == 60  # the forum is counted nowhere
    assert_nothing_recovered(council, other)
    for page in ("/staff/", "/staff/summary"):
        html = lead.get(page).get_data(as_text=True)
        assert "Fewer than 5 responses" in html and "2 responses" not in html

    staff = signed_in(app, Role.STAFF)
    across = figures(staff.get(f"/staff/summary/all?council={elpac.id}"))
    assert_nothing_recovered(across, figures(staff.get("/staff/summary/elpac-coffee")))
    assert_nothing_recovered(figures(staff.get("/staff/summary/all")), other)


# --------------------------------------------------------------------------------------
# 4. Over time
# --------------------------------------------------------------------------------------


def test_attack_4_over_time_recovers_nothing(app, seeded):
    elpac = group("elpac")
    survey = make_engagement(slug="family-survey", council=elpac)
    crowd(survey, 23)
    lead = signed_in(app, Role.COUNCIL_LEAD, ["elpac"])
    pages = ("/staff/summary/family-survey", "/staff/summary/council/elpac")
    before = [figures(lead.get(url)) for url in pages]
    dashboard = lead.get("/staff/").get_data(as_text=True)
    assert "23 responses (as of" in dashboard

    family = dict(
        text="My daughter Amira needs an Arabic interpreter at meetings",
        themes=["language_access", "transportation"],
        locale="ar",
        lang="en",
        race="black",
        school=school("chenery"),
        likert=1,
        channel=Channel.QR,
    )
    answer(survey, **family)
    after = [figures(lead.get(url)) for url in pages]
    assert after == before  # the same published snapshot: nothing moved by one
    assert "23 responses (as of" in lead.get("/staff/").get_data(as_text=True)
    for url in pages:
        assert "Amira" not in lead.get(url).get_data(as_text=True)

    crowd(survey, 4, offset=100)  # with the family, 5 new answers: a new snapshot
    later = [figures(lead.get(url)) for url in pages]
    assert numbers(later[0])[("figures", "Responses")] == 28
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SummarySnapshot)) == 4
    for old, new in zip(before, later, strict=True):
        assert_nothing_recovered(old, new)


def test_windows_at_the_ends_of_the_calendar(app, seeded):
    from datetime import date

    from engagement.summary import SummaryFilters, build_summary, is_too_small

    survey = make_engagement(slug="family-survey")
    crowd(survey, 7)
    with app.test_request_context("/"):
        for start, end in [
            (None, date.max),
            (date.max, None),
            (date.min, date.max),
            (date.min, None),
        ]:
            filters = SummaryFilters(date_from=start, date_to=end)
            summary = build_summary(filters)
            assert summary.too_small == is_too_small(filters)
            assert summary.responses.n in (0, 7)
