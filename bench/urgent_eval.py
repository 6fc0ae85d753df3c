"""Measure the urgent-comment rules (engagement.themes.urgent) on coded comments.

Reads every `urgent_*.jsonl` and `themes_*.jsonl` file in a folder (default
tests/data/blind/), one comment a line with the fields id, lang (en es pt zh ht ar), text,
urgent (true/false), urgent_kind and contact_requested, and runs each comment through the
same pipeline as a submission (`analyze`, with the file's language as the form's locale).
Prints, per language and overall:

- urgent: precision and recall of "flagged urgent" against the coders' `urgent`, and how
  often the flagged kind equals `urgent_kind` among comments both call urgent;
- contact: precision and recall of "asks to be contacted" against `contact_requested`;
- queue: precision and recall of "goes to the follow-up queue" (urgent or asks for contact)
  against (urgent or contact_requested).

    python bench/urgent_eval.py [FOLDER] [--misses]

The rules must not be tuned on a blind set after it has been measured: report the figures.
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engagement.themes.pipeline import analyze  # noqa: E402

DEFAULT_DIR = ROOT / "tests" / "data" / "blind"
LOCALE_OF = {"en": "en", "es": "es", "pt": "pt_BR", "zh": "zh_Hans", "ht": "ht", "ar": "ar"}
ORDER = ["en", "es", "pt", "zh", "ht", "ar"]


def truthy(value) -> bool:
    """The coders' yes/no, whichever way it was written."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y"}
    return bool(value)


def load(folder: Path) -> list[dict]:
    """Every coded comment of the urgent_* and themes_* files in `folder`."""
    rows = []
    files = sorted(folder.glob("urgent_*.jsonl")) + sorted(folder.glob("themes_*.jsonl"))
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    row["_file"] = path.name
                    rows.append(row)
    return rows


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, predicted: bool, gold: bool) -> None:
        if predicted and gold:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    def precision(self) -> float | None:
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else None

    def recall(self) -> float | None:
        positives = self.tp + self.fn
        return self.tp / positives if positives else None

    def line(self) -> str:
        def pct(x):
            return "   n/a" if x is None else f"{100 * x:5.1f}%"

        return (
            f"P {pct(self.precision())}  R {pct(self.recall())}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def evaluate(rows: list[dict], show_misses: bool = False) -> None:
    """Print the scores of `rows`."""
    scores = {what: defaultdict(Score) for what in ("urgent", "contact", "queue")}
    kind_same = defaultdict(lambda: [0, 0])
    for row in rows:
        lang = row.get("lang", "en")
        result = analyze(row["text"], LOCALE_OF.get(lang, lang))
        gold_urgent = truthy(row.get("urgent"))
        gold_contact = truthy(row.get("contact_requested"))
        flagged = result.urgent is not None
        for key in (lang, "all"):
            scores["urgent"][key].add(flagged, gold_urgent)
            scores["contact"][key].add(result.asks_contact, gold_contact)
            scores["queue"][key].add(flagged or result.asks_contact, gold_urgent or gold_contact)
            if flagged and gold_urgent:
                kind_same[key][1] += 1
                kind_same[key][0] += result.urgent == row.get("urgent_kind")
        if show_misses and flagged != gold_urgent:
            label = "MISSED" if gold_urgent else "FALSE "
            print(f"{label} {row.get('id')} [{row.get('urgent_kind')}/{result.urgent}]")
    languages = [lang for lang in ORDER if lang in scores["urgent"]]
    languages += sorted(set(scores["urgent"]) - set(ORDER) - {"all"})
    print(f"{len(rows)} coded comments")
    for what in ("urgent", "contact", "queue"):
        print(f"\n{what}")
        for lang in [*languages, "all"]:
            print(f"  {lang:4} {scores[what][lang].line()}")
    print("\nkind agreement among comments both call urgent")
    for lang in [*languages, "all"]:
        same, both = kind_same[lang]
        print(f"  {lang:4} {same}/{both}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--misses", action="store_true", help="list misclassified ids")
    args = parser.parse_args()
    rows = load(args.folder)
    if not rows:
        sys.exit(f"no urgent_*.jsonl or themes_*.jsonl files in {args.folder}")
    evaluate(rows, args.misses)


if __name__ == "__main__":
    main()
