"""The report's date range, targets file and the small-group guard on derived totals."""

import json
from datetime import date

import pytest

from engagement.exports.report import date_range, derived_total, school_year
from engagement.exports.targets import TargetsError, load_targets
from engagement.summary import Cell


def cell(n, suppressed=False):
    return Cell(key="k", label="k", n=None if suppressed else n, suppressed=suppressed)


def test_school_year_runs_july_to_june():
    assert school_year(date(2024, 9, 1)) == (date(2024, 7, 1), date(2025, 6, 30))
    assert school_year(date(2025, 6, 30)) == (date(2024, 7, 1), date(2025, 6, 30))
    assert school_year(date(2025, 7, 1)) == (date(2025, 7, 1), date(2026, 6, 30))


def test_date_range_defaults_and_checks(app):
    assert date_range(date(2024, 9, 1), None) == (date(2024, 9, 1), date(2025, 6, 30))
    assert date_range(None, date(2025, 3, 1)) == (date(2024, 7, 1), date(2025, 3, 1))
    start, end = date_range(None, None)
    assert (start.month, start.day, end.month, end.day) == (7, 1, 6, 30)
    with app.test_request_context(), pytest.raises(ValueError, match="start date"):
        date_range(date(2025, 1, 2), date(2025, 1, 1))


def test_derived_total_never_reveals_a_hidden_cell():
    k = 5
    assert derived_total(30, [cell(10), cell(20)], k) == 30
    # One hidden part: the total minus the shown parts would give it exactly.
    assert derived_total(30, [cell(3, True), cell(27)], k) is None
    # Two hidden parts adding up to fewer than k: their sum is itself a small group.
    assert derived_total(30, [cell(1, True), cell(2, True), cell(27)], k) is None
    # Two hidden parts adding up to k or more: neither can be worked out.
    assert derived_total(30, [cell(3, True), cell(4, True), cell(23)], k) == 30
    # Five hidden parts adding up to 5: each is exactly 1.
    assert derived_total(30, [cell(1, True)] * 5 + [cell(25)], k) is None
    assert derived_total(None, [cell(10)], k) is None


def test_shipped_targets_file_loads(app):
    targets = load_targets()
    assert {t.metric for t in targets.targets} >= {
        "focus_subgroup_share",
        "events_per_school",
        "languages_offered",
    }
    assert 0 < sum(targets.baseline.race_ethnicity.values()) <= 1.0001
    assert targets.baseline.home_language["en"] > 0


def test_targets_file_setting_and_errors(app, tmp_path):
    path = tmp_path / "targets.json"
    path.write_text(json.dumps({"enrollment": {"race_ethnicity": {"martian": 0.1}}}))
    app.config["REPORT_TARGETS_FILE"] = str(path)
    with pytest.raises(TargetsError, match="martian"):
        load_targets()
    path.write_text(json.dumps({"targets": [{"metric": "focus_subgroup_share", "target": 18}]}))
    with pytest.raises(TargetsError, match="share"):
        load_targets()
    path.write_text(
        json.dumps(
            {
                "targets": [
                    {
                        "metric": "events_per_school",
                        "target": 2,
                        "kinds": ["forum"],
                        "note": "n",
                        "note_translations": {"es": "nota"},
                    }
                ]
            }
        )
    )
    [target] = load_targets().targets
    assert target.kinds == ["forum"] and target.note_in("es") == "nota"
    assert target.note_in("ar") == "n"
