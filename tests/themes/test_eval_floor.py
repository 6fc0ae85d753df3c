"""Floors on the development-set scores, a little below what bench/theme_eval.py measured,
so the pipeline or the codebook cannot quietly regress. Raise them when scores improve."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

F1_FLOORS = {"en": 0.86, "es": 0.87, "pt_BR": 0.92, "zh_Hans": 0.90, "ht": 0.92, "ar": 0.88}
SENTIMENT_ACCURACY_FLOOR = 0.85
LANG_ACCURACY_FLOOR = 0.97
# Spearman rho of the project analyzer against the human ratings of the VADER gold sets
# (../shared/data/external/vader). VADER itself scores 0.838 (tweets) and 0.480 (NYT), on
# the odd held-out half 0.838 and 0.471: the floors (on all lines and on the held-out half)
# keep the project above it.
SPEARMAN_FLOORS = {"tweets": 0.85, "nytEditorialSnippets": 0.50}


@pytest.fixture(scope="module")
def theme_eval():
    spec = importlib.util.spec_from_file_location("theme_eval", ROOT / "bench" / "theme_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(theme_eval):
    return theme_eval.evaluate_dev(theme_eval.load_dev())


def test_dev_set_is_big_enough(scores):
    assert scores["n"] >= 150


@pytest.mark.parametrize("lang", sorted(F1_FLOORS))
def test_theme_f1_floor(scores, lang):
    assert scores["f1"][lang] >= F1_FLOORS[lang]


def test_english_sentiment_floor(scores):
    assert scores["sentiment_acc"] >= SENTIMENT_ACCURACY_FLOOR


def test_language_detection_floor(scores):
    assert scores["lang_acc"] >= LANG_ACCURACY_FLOOR
    assert scores["lang_acc_en_form"] >= LANG_ACCURACY_FLOOR


def test_english_sentiment_beats_vader_on_human_ratings(theme_eval):
    if not theme_eval.VADER_DIR.is_dir():
        pytest.skip(f"VADER gold sets not found in {theme_eval.VADER_DIR}")
    results = theme_eval.evaluate_vader(only=("project",))
    for name, floor in SPEARMAN_FLOORS.items():
        assert results[name]["project"]["all"] >= floor, name
        assert results[name]["project"]["odd"] >= floor, name
