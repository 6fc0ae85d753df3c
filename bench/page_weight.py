"""Page weight of the family pages: bytes and requests for `/`, a 10-question form, the
exchange's Share and Rate pages (a sample of 8 ideas of about 300 characters each) and the
public results of the 10-question survey once closed (120 answers, every codebook theme with
up to three quotes of 250 characters, every closed question charted).

The form is also measured as a first visit: no ?lang=, the language guessed from the
phone's Accept-Language, which adds the "Not your language?" box.

Builds a throw-away SQLite app with the district seed and the demo engagements (the
10-question "family-survey-2026" from engagement/data/demo.json, or an equivalent built here
when that file is missing), fetches each page with the Flask test client, adds every linked
stylesheet, script and image, and checks the budget from issue 3: at most 30 KB uncompressed
(HTML + CSS + JS) and at most 3 requests. Exits 1 when a budgeted page is over.

    python bench/page_weight.py [--lang es]
"""

import argparse
import gzip
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engagement import create_app  # noqa: E402
from engagement.extensions import db  # noqa: E402

BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 3
SLUG = "family-survey-2026"
LINKED = re.compile(
    r'<(?:link[^>]*\srel="(?:stylesheet|icon|preload)"[^>]*\shref|script[^>]*\ssrc|img[^>]*\ssrc)'
    r'="([^"]+)"'
)


def build_data(workdir: Path) -> str:
    """Seed the district and the demo engagements (no responses); return the form's slug."""
    from engagement.demo import DEMO_FILE, load_demo
    from engagement.seed import seed_district

    seed_district()
    if DEMO_FILE.exists():
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        for item in data["engagements"]:
            item["responses"] = 0  # page weight does not depend on stored answers
        copy = workdir / "demo.json"
        copy.write_text(json.dumps(data), encoding="utf-8")
        load_demo(copy)
        return SLUG
    return build_ten_questions()


def build_ten_questions() -> str:
    """A 10-question survey like the demo one, with six-language texts."""
    from engagement.models import (
        Engagement,
        EngagementText,
        OptionText,
        Question,
        QuestionOption,
        QuestionText,
    )

    kinds = ["likert5"] * 4 + ["single_choice", "multi_choice", "rating"] + ["open_text"] * 3
    locales = ["en", "es", "pt_BR", "zh_Hans", "ht", "ar"]
    engagement = Engagement(slug=SLUG, kind="survey", status="open")
    for locale in locales:
        engagement.texts.append(
            EngagementText(
                locale=locale,
                title=f"Family survey 2026 ({locale})",
                description="How well do our schools hear and serve your family? " * 2,
            )
        )
    for position, kind in enumerate(kinds):
        question = Question(code=f"q{position}", kind=kind, position=position, required=True)
        for locale in locales:
            question.texts.append(
                QuestionText(locale=locale, text=f"Question {position} about school life?")
            )
        if kind in ("single_choice", "multi_choice"):
            for n in range(5):
                option = QuestionOption(code=f"o{n}", position=n)
                for locale in locales:
                    option.texts.append(OptionText(locale=locale, label=f"Option number {n}"))
                question.options.append(option)
        engagement.questions.append(question)
    db.session.add(engagement)
    db.session.commit()
    return SLUG


def build_exchange(size: int = 8) -> str:
    """A forum in exchange mode with `size` + 2 approved ideas; returns its slug."""
    from datetime import timedelta

    from engagement import exchanges
    from engagement.models import Engagement, EngagementText, IdeaState, utcnow

    engagement = Engagement(
        slug="exchange-weight",
        kind="forum",
        status="open",
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=30),
    )
    engagement.texts.append(EngagementText(locale="en", title="Family forum", description=""))
    db.session.add(engagement)
    db.session.commit()
    exchange = exchanges.enable(engagement, size)
    text = "Hold meetings in the evening, with childcare and interpreters, and send notes " * 4
    for n in range(size + 2):
        author = exchanges.new_participant(exchange, "en")
        idea = exchanges.share_idea(exchange, author, f"{n}: {text}"[:300], "en", f"w{n}")
        exchanges.decide(exchange, idea.id, IdeaState.APPROVED)
    return engagement.slug


def set_rate_phase(slug: str) -> None:
    import sqlalchemy as sa

    from engagement import exchanges
    from engagement.models import Engagement, ExchangePhase

    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
    exchanges.set_phase(exchanges.exchange_of(engagement.id), ExchangePhase.RATE)


def build_results(slug: str, size: int = 120) -> None:
    """`size` answers to every question of `slug` (open ones analysed, each comment in two
    themes and approved as a quote), then close it: its public results are the page."""
    import random
    from datetime import timedelta

    import sqlalchemy as sa

    from engagement.models import (
        Answer,
        AnswerAnalysis,
        AnswerTheme,
        Channel,
        Engagement,
        EngagementStatus,
        QuestionKind,
        QuoteState,
        Response,
        ThemeSource,
        utcnow,
    )
    from engagement.themes.codebook import get_codebook

    rng = random.Random(slug)  # nosec B311: page-weight data, nothing secret
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
    themes = list(get_codebook().themes)
    comment = "The late bus home takes too long and we hear about changes too late. " * 4
    for n in range(size):
        response = Response(
            engagement_id=engagement.id,
            locale=("en", "es", "pt_BR", "zh_Hans", "ht", "ar")[n % 6],
            channel=Channel.WEB,
            submitted_at=utcnow() - timedelta(hours=1),
        )
        db.session.add(response)
        for question in engagement.questions:
            if question.kind == QuestionKind.OPEN_TEXT:
                text = f"{n}: {comment}"[:250]
                answer = Answer(question=question, text=text, quote_state=QuoteState.APPROVED)
                response.answers.append(answer)
                db.session.flush()
                db.session.add(
                    AnswerAnalysis(answer_id=answer.id, lang="en", codebook_version="bench")
                )
                for code in {themes[n % len(themes)], themes[(n * 7 + 3) % len(themes)]}:
                    db.session.add(
                        AnswerTheme(answer_id=answer.id, theme_code=code, source=ThemeSource.AUTO)
                    )
            elif question.kind == QuestionKind.MULTI_CHOICE:
                for code in rng.sample(question.choice_codes, 2):
                    response.answers.append(Answer(question=question, choice=code))
            else:
                choice = rng.choice(question.choice_codes)
                response.answers.append(Answer(question=question, choice=choice))
    engagement.status = EngagementStatus.CLOSED
    db.session.commit()


def measure(client, url: str, method: str = "GET", data=None, headers=None) -> dict:
    """Bytes of the document and of each linked resource, and the request count."""
    headers = headers or {}
    response = client.open(url, method=method, data=data, headers=headers)
    html = response.get_data()
    zipped = client.open(
        url, method=method, data=data, headers={**headers, "Accept-Encoding": "gzip"}
    )
    assets = {}
    for href in LINKED.findall(html.decode()):
        if href.startswith("data:"):
            continue  # inline, no request (the favicon)
        if not href.startswith("/"):
            raise SystemExit(f"third-party or relative resource on {url}: {href}")
        with client.get(href) as asset:
            assets[href] = len(asset.get_data())
    zipped_bytes = len(zipped.get_data())
    if zipped.headers.get("Content-Encoding") != "gzip":
        zipped_bytes = len(gzip.compress(html))
    return {
        "status": response.status_code,
        "html": len(html),
        "assets": assets,
        "total": len(html) + sum(assets.values()),
        "requests": 1 + len(assets),
        "html_gzip": zipped_bytes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="locale to render the pages in")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        app = create_app(
            {
                "CONFIG": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}",
                "WTF_CSRF_ENABLED": True,  # count the CSRF field, as in production
            }
        )
        with app.app_context():
            db.create_all()
            slug = build_data(workdir)
            client = app.test_client()
            form_url = f"/e/{slug}?lang={args.lang}"
            pages = [
                ("home /", f"/?lang={args.lang}", "GET", None, True),
                (f"form /e/{slug}", form_url, "GET", None, True),
                ("form with errors", form_url, "POST", {}, False),
            ]
            rows = [
                (name, measure(client, url, method, data), budgeted)
                for name, url, method, data, budgeted in pages
            ]
            # A first visit from a link without ?lang=: the language comes from the phone's
            # settings and the page adds its "Not your language?" box.
            guessed = app.test_client()  # no language cookie yet
            tag = args.lang.replace("_", "-")
            first = measure(guessed, f"/e/{slug}", headers={"Accept-Language": tag})
            rows.insert(2, ("form, first visit (no ?lang=)", first, True))
            exchange_slug = build_exchange()
            share_url = f"/e/{exchange_slug}/exchange/share?lang={args.lang}"
            rows.append(("exchange share", measure(client, share_url), True))
            set_rate_phase(exchange_slug)
            rate_url = f"/e/{exchange_slug}/exchange/rate?lang={args.lang}"
            rows.append(("exchange rate (8 ideas)", measure(client, rate_url), True))
            build_results(slug)
            results_url = f"/e/{slug}/results?lang={args.lang}"
            rows.append(("results (What we heard)", measure(client, results_url), True))
            db.session.remove()
            db.engine.dispose()

    print(
        f"Page weight, locale {args.lang} (budget: {BUDGET_BYTES:,} bytes uncompressed, "
        f"{BUDGET_REQUESTS} requests)"
    )
    header = (
        f"{'page':<34}{'status':>7}{'HTML':>9}{'CSS+JS':>9}{'total':>9}{'reqs':>6}{'HTML gz':>9}"
    )
    print(header)
    print("-" * len(header))
    over = False
    for name, m, budgeted in rows:
        assets = sum(m["assets"].values())
        flag = ""
        if budgeted and (m["total"] > BUDGET_BYTES or m["requests"] > BUDGET_REQUESTS):
            flag, over = "  OVER BUDGET", True
        print(
            f"{name:<34}{m['status']:>7}{m['html']:>9,}{assets:>9,}{m['total']:>9,}"
            f"{m['requests']:>6}{m['html_gzip']:>9,}{flag}"
        )
    print()
    for href, size in rows[1][1]["assets"].items():
        print(f"  {href}: {size:,} bytes")
    print("Within budget." if not over else "Over budget.")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
