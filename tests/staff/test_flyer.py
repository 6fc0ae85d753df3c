"""The flyer's QR code: decoded from the page's SVG and compared with the intended URL."""

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import segno

from engagement.extensions import db
from tests.factories import PASSWORD, make_engagement


def svg_matrix(svg: str) -> list[list[int]]:
    """Read the dark modules back from segno's SVG path (scale 1, quiet zone included)."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    grid = [[0] * size for _ in range(size)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHhVv])([-\d. ]+)", path):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            row = int(y)
            for col in range(int(x), int(x + numbers[0])):
                grid[row][col] = 1
            x += numbers[0]
        else:
            raise AssertionError(f"unexpected SVG command {command}")
    return grid


def qr_grid(url: str) -> list[list[int]]:
    code = segno.make_qr(url, error="m")
    return [list(map(int, row)) for row in code.matrix_iter(scale=1, border=4)]


def flyer_svg(client, query="", base_url="http://localhost"):
    url = f"/staff/engagements/climate/flyer{query}"
    page = client.get(url, base_url=base_url).get_data(as_text=True)
    return page, re.search(r"<svg.*?</svg>", page, re.S).group(0)


EVIL = "http://evil.example"


@pytest.fixture
def evil_host_client(client, staff_user):
    """Staff signed in through a request whose Host header is evil.example."""
    data = {"email": staff_user.email, "password": PASSWORD}
    assert client.post("/staff/login", data=data, base_url=EVIL).status_code == 302
    return client


def test_qr_decodes_to_the_form_url_tagged_qr(staff_client, seeded):
    make_engagement(slug="climate", titles={"en": "Climate survey", "es": "Encuesta de clima"})
    page, svg = flyer_svg(staff_client)
    # By default: every translated title, and no lang= (the form follows the phone).
    flyer = page.split("<article")[1]
    assert "Climate survey" in flyer and "Encuesta de clima" in flyer
    url = "http://localhost/e/climate?channel=qr"
    assert url in page
    assert svg_matrix(svg) == qr_grid(url)
    assert svg_matrix(svg) != qr_grid("http://localhost/e/climate")
    assert svg_matrix(svg) != qr_grid("http://localhost/e/other?channel=qr")
    assert 'role="img"' in svg and "<title>" in svg


def test_one_language_adds_lang_and_shows_its_title(staff_client, seeded):
    make_engagement(slug="climate", titles={"en": "Climate survey", "es": "Encuesta de clima"})
    page, svg = flyer_svg(staff_client, "?show=es")
    url = "http://localhost/e/climate?channel=qr&lang=es"
    assert svg_matrix(svg) == qr_grid(url)
    assert "Encuesta de clima" in page and "Climate survey" not in page.split("<article")[1]
    query = parse_qs(urlsplit(url).query)
    assert query == {"channel": ["qr"], "lang": ["es"]}


def test_several_languages_titles_without_lang(staff_client, seeded):
    make_engagement(slug="climate", titles={"en": "Climate survey", "es": "Encuesta de clima"})
    page, svg = flyer_svg(staff_client, "?show=en&show=es&show=ar")
    assert svg_matrix(svg) == qr_grid("http://localhost/e/climate?channel=qr")
    flyer = page.split("<article")[1]
    assert "Climate survey" in flyer and "Encuesta de clima" in flyer
    assert 'lang="ar" dir="rtl"' in flyer
    # The flyer's print rules come with the staff stylesheet the page links.
    assert "/static/staff." in page
    css = (Path(__file__).parents[2] / "engagement" / "static" / "staff.css").read_text()
    assert ".flyer-qr" in css and "@media print" in css


def test_the_host_header_never_decides_the_qr_code(evil_host_client, seeded):
    make_engagement(slug="climate", titles={"en": "Climate survey"})
    page, svg = flyer_svg(evil_host_client, base_url=EVIL)
    assert "evil.example" not in page
    assert svg_matrix(svg) == qr_grid("http://localhost/e/climate?channel=qr")
    assert svg_matrix(svg) != qr_grid("http://evil.example/e/climate?channel=qr")


@pytest.mark.parametrize(
    "base, expected",
    [
        ("https://voice.district.org", "https://voice.district.org/e/climate?channel=qr&lang=es"),
        ("https://district.org/voice/", "https://district.org/voice/e/climate?channel=qr&lang=es"),
    ],
)
def test_qr_code_is_on_the_public_base_url(app, evil_host_client, seeded, base, expected):
    make_engagement(slug="climate", titles={"en": "Climate survey", "es": "Encuesta de clima"})
    app.config["PUBLIC_BASE_URL"] = base
    page, svg = flyer_svg(evil_host_client, "?show=es", base_url=EVIL)
    assert expected.replace("&", "&amp;") in page and "evil.example" not in page
    assert svg_matrix(svg) == qr_grid(expected)


# --- what the flyer says around the code ------------------------------------------------------


def flyer_sections(page):
    """{lang attribute: section html} of the flyer's language sections."""
    return dict(
        re.findall(r'<section class="flyer-lang" lang="([^"]+)"[^>]*>(.*?)</section>', page, re.S)
    )


def test_each_language_says_scan_until_when_privacy_and_whom_to_ask(staff_client, seeded):
    engagement = make_engagement(
        slug="climate", titles={"en": "Climate survey", "es": "Encuesta de clima"}
    )
    engagement.closes_at = datetime(2026, 12, 18, 22, 0, tzinfo=UTC)
    db.session.commit()
    page, _svg = flyer_svg(staff_client, "?show=en&show=es&show=ar")
    sections = flyer_sections(page)
    assert set(sections) == {"en", "es", "ar"}
    en, es, ar = sections["en"], sections["es"], sections["ar"]
    assert "Scan the code with your phone to answer." in en
    assert "Open until December 18, 2026" in en
    assert "Your answers are private." in en
    assert "Questions? Contact the district" in en
    assert "617-555-0100" in en and "family-voice@district.example.org" in en
    # The same lines in each language, never English on the Spanish or Arabic part.
    assert "Escanee el código con su teléfono para responder." in es
    assert "Abierta hasta el 18 de diciembre de 2026" in es
    assert "Scan the code" not in es and "Your answers are private" not in es
    assert "Scan the code" not in ar and "Open until" not in ar
    assert "617-555-0100" in ar


def test_no_close_date_no_contact_no_such_lines(app, staff_client, seeded):
    engagement = make_engagement(slug="climate", titles={"en": "Climate survey"})
    engagement.closes_at = None
    db.session.commit()
    app.config["DISTRICT_CONTACT_PHONE"] = None
    app.config["DISTRICT_CONTACT_EMAIL"] = None
    page, _svg = flyer_svg(staff_client, "?show=en")
    section = flyer_sections(page)["en"]
    assert "Scan the code with your phone to answer." in section
    assert "Open until" not in section and "Contact the district" not in section
