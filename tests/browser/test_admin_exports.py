"""Real browser: an administrator downloads the raw XLSX and the Commitment 4 PDF for the
demo data from the exports page."""

import shutil
import subprocess
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from engagement.extensions import db
from engagement.models import AuditLog, Response, Role
from tests.browser.conftest import ROOT, serving
from tests.factories import PASSWORD, TOTP_SECRET, make_user
from tests.system_deps import require_pdf

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


def _demo_data():
    from flask import current_app

    from engagement.demo import load_demo
    from engagement.seed import seed_district

    current_app.config["COUNT_DEMO_DATA"] = True  # as in `make run`'s one-machine trial
    seed_district()
    load_demo()
    make_user("admin@example.org", Role.ADMIN)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("exports") / "demo.sqlite", _demo_data) as server:
        yield server


def test_admin_downloads_raw_xlsx_and_the_commitment4_pdf(demo_server, browser, tmp_path):
    require_pdf()
    base = demo_server.url
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    page.fill("input[name=email]", "admin@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) [type=submit]")
    page.fill("input[name=code]", pyotp.TOTP(TOTP_SECRET).now())  # administrators: two steps
    page.click("form:has(input[name=code]) [type=submit]")
    page.click("nav.staff-nav >> text=Exports")

    raw = page.locator("form[action$='/exports/responses']")
    raw.locator("select[name=format]").select_option("xlsx")
    with page.expect_download() as info:
        raw.locator("input[type=submit]").click()  # not the data dictionary's button
    xlsx = tmp_path / info.value.suggested_filename
    info.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"

    report = page.locator("form[action$='/exports/report']")
    report.locator("select[name=format]").select_option("pdf")
    with page.expect_download() as info:
        report.locator("[type=submit]").click()
    pdf = ARTIFACTS / "commitment4-demo.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    info.value.save_as(pdf)
    context.close()

    with demo_server.app.app_context():
        stored = db.session.scalar(sa.select(sa.func.count(Response.id)))
        actions = set(db.session.scalars(sa.select(AuditLog.action)))
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["responses", "dictionary"]
    sheet = book.worksheets[0]
    assert sheet.max_row == stored + 1  # a header row, then one row per response

    reader = PdfReader(pdf)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    assert "Commitment 4 evidence" in text and "1. Engagement held" in text
    assert "Meetings held" in text and "fewer than 10" in text  # REPORT_MIN_GROUP_SIZE
    assert {"export.responses", "export.report"} <= actions

    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(ARTIFACTS / "report-page1"),
            ],
            check=True,
        )
        assert Path(ARTIFACTS / "report-page1.png").stat().st_size > 10_000
