"""The family form on 320 and 375 px phones, in six languages: the first question on the
first screen, a language switch that keeps every answer (with and without JavaScript), a
draft that survives a reload, error links that show the whole question, no sideways scroll
at 200% text, and axe-core finds nothing."""

import re

import pytest
import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Response
from tests.browser.test_family_flow import check_axe, html_lang, question_field
from tests.public.conftest import LOCALES, TITLES

pytestmark = pytest.mark.browser

WIDTHS = [320, 375]
HEIGHT = 667
# Each language switches to the next one, so that every language is switched to once.
NEXT = dict(zip(LOCALES, LOCALES[1:] + LOCALES[:1], strict=True))
TEXT = "Más reuniones por la noche — 谢谢 👍🏽"

IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= window.innerHeight + 1; }"""


@pytest.fixture
def fields(live_server):
    return {c: question_field(live_server, c) for c in ("informed", "news", "help", "comments")}


def new_page(browser, width, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT},
        locale="en-US",
        device_scale_factor=1,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    return page


def answer_some(page, fields):
    """Three questions of four kinds answered, one required one (informed) left out."""
    page.check(f'input[name="{fields["news"]}"][value="text"]')
    page.check(f'input[name="{fields["help"]}"][value="interpreter"]')
    page.fill(f"#{fields['comments']}", TEXT)
    page.check('input[name="race_ethnicity"][value="prefer_not_to_say"]')


def assert_answers_kept(page, fields):
    assert page.is_checked(f'input[name="{fields["news"]}"][value="text"]')
    assert page.is_checked(f'input[name="{fields["help"]}"][value="interpreter"]')
    assert not page.is_checked(f'input[name="{fields["help"]}"][value="childcare"]')
    assert page.input_value(f"#{fields['comments']}") == TEXT
    assert page.is_checked('input[name="race_ethnicity"][value="prefer_not_to_say"]')


def switch_language(page, to):
    """Use the header's language control as a phone user does: open it, pick a language."""
    page.click("nav.languages summary")
    with page.expect_navigation():
        page.click(f'nav.languages button[lang="{html_lang(to)}"]')
    assert page.get_attribute("html", "lang") == html_lang(to)
    assert page.inner_text("h1") == TITLES[to]


def no_sideways_scroll_at_200_percent(page) -> int:
    """Pixels the page scrolls sideways with text at 200% (what a browser's text size does)."""
    return page.evaluate(
        """() => { document.documentElement.style.fontSize = '200%';
        const extra = document.documentElement.scrollWidth - window.innerWidth;
        document.documentElement.style.fontSize = ''; return extra; }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_form_on_a_phone(live_server, browser, fields, locale, width):
    page = new_page(browser, width)
    try:
        page.goto(f"{live_server.url}/e/family-survey?lang={locale}")
        # The first question, with its number, on the first screen.
        first = page.locator("form legend, form .label").first
        assert page.evaluate(IN_VIEW, first.element_handle()), "first question below the fold"
        assert first.locator("small").inner_text() != ""
        header = page.evaluate("document.querySelector('.site-header').offsetHeight")
        assert header <= 70, f"header {header}px tall"
        assert no_sideways_scroll_at_200_percent(page) <= 0
        check_axe(page, f"form ({locale}, {width}px)")

        # A draft survives a reload and a new visit in this tab.
        answer_some(page, fields)
        page.reload()
        assert_answers_kept(page, fields)
        page.goto(f"{live_server.url}/e/family-survey?lang={locale}")
        assert_answers_kept(page, fields)

        # Switching language keeps every answer; the open menu is clean too.
        page.click("nav.languages summary")
        assert no_sideways_scroll_at_200_percent(page) <= 0
        check_axe(page, f"language menu open ({locale}, {width}px)")
        page.click("nav.languages summary")
        switch_language(page, NEXT[locale])
        assert_answers_kept(page, fields)
        counter = page.inner_text(f"#{fields['comments']}-count")
        # The counter counts code points as the server does: the emoji with its skin tone
        # is two, never four.
        assert re.match(r"^\D*34\D", counter), counter

        # A chosen option is highlighted; an optional single-choice answer can be cleared.
        rating = page.locator('input[name="race_ethnicity"][value="asian"]')
        label = rating.locator("xpath=..")
        plain = label.evaluate("el => getComputedStyle(el).backgroundColor")
        clear = page.locator("#race_ethnicity button.clear")
        rating.check()
        assert label.evaluate("el => getComputedStyle(el).backgroundColor") != plain
        clear.click()
        assert not rating.is_checked() and not clear.is_visible()
        assert page.evaluate("document.activeElement.name") == "race_ethnicity"
        page.check('input[name="race_ethnicity"][value="prefer_not_to_say"]')

        # Sending without a required answer: the error link shows the whole question.
        page.click("form .actions button")
        page.wait_for_selector("#error-summary")
        assert_answers_kept(page, fields)
        assert no_sideways_scroll_at_200_percent(page) <= 0
        check_axe(page, f"form with errors ({NEXT[locale]}, {width}px)")
        page.click(f'#error-summary a[href="#{fields["informed"]}"]')
        legend = page.locator(f"#{fields['informed']} legend")
        assert page.evaluate(IN_VIEW, legend.element_handle()), "legend scrolled out of view"
        assert page.evaluate(IN_VIEW, page.locator(f"#{fields['informed']}-error").element_handle())
        assert page.evaluate("document.activeElement.id") == f"{fields['informed']}-0"

        # Sent: the draft is gone.
        page.check(f'input[name="{fields["informed"]}"][value="4"]')
        page.click("form .actions button")
        page.wait_for_url(re.compile(r"/thanks"))
        page.goto(f"{live_server.url}/e/family-survey")
        assert not page.is_checked(f'input[name="{fields["news"]}"][value="text"]')
        assert page.input_value(f"#{fields['comments']}") == ""
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_language_switch_keeps_answers_without_javascript(
    live_server, browser, fields, locale, width
):
    page = new_page(browser, width, javascript=False)
    try:
        page.goto(f"{live_server.url}/e/family-survey?lang={locale}&channel=qr")
        answer_some(page, fields)
        # Clearing an answer needs the script: without it, no button that cannot work.
        assert not page.locator("#race_ethnicity button.clear").is_visible()
        switch_language(page, NEXT[locale])
        assert_answers_kept(page, fields)
        assert page.locator("#error-summary").count() == 0
        # Enter in a text box sends the form (not a language button of the header).
        page.check(f'input[name="{fields["informed"]}"][value="2"]')
        page.fill("#contact_name", "Ana")
        with page.expect_navigation():
            page.press("#contact_name", "Enter")
        assert page.locator("#error-summary").count() == 1  # a name without consent
        assert page.get_attribute("html", "lang") == html_lang(NEXT[locale])
        page.fill("#contact_name", "")
        page.click("form .actions button")
        page.wait_for_url(re.compile(r"/thanks"))
        receipt = page.inner_text(".receipt").strip()
        with live_server.app.app_context():
            stored = db.session.scalar(sa.select(Response).where(Response.receipt_code == receipt))
            assert stored.locale == NEXT[locale] and stored.channel == "qr"
            assert TEXT in {a.text for a in stored.answers}
            db.session.remove()
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("locale", "near", "over"), [("es", "1.850", "2.001"), ("ht", "1 850", "2 001")]
)
def test_counter_writes_numbers_like_the_server_and_speaks_near_the_limit(
    live_server, browser, fields, locale, near, over
):
    page = new_page(browser, 375)
    try:
        page.goto(f"{live_server.url}/e/family-survey?lang={locale}")
        counter, live = f"#{fields['comments']}-count", f"#{fields['comments']}-count + span"
        page.fill(f"#{fields['comments']}", "a" * 100)
        page.wait_for_timeout(1000)
        assert page.inner_text(live) == ""  # far from the limit: nothing read out
        page.fill(f"#{fields['comments']}", "é" * 1850)
        assert page.get_attribute(live, "aria-live") == "polite"
        page.locator(live).filter(has_text=re.compile(".")).wait_for()
        assert near.replace(" ", "\xa0") in page.inner_text(counter)
        assert page.inner_text(live) == page.inner_text(counter)
        page.fill(f"#{fields['comments']}", "👍" * 2001)
        assert over.replace(" ", "\xa0") in page.inner_text(counter)
        assert "over" in page.get_attribute(counter, "class")
        # The server says the same number.
        page.click("form .actions button")
        page.wait_for_selector("#error-summary")
        assert over.replace(" ", "\xa0") in page.inner_text(f"#{fields['comments']}-error")
    finally:
        page.context.close()
