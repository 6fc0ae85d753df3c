"""Evaluate the theme pipeline.

1. The team's labelled development set (tests/data/themes_dev.jsonl): per-language
   micro-F1 for themes, language-detection accuracy (with the form locale as hint, and with
   the English form as hint to mimic families writing in their own language), and English
   3-class sentiment accuracy.
2. English sentiment against human ratings nobody on the team wrote: the VADER gold sets
   (Hutto & Gilbert 2014, MIT), Spearman correlation for raw TextBlob (PatternAnalyzer),
   VADER and the project analyzer. The files are read from ../shared/data/external/vader
   relative to the repository root, or from $ENGAGEMENT_VADER_DIR; they are not copied here.
   Each set is also split by line parity: rule changes and lexicon weights (including how
   AFINN-165 is combined with the pattern lexicon) were tuned on the even lines only, so the
   odd lines are a held-out half; VADER is scored on the same halves. VADER is a comparison
   only: the project analyzer uses none of its lexicon or code.

    python bench/theme_eval.py            # everything
    python bench/theme_eval.py --dev      # the development set only
"""

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engagement.themes.english import polarity  # noqa: E402
from engagement.themes.pipeline import analyze, training_example  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "themes_dev.jsonl"
BLIND_DIR = ROOT / "tests" / "data" / "blind"
VADER_DIR = Path(os.environ.get("ENGAGEMENT_VADER_DIR", ROOT.parent / "shared/data/external/vader"))
VADER_SETS = ("tweets", "nytEditorialSnippets")
LOCALES = ("en", "es", "pt_BR", "zh_Hans", "ht", "ar")
SENTIMENT_THRESHOLD = 0.1  # |polarity| below this is "neutral"


def load_dev(path: Path = DEV_SET) -> list[dict]:
    """The development set rows."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_blind(split: str | None = None) -> list[dict]:
    """Rows of the blind theme set (tests/data/blind), all splits or one ("dev", "test")."""
    rows = []
    for lang in LOCALES:
        with open(BLIND_DIR / f"themes_{lang}.jsonl", encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return [r for r in rows if split is None or r["split"] == split]


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def evaluate_themes(rows: list[dict], predict=None) -> dict:
    """Theme scores of `predict(text, lang) -> codes` (the pipeline by default) on `rows`:
    micro-F1 per language and overall, per-theme precision/recall overall and per language,
    and how many comments got no theme."""
    if predict is None:

        def predict(text, lang):
            return analyze(text, lang).themes

    by_lang = defaultdict(lambda: [0, 0, 0])
    by_theme = defaultdict(lambda: [0, 0, 0])
    by_lang_theme = defaultdict(lambda: [0, 0, 0])
    no_theme = defaultdict(int)
    for row in rows:
        gold, got = set(row["themes"]), set(predict(row["text"], row["lang"]))
        no_theme[row["lang"]] += not got
        for code in gold | got:
            i = 0 if code in gold and code in got else (1 if code in got else 2)
            by_lang[row["lang"]][i] += 1
            by_theme[code][i] += 1
            by_lang_theme[row["lang"], code][i] += 1
    tp, fp, fn = (sum(c[i] for c in by_lang.values()) for i in range(3))

    def pr(c):
        tp, fp, fn = c
        return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)

    return {
        "n": len(rows),
        "f1": {lang: _f1(*by_lang[lang]) for lang in LOCALES if lang in by_lang},
        "f1_all": _f1(tp, fp, fn),
        "themes": {code: (*pr(c), c[0] + c[2]) for code, c in sorted(by_theme.items())},
        "lang_themes": {key: pr(c) for key, c in by_lang_theme.items()},
        "no_theme": dict(no_theme),
    }


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def print_theme_scores(title: str, scores: dict, per_language: bool = True) -> None:
    """Print the figures of `evaluate_themes`."""
    print(f"{title} ({scores['n']} comments)")
    f1 = "  ".join(f"{lang} {v:.3f}" for lang, v in scores["f1"].items())
    print(f"  theme micro-F1: {f1}   all {scores['f1_all']:.3f}")
    print(
        f"  no theme: {sum(scores['no_theme'].values())} "
        f"({', '.join(f'{k} {v}' for k, v in scores['no_theme'].items())})"
    )
    langs = list(scores["f1"])
    header = "".join(f"{lang:>12s}" for lang in langs)
    print(f"  per theme P/R (gold n){' ' * 14}all{header}")
    for code, (p, r, n) in scores["themes"].items():
        cells = ""
        if per_language:
            for lang in langs:
                lp, lr = scores["lang_themes"].get((lang, code), (None, None))
                cells += f"   {_fmt(lp)}/{_fmt(lr)}"
        print(f"    {code:20s} ({n:3d})  {_fmt(p)}/{_fmt(r)}{cells}")


CURVE_SIZES = (50, 100, 200, 400)
CURVE_SEED = 20261128


def reviewed_pool() -> list:
    """Stand-ins for reviewer-confirmed comments: the team's set and the blind dev split,
    as training examples (never the blind test split)."""
    rows = load_dev() + load_blind("dev")
    return [training_example(r["text"], r["lang"], r["themes"]) for r in rows]


def model_predictor(model):
    """predict(text, lang) for `evaluate_themes` with a trained model."""
    return lambda text, lang: analyze(text, lang, model=model).themes


def learning_curve(sizes=CURVE_SIZES, seed=CURVE_SEED) -> dict:
    """{n: scores on the blind test split} for a model trained on n reviewed comments."""
    import random

    from engagement.themes.codebook import get_codebook
    from engagement.themes.learned import train

    pool = reviewed_pool()
    random.Random(seed).shuffle(pool)
    test = load_blind("test")
    codes = get_codebook().codes
    return {
        n: evaluate_themes(test, model_predictor(train(pool[:n], codes)))
        for n in sizes
        if n <= len(pool)
    }


def cross_validate(folds: int = 5, seed: int = CURVE_SEED, **params) -> dict:
    """Micro-F1 of codebook + model by `folds`-fold cross-validation inside the reviewed
    pool (for choosing settings without looking at the test split)."""
    import random

    from engagement.themes import learned
    from engagement.themes.codebook import get_codebook

    pool = reviewed_pool()
    random.Random(seed).shuffle(pool)
    codes = get_codebook().codes
    saved = {k: getattr(learned, k) for k in params if k.isupper()}
    for k, v in params.items():
        if k.isupper():
            setattr(learned, k, v)
    try:
        tp = fp = fn = 0
        for k in range(folds):
            held = pool[k::folds]
            model = learned.train(
                [e for i, e in enumerate(pool) if i % folds != k], codes, c=params.get("c", 4.0)
            )
            for e in held:
                got = set(model.combine(e.text, e.lang, list(e.codebook_themes)))
                gold = set(e.themes)
                tp += len(got & gold)
                fp += len(got - gold)
                fn += len(gold - got)
    finally:
        for k, v in saved.items():
            setattr(learned, k, v)
    return {"f1": _f1(tp, fp, fn)}


def print_learning_curve(curve: dict) -> None:
    """F1 by language on the blind test split after n reviewed comments."""
    print("Learning curve: codebook + model trained on n reviewed comments, blind TEST split")
    langs = list(next(iter(curve.values()))["f1"])
    print("      n  " + "".join(f"{lang:>9s}" for lang in langs) + "      all  equity R")
    for n, scores in curve.items():
        cells = "".join(f"{scores['f1'][lang]:9.3f}" for lang in langs)
        equity = scores["themes"].get("equity_inclusion", (None, None, 0))[1]
        print(f"  {n:5d}  {cells}  {scores['f1_all']:7.3f}  {_fmt(equity):>8s}")


def sentiment_class(value: float | None) -> str | None:
    """3-class label for a polarity."""
    if value is None:
        return None
    if value >= SENTIMENT_THRESHOLD:
        return "positive"
    if value <= -SENTIMENT_THRESHOLD:
        return "negative"
    return "neutral"


def evaluate_dev(rows: list[dict]) -> dict:
    """Scores on the development set: {"f1": {lang: micro-F1}, "lang_acc": ..., ...}."""
    counts = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    lang_ok = lang_ok_en_form = 0
    sent_ok = sent_n = 0
    for row in rows:
        result = analyze(row["text"], row["lang"])
        gold, got = set(row["themes"]), set(result.themes)
        c = counts[row["lang"]]
        c[0] += len(gold & got)
        c[1] += len(got - gold)
        c[2] += len(gold - got)
        lang_ok += result.lang == row["lang"]
        lang_ok_en_form += analyze(row["text"], "en").lang == row["lang"]
        if "sentiment" in row and row["lang"] == "en":
            sent_n += 1
            sent_ok += sentiment_class(result.sentiment) == row["sentiment"]
    f1 = {}
    for lang in LOCALES:
        tp, fp, fn = counts[lang]
        f1[lang] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    return {
        "f1": f1,
        "f1_all": 2 * tp / (2 * tp + fp + fn),
        "lang_acc": lang_ok / len(rows),
        "lang_acc_en_form": lang_ok_en_form / len(rows),
        "sentiment_acc": sent_ok / sent_n if sent_n else None,
        "sentiment_n": sent_n,
        "n": len(rows),
    }


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1  # ties share their mean rank
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rho: Pearson correlation of the (tie-averaged) ranks."""
    rx, ry = _ranks(xs), _ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def load_vader_set(name: str) -> list[tuple[float, str]]:
    """(mean human rating, text) pairs of one VADER gold set."""
    path = VADER_DIR / f"{name}_GroundTruth.txt"
    rows = []
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for line in f:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) >= 3:
                rows.append((float(parts[1]), parts[2]))
    return rows


def analyzers() -> dict:
    """name -> function(text) -> score, for the comparison."""
    from textblob.en.sentiments import PatternAnalyzer

    pattern = PatternAnalyzer()
    out = {"TextBlob (pattern)": lambda t: pattern.analyze(t).polarity}
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("vaderSentiment not installed (test extra): VADER column skipped")
    else:
        vader = SentimentIntensityAnalyzer()
        out["VADER"] = lambda t: vader.polarity_scores(t)["compound"]
    out["project"] = polarity
    return out


def evaluate_vader(only: tuple[str, ...] | None = None) -> dict | None:
    """{set: {analyzer: {"all", "even", "odd"}}}, or None when the files are absent.

    `only` limits the analyzers by name (the floor test scores "project" alone).
    """
    if not VADER_DIR.is_dir():
        print(f"VADER gold sets not found in {VADER_DIR}: Spearman part skipped")
        return None
    fns = {"project": polarity} if only == ("project",) else analyzers()
    fns = {k: v for k, v in fns.items() if only is None or k in only}
    results = {}
    for name in VADER_SETS:
        rows = load_vader_set(name)
        gold = [r for r, _ in rows]
        results[name] = {"n": len(rows)}
        for label, fn in fns.items():
            scores = [fn(t) for _, t in rows]
            results[name][label] = {
                "all": spearman(scores, gold),
                "even": spearman(scores[0::2], gold[0::2]),
                "odd": spearman(scores[1::2], gold[1::2]),
            }
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="development set only")
    parser.add_argument("--blind", action="store_true", help="the blind set's figures only")
    parser.add_argument(
        "--model",
        action="store_true",
        help="also the trained model: the learning curve and the figures with all examples",
    )
    parser.add_argument(
        "--save-model",
        metavar="PATH",
        help="train on the whole reviewed pool and save the model (for bench/theme_speed.py)",
    )
    args = parser.parse_args(argv)

    if args.save_model:
        from engagement.themes.codebook import get_codebook
        from engagement.themes.learned import train

        train(reviewed_pool(), get_codebook().codes).save(args.save_model)
        print(f"Saved a model trained on the reviewed pool to {args.save_model}")
        return
    if not args.dev:
        print_theme_scores(
            "Blind set, dev split (rules are tuned on it)", evaluate_themes(load_blind("dev"))
        )
        print_theme_scores(
            "Blind set, TEST split (never read)", evaluate_themes(load_blind("test"))
        )
        print()
        if args.model:
            curve = learning_curve()
            print_learning_curve(curve)
            print()
            print_theme_scores(
                f"Blind set, TEST split, codebook + model trained on {max(curve)} reviewed",
                curve[max(curve)],
            )
            print()
        if args.blind:
            return

    dev = evaluate_dev(load_dev())
    print(f"Development set ({dev['n']} comments, {DEV_SET.relative_to(ROOT)})")
    print("  theme micro-F1 per language:")
    for lang, value in dev["f1"].items():
        print(f"    {lang:8s} {value:.3f}")
    print(f"    {'all':8s} {dev['f1_all']:.3f}")
    print(f"  language detection, form locale as hint: {dev['lang_acc']:.3f}")
    print(f"  language detection, English form as hint: {dev['lang_acc_en_form']:.3f}")
    print(
        f"  English sentiment accuracy, 3 classes (|s| < {SENTIMENT_THRESHOLD} neutral, "
        f"n={dev['sentiment_n']}): {dev['sentiment_acc']:.3f}"
    )
    if args.dev:
        return
    vader = evaluate_vader()
    if not vader:
        return
    print("\nEnglish sentiment vs human ratings, Spearman rho (VADER gold sets)")
    print("  (even = lines used when checking rule changes, odd = held-out half)")
    for name, res in vader.items():
        print(f"  {name} (n={res['n']})")
        for label, r in res.items():
            if label != "n":
                print(
                    f"    {label:20s} all {r['all']:.3f}   even {r['even']:.3f}   "
                    f"odd {r['odd']:.3f}"
                )
        if "VADER" in res:
            gap = {k: res["project"][k] - res["VADER"][k] for k in ("all", "even", "odd")}
            print(
                f"    {'project - VADER':20s} all {gap['all']:+.3f}   even {gap['even']:+.3f}   "
                f"odd {gap['odd']:+.3f}"
            )


if __name__ == "__main__":
    main()
