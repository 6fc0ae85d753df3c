"""Real browser: a new administrator signs in, is sent to set up two-step sign-in, scans
nothing (the test reads the key shown on the page and makes codes with pyotp, as an app
would), keeps the recovery codes, signs out, and signs in again with password and code."""

from pathlib import Path

import pyotp
import pytest

from engagement.models import Role
from engagement.staff.services.accounts_totp import VALID_WINDOW, current_step
from tests.browser.conftest import serving
from tests.factories import PASSWORD, make_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "accounts"

pytestmark = pytest.mark.browser


def _new_admin():
    from engagement.seed import seed_district

    seed_district()
    make_user("admin@example.org", Role.ADMIN, two_step=False)


@pytest.fixture
def admin_server(tmp_path):
    with serving(tmp_path / "live.sqlite", _new_admin) as server:
        yield server.url


def sign_in_with_password(page, base):
    page.goto(f"{base}/staff/login")
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")


def test_admin_sets_up_two_step_and_signs_in_with_a_code(admin_server, browser):
    base = admin_server
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.set_default_timeout(10000)
    elsewhere = []
    page.on("request", lambda r: r.url.startswith(base) or elsewhere.append(r.url))

    # The password step leads straight to the setup, which nothing else can be reached from.
    sign_in_with_password(page, base)
    page.wait_for_url(f"{base}/staff/account/two-step")
    assert page.locator("svg.qr-code").is_visible()
    page.goto(f"{base}/staff/users")
    page.wait_for_url(f"{base}/staff/account/two-step")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "two-step-setup.png"), full_page=True)

    secret = page.locator(".two-step-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    used = current_step()
    page.fill("input[name=code]", totp.generate_otp(used))
    page.click("form:has(input[name=code]) [type=submit]")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.click("text=I have kept my codes: continue")
    page.wait_for_url(f"{base}/staff/")

    page.click("nav.staff-nav >> text=Sign out")
    page.wait_for_url(f"{base}/staff/login")

    # Two steps now: the password, then a code the server has not seen yet.
    sign_in_with_password(page, base)
    page.wait_for_url(f"{base}/staff/login/code")
    assert page.locator("input[name=code]").get_attribute("autocomplete") == "one-time-code"
    step = max(current_step() - VALID_WINDOW, used + 1)
    page.fill("input[name=code]", totp.generate_otp(step))
    page.click("form:has(input[name=code]) [type=submit]")
    page.wait_for_url(f"{base}/staff/")
    assert page.locator("h1").inner_text() == "Staff workspace"
    assert page.locator("nav.staff-nav >> text=Accounts").is_visible()
    assert elsewhere == []  # the QR code and everything else came from the app itself
    page.close()
