"""Render the Commitment 4 report's PDF pages to PNG for the docs: the executive summary
page and the first page of quotes, in English and Arabic.

    .venv/bin/python bench/report_screenshots.py [--out docs/screenshots]

Builds the demo district in a temporary SQLite file (`flask seed` + `flask demo`, demo data
counted), reports from the first demo answer to today, approves every written comment as a
quote (as staff would, one by one), writes the PDF with WeasyPrint, and rasterises pages
with Chromium's own PDF viewer (/usr/bin/chromium through Playwright: no pdftoppm or
pypdfium2 on this machine), each page alone, cropped to the page. Writes
report-summary-LL.png and report-quotes-LL.png.
"""

import argparse
import io
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engagement import create_app  # noqa: E402
from engagement.extensions import db  # noqa: E402
from engagement.models import Answer, QuoteState  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1100, "height": 1400}  # a whole Letter page fits, about 1030 px tall


def build_pdfs(workdir: Path) -> dict[str, tuple[Path, list[str]]]:
    """{lang: (pdf path, quote texts in order)} for en and ar."""
    from engagement.demo import load_demo
    from engagement.exports import render, report
    from engagement.seed import seed_district

    url = f"sqlite:///{workdir / 'demo.sqlite'}"
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url, "COUNT_DEMO_DATA": True})
    out = {}
    with app.app_context():
        db.create_all()
        seed_district()
        load_demo()
        db.session.execute(
            sa.update(Answer)
            .where(Answer.text.is_not(None))
            .values(quote_state=QuoteState.APPROVED)
        )
        db.session.commit()
    for lang in ("en", "ar"):
        # A fresh app context per language: the locale is cached on `g`.
        with app.app_context(), app.test_request_context(f"/?lang={lang}"):
            data = report.build_report(*demo_period())
            pdf = workdir / f"report-{lang}.pdf"
            pdf.write_bytes(render.render_pdf(data))
            quotes = [q.text for g in data.group_themes for t in g.themes for q in t.quotes]
            out[lang] = (pdf, quotes)
    return out


def demo_period():
    """From the first demo answer's day to today. The demo's last year's survey ends with a
    few answers in its last weeks, so a school-year window starting after it is withheld
    whole (a wider window of weeks would single those few out, engagement.summary
    .differencing); this window holds every answer."""
    from engagement.exports import report
    from engagement.models import Response
    from engagement.summary.periods import local_day

    first = db.session.scalar(sa.select(sa.func.min(Response.submitted_at)))
    return local_day(first), report.district_today()


def quotes_page(pdf: Path, quotes: list[str]) -> int:
    """The 1-based number of the first page that prints a quote (2 when none is found)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    for number, page in enumerate(reader.pages, start=1):
        text = "".join((page.extract_text() or "").split())
        if any("".join(q.split())[:25] in text for q in quotes):
            return number
    return 2


def shoot(pdf: Path, page: int, out: Path) -> None:
    """One PDF page to PNG with Chromium's PDF viewer, cropped to the page."""
    import pypdf
    from PIL import Image
    from playwright.sync_api import sync_playwright

    # The page alone in its own file: the viewer shows it whole, with nothing around it.
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[page - 1])
    single = pdf.with_name(f"{pdf.stem}-page{page}.pdf")
    with single.open("wb") as file:
        writer.write(file)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless=new"])
        tab = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        tab.goto(f"file://{single}#toolbar=0&navpanes=0&view=Fit")
        tab.wait_for_timeout(2500)
        shot = tab.screenshot()
        browser.close()
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    # The page is white on the viewer's dark grey: crop to the bright area.
    mask = image.convert("L").point(lambda v: 255 if v > 200 else 0)
    box = mask.getbbox()
    (image.crop(box) if box else image).save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang, (pdf, quotes) in build_pdfs(Path(tmp)).items():
            shoot(pdf, 1, out / f"report-summary-{lang}.png")
            page = quotes_page(pdf, quotes)
            shoot(pdf, page, out / f"report-quotes-{lang}.png")
            print(f"{lang}: summary page 1, quotes page {page} -> {out}")


if __name__ == "__main__":
    main()
