"""Real browser (issue 18): twelve families on phones (375 px, JavaScript off, separate
sessions, Spanish and English) share ideas through the event's QR address; staff approve
them and switch to Rate; each family rates a balanced sample, never its own idea; staff see
the ranking, common ground and what splits groups. axe-core finds no violations on the
family pages in all six languages, nor on the staff pages.

k is 4 here (MIN_GROUP_SIZE) and each family rates 10 of the 11 other ideas, so that every
idea has at least 4 raters of each group and both groups' averages are shown.
"""

import re

import pytest
import sqlalchemy as sa

from engagement import exchanges
from engagement.extensions import db
from engagement.models import ExchangeIdea, ExchangeRating, Role
from tests.browser.conftest import serving
from tests.browser.test_family_flow import check_axe, html_lang
from tests.factories import PASSWORD, make_engagement, make_user
from tests.public.conftest import LOCALES

pytestmark = pytest.mark.browser

SLUG = "family-forum"
FAMILIES = [("es", "parent_guardian")] * 6 + [("en", "educator")] * 6
IDEAS = {
    "es": "Idea {n}: reuniones por la tarde con cuidado de niños {tag}",
    "en": "Idea {n}: send every school notice by text message {tag}",
}


def tag_of(n: int) -> str:
    """Families 0 and 6 write ideas everyone likes; family 1's idea splits the groups."""
    return {0: "#common", 6: "#common", 1: "#split"}.get(n, "#plain")


def stars_for(text: str, role: str) -> str:
    if "#common" in text:
        return "5"
    if "#split" in text:
        return "5" if role == "parent_guardian" else "1"
    return "3"


def _prepare():
    from engagement.seed import seed_district

    seed_district()
    make_user("staff@example.org", Role.STAFF, password=PASSWORD)
    engagement = make_engagement(
        slug=SLUG,
        kind="forum",
        titles={
            "en": "Family forum",
            "es": "Foro de familias",
            "pt_BR": "Fórum das famílias",
            "zh_Hans": "家庭论坛",
            "ht": "Fowòm fanmi yo",
            "ar": "منتدى العائلات",
        },
        questions=[],
    )
    exchanges.enable(engagement, sample_size=10)


@pytest.fixture
def forum(tmp_path):
    with serving(tmp_path / "live.sqlite", _prepare) as server:
        server.app.config["MIN_GROUP_SIZE"] = 4
        yield server


def family_page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10000)
    return context, page


def staff_page(browser, base):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10000)
    page.goto(f"{base}/staff/login")
    page.fill("#email", "staff@example.org")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(f"{base}/staff/")
    return page


def test_exchange_at_an_event(forum, browser):
    base = forum.url
    families = []
    # Share: the QR address leads to the Share page; each family sends one idea.
    for n, (lang, role) in enumerate(FAMILIES):
        context, page = family_page(browser)
        page.goto(f"{base}/e/{SLUG}/exchange?lang={lang}&channel=qr")
        page.wait_for_url(re.compile(r"/exchange/share"))
        assert page.get_attribute("html", "lang") == html_lang(lang)
        text = IDEAS[lang].format(n=n, tag=tag_of(n))
        page.fill("#idea", text)
        page.check(f'input[name="roles"][value="{group_id(forum, role)}"]')
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/exchange/shared"))
        families.append((context, page, lang, role, text))

    # Family pages of the Share phase, in every language.
    axe_pages(browser, base, ["/exchange/share", "/exchange/shared"])

    # Staff approve every idea (nothing is shown to families before), then switch phase.
    staff = staff_page(browser, base)
    staff.goto(f"{base}/staff/engagements/{SLUG}/exchange/ideas")
    check_axe(staff, "moderation queue")
    for _ in range(len(FAMILIES)):
        with staff.expect_navigation():
            staff.locator('button[name="decision"][value="approved"]').first.click()
    assert staff.locator('button[name="decision"][value="approved"]').count() == 0
    staff.goto(f"{base}/staff/engagements/{SLUG}/exchange")
    check_axe(staff, "exchange settings")
    with staff.expect_navigation():
        staff.click('button[name="phase"][value="rate"]')

    # Rate: the same QR address now leads to Rate; a sample of 10, never one's own idea.
    for context, page, lang, role, own in families:
        page.goto(f"{base}/e/{SLUG}/exchange?lang={lang}")
        page.wait_for_url(re.compile(r"/exchange/rate"))
        cards = page.locator("fieldset.card")
        assert cards.count() == 10
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        for i in range(cards.count()):
            card = cards.nth(i)
            text = card.locator("blockquote").inner_text()
            assert text.strip() != own
            name = card.locator('input[type="radio"]').first.get_attribute("name")
            page.check(f'input[name="{name}"][value="{stars_for(text, role)}"]')
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/exchange/rated"))
        context.close()

    with forum.app.app_context():
        own_rated = db.session.scalar(
            sa.select(sa.func.count(ExchangeRating.id))
            .join(ExchangeIdea, ExchangeIdea.id == ExchangeRating.idea_id)
            .where(ExchangeIdea.participant_id == ExchangeRating.participant_id)
        )
        assert own_rated == 0
        assert db.session.scalar(sa.select(sa.func.count(ExchangeRating.id))) == 120
        db.session.remove()

    # Family pages of the Rate phase, in every language.
    axe_pages(browser, base, ["/exchange/rate", "/exchange/rated"])

    # Discover: the ranking, common ground and the idea that splits the groups.
    staff.goto(f"{base}/staff/engagements/{SLUG}/exchange/results")
    check_axe(staff, "results")
    assert staff.locator("#ranking ~ table tbody tr").count() == 12
    common = staff.locator("#common-ground + p + ol").inner_text()
    assert common.count("#common") == 2 and "#split" not in common
    assert "#split" in staff.locator("#divides + p + ol").inner_text()
    first = staff.locator("#ranking ~ table tbody tr").first.inner_text()
    assert "#common" in first
    staff.goto(f"{base}/staff/engagements/{SLUG}/exchange/projector")
    check_axe(staff, "projector")
    assert "#" not in staff.locator("main").inner_text()  # counts only, never an idea
    staff.close()


def group_id(server, code):
    from tests.factories import group

    with server.app.app_context():
        value = group(code).id
        db.session.remove()
    return value


def axe_pages(browser, base, paths):
    """axe-core on each family page in every language (a JavaScript context: axe runs in
    the page), phone-sized."""
    for locale in LOCALES:
        context = browser.new_context(viewport={"width": 375, "height": 667})
        page = context.new_page()
        page.set_default_timeout(10000)
        try:
            for path in paths:
                page.goto(f"{base}/e/{SLUG}{path}?lang={locale}")
                assert page.get_attribute("html", "lang") == html_lang(locale)
                check_axe(page, f"{path} ({locale})")
        finally:
            context.close()
