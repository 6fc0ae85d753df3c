"""The family form's first screen on phones: what a parent sees before scrolling.

Serves a throw-away app with the district seed and the 10-question demo survey (as
bench/page_weight.py does), opens the form in Debian's Chromium at 320 and 375 px wide (667
tall) in every language, and prints the header's height, where the first question and its
first option start, how many screens tall the page is, and the sideways scroll at 200% text.
With --shots DIR it also saves the first screen of the form in en and ar at 375 px as PNGs,
DIR/form-first-screen-PREFIX-LANG.png (docs/screenshots holds the before/after of issue 14).
The script runs against whatever checkout it sits in: copied into an older worktree, it
measures and pictures that version's form.

    python bench/form_first_screen.py [--shots docs/screenshots --prefix after]
"""

import argparse
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from page_weight import build_data  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from engagement import create_app  # noqa: E402
from engagement.extensions import db  # noqa: E402

LOCALES = ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"]
CHROMIUM = "/usr/bin/chromium"
HEIGHT = 667

MEASURE = """() => {
  const top = (el) => el ? Math.round(el.getBoundingClientRect().top + scrollY) : null;
  const header = document.querySelector('.site-header');
  const first = document.querySelector('form fieldset, form .field');
  const option = first && first.querySelector('input, textarea, select');
  return {
    header: header ? Math.round(header.getBoundingClientRect().height) : null,
    question: top(first), option: top(option),
    height: document.documentElement.scrollHeight,
  };
}"""
OVERFLOW = """() => {
  document.documentElement.style.fontSize = '200%';
  return document.documentElement.scrollWidth - document.documentElement.clientWidth;
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="directory for the first-screen PNGs")
    parser.add_argument("--prefix", default="after", help="PNG name prefix (before/after)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        app = create_app(
            {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'b.sqlite'}"}
        )
        with app.app_context():
            db.create_all()
            slug = build_data(workdir)
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}/e/{slug}?lang="
        print(
            f"{'lang':<8}{'width':>6}{'header':>8}{'1st q':>7}{'1st opt':>9}{'screens':>9}"
            f"{'200% x-scroll':>15}"
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for locale in LOCALES:
                for width in (320, 375):
                    context = browser.new_context(
                        viewport={"width": width, "height": HEIGHT}, device_scale_factor=1
                    )
                    page = context.new_page()
                    page.goto(base + locale)
                    m = page.evaluate(MEASURE)
                    if args.shots and locale in ("en", "ar") and width == 375:
                        path = args.shots / f"form-first-screen-{args.prefix}-{locale}.png"
                        page.screenshot(path=str(path))
                    sideways = page.evaluate(OVERFLOW)
                    print(
                        f"{locale:<8}{width:>6}{m['header']:>8}{m['question']:>7}"
                        f"{m['option']:>9}{m['height'] / HEIGHT:>9.1f}{sideways:>15}"
                    )
                    context.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
