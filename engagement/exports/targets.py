"""The district's enrollment baseline and engagement targets (engagement/data/report_targets.json,
or the file named by the REPORT_TARGETS_FILE setting), checked when loaded."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from engagement.models import EngagementKind, RaceEthnicity

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "report_targets.json"
METRICS = {
    "focus_subgroup_share",
    "non_english_share",
    "events_per_school",
    "languages_offered",
    "responses_total",
}
SHARE_METRICS = {"focus_subgroup_share", "non_english_share"}


class TargetsError(ValueError):
    """The targets file is missing a field or has a value out of range."""


@dataclass
class Target:
    code: str
    metric: str
    target: float
    kinds: list[str] = field(default_factory=list)
    note: str = ""
    note_translations: dict = field(default_factory=dict)

    def note_in(self, locale: str) -> str:
        return self.note_translations.get(locale) or self.note


@dataclass
class Baseline:
    source: str
    as_of: str
    students: int | None
    race_ethnicity: dict[str, float]
    home_language: dict[str, float]
    # Enrolled students per school code (engagement/data/district.json); may be empty.
    schools: dict[str, int] = field(default_factory=dict)
    school_year: str = ""
    english_learner_share: float | None = None
    high_needs_share: float | None = None
    # Which school year each group of figures is from, when they differ ({field: text}).
    figures_from: dict[str, str] = field(default_factory=dict)
    # For staff on the report page in the workspace only: never printed or exported.
    staff_note: str = ""

    def school_shares(self) -> dict[str, float]:
        """Each school's share of the students enrolled in the schools listed."""
        total = sum(self.schools.values())
        return {code: n / total for code, n in self.schools.items()} if total else {}


@dataclass
class ReportTargets:
    baseline: Baseline
    targets: list[Target]


def targets_path() -> Path:
    """The configured targets file."""
    return Path(current_app.config.get("REPORT_TARGETS_FILE") or DEFAULT_FILE)


def _shares(data: dict, name: str, allowed: set[str] | None) -> dict[str, float]:
    shares = {}
    for code, value in (data or {}).items():
        if allowed is not None and code not in allowed:
            raise TargetsError(f"enrollment.{name}: unknown code {code!r}")
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise TargetsError(f"enrollment.{name}.{code} must be a share between 0 and 1")
        shares[code] = float(value)
    return shares


def _share(enrollment: dict, name: str) -> float | None:
    value = enrollment.get(name)
    if value is None:
        return None
    if not isinstance(value, int | float) or not 0 <= value <= 1:
        raise TargetsError(f"enrollment.{name} must be a share between 0 and 1")
    return float(value)


def _schools(data: dict) -> dict[str, int]:
    schools = {}
    for code, value in (data or {}).items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise TargetsError(f"enrollment.schools.{code} must be a number of students >= 0")
        schools[str(code)] = value
    return schools


def load_targets(path: Path | None = None) -> ReportTargets:
    """Read and check the baseline and targets; TargetsError names the faulty field."""
    path = path or targets_path()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise TargetsError(f"cannot read {path}: {error}") from error
    enrollment = data.get("enrollment") or {}
    races = {r.value for r in RaceEthnicity}
    languages = set(current_app.config["LANGUAGES"]) | {"other"}
    baseline = Baseline(
        source=str(enrollment.get("source", "")),
        as_of=str(enrollment.get("as_of", "")),
        students=enrollment.get("students"),
        race_ethnicity=_shares(enrollment.get("race_ethnicity"), "race_ethnicity", races),
        home_language=_shares(enrollment.get("home_language"), "home_language", languages),
        schools=_schools(enrollment.get("schools")),
        school_year=str(enrollment.get("school_year", "")),
        english_learner_share=_share(enrollment, "english_learner_share"),
        high_needs_share=_share(enrollment, "high_needs_share"),
        figures_from={str(k): str(v) for k, v in (enrollment.get("figures_from") or {}).items()},
        staff_note=str(enrollment.get("staff_note", "")),
    )
    kinds = {k.value for k in EngagementKind}
    targets = []
    for index, item in enumerate(data.get("targets") or []):
        metric = item.get("metric")
        if metric not in METRICS:
            raise TargetsError(f"targets[{index}].metric must be one of {sorted(METRICS)}")
        value = item.get("target")
        if not isinstance(value, int | float) or value < 0:
            raise TargetsError(f"targets[{index}].target must be a number >= 0")
        if metric in SHARE_METRICS and value > 1:
            raise TargetsError(f"targets[{index}].target is a share: between 0 and 1")
        wanted = list(item.get("kinds") or [])
        if metric == "events_per_school" and (not wanted or set(wanted) - kinds):
            raise TargetsError(f"targets[{index}].kinds must list engagement kinds {sorted(kinds)}")
        targets.append(
            Target(
                code=str(item.get("code") or metric),
                metric=metric,
                target=float(value),
                kinds=wanted,
                note=str(item.get("note", "")),
                note_translations=dict(item.get("note_translations") or {}),
            )
        )
    return ReportTargets(baseline=baseline, targets=targets)
