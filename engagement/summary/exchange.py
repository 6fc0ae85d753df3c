"""Exchange results (issue 18, Discover): approved ideas ranked, with each group's view.

Ranking: a shrunk mean (Bayesian average) pulls each idea's mean toward the mean of every
rating in the exchange, with a prior weight of PRIOR_WEIGHT ratings:

    score = (PRIOR_WEIGHT * global_mean + sum of the idea's stars) / (PRIOR_WEIGHT + n)

so an idea rated 5 by three people does not outrank one rated 4.6 by three hundred. With
m = 5 an idea needs about five ratings before its own mean weighs as much as the prior.

Groups: a stakeholder group's (or a rating language's) average for an idea is shown only
when at least k different raters of that group rated it (k = MIN_GROUP_SIZE for staff);
otherwise it is withheld and nothing of it is shown. An idea's own mean is shown from k
ratings; its score (already blended with the prior) always.

Common ground: ideas that at least two shown groups rated, every shown group at
COMMON_GROUND_MIN or above. Divides: ideas whose shown group averages differ by at least
DIVIDE_GAP stars.

Deterministic: everything is computed with exact fractions from the stored rows and sorted
with the idea id as the last key, so the same data gives the same results, in the same
order, on every engine and after every restart.
"""

from dataclasses import dataclass, field
from fractions import Fraction

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import (
    AnswerTheme,
    ExchangeIdea,
    ExchangeParticipant,
    ExchangeRating,
    IdeaState,
    exchange_participant_group,
)

PRIOR_WEIGHT = 5
# A neutral prior for an exchange without any rating yet (the middle of 1-5).
NEUTRAL = Fraction(3)
COMMON_GROUND_MIN = Fraction(7, 2)
DIVIDE_GAP = Fraction(1)


@dataclass(frozen=True)
class GroupKey:
    """A stakeholder group (kind "group", its id) or a rating language (kind "lang")."""

    kind: str
    value: str | int

    def sort_key(self):
        return (self.kind, str(self.value))


@dataclass
class IdeaResult:
    idea_id: int
    n: int  # ratings with stars
    total: int  # sum of stars
    score: Fraction
    mean: Fraction | None  # None below k ratings
    groups: dict[GroupKey, Fraction] = field(default_factory=dict)  # k raters or more only
    withheld: int = 0  # groups with 1 to k-1 raters, not shown
    themes: list[str] = field(default_factory=list)

    @property
    def spread(self) -> Fraction | None:
        """Highest minus lowest shown group average (None with fewer than two groups)."""
        if len(self.groups) < 2:
            return None
        return max(self.groups.values()) - min(self.groups.values())


@dataclass
class ExchangeResults:
    k: int
    prior_weight: int
    global_mean: Fraction
    ratings: int
    ranked: list[IdeaResult]
    common_ground: list[IdeaResult]
    divides: list[IdeaResult]
    themes: list[tuple[str, int]]  # (theme code, approved ideas with it), most first


def results(exchange_id: int, k: int) -> ExchangeResults:
    """The results of one exchange, groups of fewer than `k` raters withheld."""
    ideas = list(
        db.session.execute(
            sa.select(ExchangeIdea.id, ExchangeIdea.answer_id).where(
                ExchangeIdea.exchange_id == exchange_id, ExchangeIdea.state == IdeaState.APPROVED
            )
        ).all()
    )
    ids = [row.id for row in ideas]
    rows = db.session.execute(
        sa.select(ExchangeRating.idea_id, ExchangeRating.participant_id, ExchangeRating.stars)
        .where(ExchangeRating.idea_id.in_(ids or [-1]), ExchangeRating.stars.is_not(None))
        .order_by(ExchangeRating.id)
    ).all()
    keys = _participant_keys({row.participant_id for row in rows})
    total_stars = sum(row.stars for row in rows)
    global_mean = Fraction(total_stars, len(rows)) if rows else NEUTRAL

    per_idea: dict[int, list] = {i: [] for i in ids}
    for row in rows:
        per_idea[row.idea_id].append(row)
    themes_by_answer = _themes({row.answer_id for row in ideas})
    results_by_id = {}
    for idea in ideas:
        ratings = per_idea[idea.id]
        n = len(ratings)
        total = sum(r.stars for r in ratings)
        score = (PRIOR_WEIGHT * global_mean + total) / (PRIOR_WEIGHT + n)
        result = IdeaResult(
            idea_id=idea.id,
            n=n,
            total=total,
            score=score,
            mean=Fraction(total, n) if n >= k and n else None,
            themes=themes_by_answer.get(idea.answer_id, []),
        )
        by_group: dict[GroupKey, list[int]] = {}
        for rating in ratings:
            for key in keys.get(rating.participant_id, ()):
                by_group.setdefault(key, []).append(rating.stars)
        for key in sorted(by_group, key=GroupKey.sort_key):
            stars = by_group[key]
            # One rating per participant and idea (unique constraint): ratings are raters.
            if len(stars) >= k:
                result.groups[key] = Fraction(sum(stars), len(stars))
            else:
                result.withheld += 1
        results_by_id[idea.id] = result

    ranked = sorted(results_by_id.values(), key=lambda r: (-r.score, r.idea_id))
    common = [
        r for r in ranked if len(r.groups) >= 2 and min(r.groups.values()) >= COMMON_GROUND_MIN
    ]
    common.sort(key=lambda r: (-min(r.groups.values()), r.idea_id))
    divides = [r for r in ranked if r.spread is not None and r.spread >= DIVIDE_GAP]
    divides.sort(key=lambda r: (-r.spread, r.idea_id))
    theme_counts: dict[str, int] = {}
    for result in ranked:
        for code in result.themes:
            theme_counts[code] = theme_counts.get(code, 0) + 1
    return ExchangeResults(
        k=k,
        prior_weight=PRIOR_WEIGHT,
        global_mean=global_mean,
        ratings=len(rows),
        ranked=ranked,
        common_ground=common,
        divides=divides,
        themes=sorted(theme_counts.items(), key=lambda item: (-item[1], item[0])),
    )


def _participant_keys(participant_ids) -> dict[int, list[GroupKey]]:
    """{participant id: its groups and rating language}."""
    ids = sorted(participant_ids)
    keys: dict[int, list[GroupKey]] = {i: [] for i in ids}
    if not ids:
        return keys
    for pid, locale in db.session.execute(
        sa.select(ExchangeParticipant.id, ExchangeParticipant.locale).where(
            ExchangeParticipant.id.in_(ids)
        )
    ):
        keys[pid].append(GroupKey("lang", locale))
    for pid, group_id in db.session.execute(
        sa.select(
            exchange_participant_group.c.participant_id, exchange_participant_group.c.group_id
        ).where(exchange_participant_group.c.participant_id.in_(ids))
    ):
        keys[pid].append(GroupKey("group", group_id))
    return keys


def _themes(answer_ids) -> dict[int, list[str]]:
    """{answer id: its theme codes, sorted}, manual removals applied."""
    ids = sorted(answer_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(AnswerTheme.answer_id, AnswerTheme.theme_code).where(
            AnswerTheme.answer_id.in_(ids), AnswerTheme.removed.is_(False)
        )
    ).all()
    themes: dict[int, list[str]] = {}
    for answer_id, code in rows:
        themes.setdefault(answer_id, []).append(code)
    return {answer_id: sorted(codes) for answer_id, codes in themes.items()}


# --- published in council leads' snapshots ----------------------------------------------


def rating_count(exchange_id: int) -> int:
    """Star ratings of an exchange's ideas so far (a new snapshot is due after k more)."""
    return db.session.scalar(
        sa.select(sa.func.count(ExchangeRating.id))
        .join(ExchangeIdea, ExchangeIdea.id == ExchangeRating.idea_id)
        .where(ExchangeIdea.exchange_id == exchange_id, ExchangeRating.stars.is_not(None))
    )


def _cell(idea_id: int, key: GroupKey | None) -> str:
    return f"{idea_id}|{key.kind}:{key.value}" if key else f"{idea_id}|all"


def _shown_n(cell: str, n: int, earlier: list[dict], k: int) -> bool:
    """Shown when `n` >= k and, against every earlier snapshot that showed this cell, its
    rater count has not moved by 1 to k-1 (the difference of two averages would give the
    stars of those few raters, and their group)."""
    if n < k:
        return False
    for counts in earlier:
        before = counts.get(cell)
        if before is not None and 0 < abs(n - before) < k:
            return False
    return True


def published(exchange_id: int, k: int, earlier: list[dict]) -> dict:
    """The exchange results a snapshot publishes (JSON): ranking, group averages protected
    against differencing with the earlier snapshots' `earlier` parts, common ground and what
    divides, themes. Numbers are strings with two decimals; hidden values are left out."""
    live = results(exchange_id, 1)  # every group; the rules below decide what is shown
    earlier_counts = [part.get("counts", {}) for part in earlier if part]
    counts, ideas = {}, []
    for r in live.ranked:
        cell = _cell(r.idea_id, None)
        mean = None
        if r.n and _shown_n(cell, r.n, earlier_counts, k):
            mean, counts[cell] = _two(r.mean), r.n
        groups = {}
        raters = _raters_by_group(r.idea_id)
        for key, average in r.groups.items():
            cell = _cell(r.idea_id, key)
            n = raters.get(key, 0)
            if _shown_n(cell, n, earlier_counts, k):
                groups[f"{key.kind}:{key.value}"] = _two(average)
                counts[cell] = n
        ideas.append(
            {
                "id": r.idea_id,
                "score": _two(r.score),
                "n": r.n,
                "mean": mean,
                "groups": groups,
                "themes": r.themes,
            }
        )
    shown = {i["id"]: {g: Fraction(v) for g, v in i["groups"].items()} for i in ideas}
    common = [i for i, g in shown.items() if len(g) >= 2 and min(g.values()) >= COMMON_GROUND_MIN]
    common.sort(key=lambda i: (-min(shown[i].values()), i))
    divides = [
        i
        for i, g in shown.items()
        if len(g) >= 2 and max(g.values()) - min(g.values()) >= DIVIDE_GAP
    ]
    divides.sort(key=lambda i: (-(max(shown[i].values()) - min(shown[i].values())), i))
    return {
        "k": k,
        "prior_weight": PRIOR_WEIGHT,
        "global_mean": _two(live.global_mean),
        "ratings": live.ratings,
        "ideas": ideas,
        "common_ground": common,
        "divides": divides,
        "themes": [list(item) for item in live.themes],
        "counts": counts,
    }


def _two(value: Fraction | None) -> str | None:
    """A fraction as a string with two decimals, rounded half up, exactly."""
    if value is None:
        return None
    hundredths = (value * 100 + Fraction(1, 2)).__floor__()
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _raters_by_group(idea_id: int) -> dict[GroupKey, int]:
    """{group or language: raters of `idea_id` with stars}."""
    rows = db.session.execute(
        sa.select(ExchangeRating.participant_id).where(
            ExchangeRating.idea_id == idea_id, ExchangeRating.stars.is_not(None)
        )
    ).all()
    keys = _participant_keys({row.participant_id for row in rows})
    counts: dict[GroupKey, int] = {}
    for row in rows:
        for key in keys.get(row.participant_id, ()):
            counts[key] = counts.get(key, 0) + 1
    return counts
