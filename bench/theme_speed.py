"""Throughput of the theme pipeline: comments per second in one process, per language.

Uses the development-set comments (tests/data/themes_dev.jsonl), repeated and varied so
that no per-text cache can flatter the figure. Models load before timing (`warm_up`).

    python bench/theme_speed.py [--seconds 3] [--model instance/theme_model.npz]

With --model, the district's trained classifier (`flask themes train`) runs too, as it does
on the submit path once a model exists.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engagement.themes.pipeline import analyze, warm_up  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "themes_dev.jsonl"
AIM_EN = 1000  # comments/s on one core


def comments_by_lang() -> dict[str, list[str]]:
    """Dev-set comments grouped by language."""
    out: dict[str, list[str]] = {}
    with open(DEV_SET, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out.setdefault(row["lang"], []).append(row["text"])
    return out


def throughput(texts: list[str], lang: str, seconds: float, model=None) -> float:
    """Comments per second analysing `texts` (with a varying suffix) for about `seconds`."""
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            analyze(f"{text} {n}", lang, model=model)  # a fresh string: no cache hits
            n += 1
    return n / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per language")
    parser.add_argument("--model", help="a trained theme model (.npz) to run as well")
    args = parser.parse_args(argv)
    warm_up()
    model = None
    if args.model:
        from engagement.themes.learned import ThemeModel

        model = ThemeModel.load(args.model)
        analyze("warm up the classifier", "en", model=model)
    groups = comments_by_lang()
    print(
        f"Theme pipeline throughput, one process ({args.seconds:.0f} s per language)"
        + (f", with the classifier {args.model}" if model else "")
    )
    rates = {}
    for lang, texts in groups.items():
        rates[lang] = throughput(texts, lang, args.seconds, model)
        print(f"  {lang:8s} {rates[lang]:8.0f} comments/s")
    others = [r for lang, r in rates.items() if lang != "en"]
    print(
        f"  English {rates['en']:.0f}/s (aim {AIM_EN}/s: "
        f"{'met' if rates['en'] >= AIM_EN else 'NOT met'}); "
        f"other languages {min(others):.0f}-{max(others):.0f}/s"
    )


if __name__ == "__main__":
    main()
