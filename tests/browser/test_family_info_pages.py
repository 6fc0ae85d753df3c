"""Real browser: the pages and blocks added for issue 14 (privacy notice, contacts, language
notice, event details, confirmation panel) have no axe-core violations in any language, and
the footer with the contacts still prints."""

import pytest

from tests.browser.test_family_flow import check_axe, html_lang
from tests.public.conftest import LOCALES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", LOCALES)
def test_new_family_pages_pass_axe(live_server, phone, locale):
    page = phone
    page.set_default_timeout(10000)
    for path, what in (
        ("/privacy", "privacy notice"),
        ("/e/coffee", "coffee with event details"),
        ("/e/family-survey/thanks", "thank-you page"),
    ):
        page.goto(f"{live_server.url}{path}?lang={locale}")
        assert page.get_attribute("html", "lang") == html_lang(locale)
        assert page.locator("#district-contact-heading").is_visible()
        check_axe(page, f"{what} ({locale})")
    assert page.locator(".confirmation h1").is_visible()


@pytest.mark.parametrize(
    ("header", "locale"), [("fr-HT,fr;q=0.9", "ht"), ("zh-TW", "zh_Hans"), ("ar", "ar")]
)
def test_language_notice_on_first_visit_passes_axe(live_server, browser, header, locale):
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, extra_http_headers={"Accept-Language": header}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert page.get_attribute("html", "lang") == html_lang(locale)
        assert page.locator(".language-notice").is_visible()
        check_axe(page, f"home with language notice ({header})")
        page.locator(".language-notice a[hreflang='en']").click()
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang") == "en"
        assert page.locator(".language-notice").count() == 0
    finally:
        context.close()


def test_footer_and_contacts_are_printed(live_server, phone):
    page = phone
    page.goto(live_server.url + "/privacy")
    page.emulate_media(media="print")
    assert page.locator(".site-footer").is_visible()
    assert page.locator("#district-contact-heading").is_visible()
    assert not page.locator(".site-header").is_visible()
