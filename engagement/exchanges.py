"""Exchange mode (issue 18): Share, moderate, Rate. Plain functions, no request objects.

- Share: an idea is an answer to the exchange's open question, stored through the one
  submission service (engagement.submissions: same token, limits, screening, masking and
  theme analysis), then queued for staff moderation as an `ExchangeIdea`.
- Rate: each participant gets a balanced sample of approved ideas (`draw_sample`), never
  their own, and rates them 1-5 stars or skips them.
- Results are computed in engagement.summary.exchange, the privacy boundary.

Balance: a sample takes the approved ideas with the fewest exposures so far, ties broken by
a hash of (participant key, idea id), so that two raters arriving together do not both get
the same "first" ideas and the order owes nothing to when an idea was written (the
"illusion of agreement" of showing popular ideas first). Exposures are written when the
rating page is served, after taking a write lock (a counter on the exchange row), so
concurrent raters see each other's exposures.
"""

import hashlib
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    SOURCE_LOCALE,
    Answer,
    Channel,
    Engagement,
    EngagementKind,
    Exchange,
    ExchangeExposure,
    ExchangeIdea,
    ExchangeIdeaText,
    ExchangeParticipant,
    ExchangePhase,
    ExchangeRating,
    HoldReason,
    IdeaState,
    Question,
    QuestionKind,
    QuestionText,
    Response,
    StakeholderGroup,
    utcnow,
)
from engagement.models.exchange import DEFAULT_SAMPLE_SIZE, IDEA_QUESTION_CODE, STARS
from engagement.submissions import Submission, record_response
from engagement.themes.quoting import as_quoted

# Engagements that can run an exchange: gatherings, not anonymous surveys.
EXCHANGE_KINDS = frozenset(
    {EngagementKind.FORUM, EngagementKind.ADVISORY_COUNCIL, EngagementKind.COFFEE_CONVERSATION}
)
LOCK_RETRIES = 5

# The Share question as the issue words it, in every family language. It becomes ordinary
# question text (data, not catalog strings): staff can change or retranslate it like any
# question of the engagement.
DEFAULT_PROMPT = {
    "en": "What is one thing the district should do to help families like yours be heard?",
    "es": "¿Qué es una cosa que el distrito debería hacer para que familias como la suya "
    "sean escuchadas?",
    "pt_BR": "Qual é uma coisa que o distrito deveria fazer para que famílias como a sua "
    "sejam ouvidas?",
    "zh_Hans": "学区应该做哪一件事，来帮助像您这样的家庭发出自己的声音？",
    "ht": "Ki yon bagay distri a ta dwe fè pou ede fanmi tankou pa w yo fè moun tande vwa yo?",
    "ar": "ما الشيء الذي ينبغي أن تفعله المنطقة التعليمية لتساعد عائلات مثل عائلاتكم على "
    "إيصال أصواتها؟",
}


class ExchangeError(ValueError):
    """The action does not fit the exchange (wrong kind, phase or state)."""


def exchange_of(engagement_id: int) -> Exchange | None:
    """The exchange of an engagement, if staff turned it on."""
    return db.session.scalar(sa.select(Exchange).where(Exchange.engagement_id == engagement_id))


def can_run_exchange(engagement: Engagement) -> bool:
    """Forums, councils and coffee conversations may run an exchange; surveys may not."""
    return engagement.kind in EXCHANGE_KINDS


def enable(engagement: Engagement, sample_size: int = DEFAULT_SAMPLE_SIZE) -> Exchange:
    """Turn exchange mode on: add the Share question (kept off the ordinary form) and the
    exchange in its Share phase. Turning it on again only changes the sample size."""
    if not can_run_exchange(engagement):
        raise ExchangeError("exchange mode is for forums, councils and coffee conversations")
    exchange = exchange_of(engagement.id)
    if exchange is not None:
        exchange.sample_size = sample_size
        db.session.commit()
        return exchange
    question = db.session.scalar(
        sa.select(Question).where(
            Question.engagement_id == engagement.id, Question.code == IDEA_QUESTION_CODE
        )
    )
    if question is None:
        position = 1 + max((q.position for q in engagement.questions), default=-1)
        question = Question(code=IDEA_QUESTION_CODE, kind=QuestionKind.OPEN_TEXT, position=position)
        for locale, text in DEFAULT_PROMPT.items():
            question.texts.append(QuestionText(locale=locale, text=text, help=""))
        engagement.questions.append(question)
        db.session.flush()
    exchange = Exchange(engagement_id=engagement.id, question_id=question.id)
    exchange.sample_size = sample_size
    db.session.add(exchange)
    db.session.flush()
    audit.record("exchange.enable", target=f"engagement:{engagement.id}", commit=False)
    db.session.commit()
    return exchange


def set_phase(exchange: Exchange, phase: ExchangePhase) -> None:
    """Move the exchange to Share, Rate or Closed (the QR code follows)."""
    exchange.phase = phase
    audit.record(
        "exchange.phase",
        target=f"engagement:{exchange.engagement_id}",
        details={"phase": phase.value},
        commit=False,
    )
    db.session.commit()


# --- participants ------------------------------------------------------------------------


def participant_for(exchange: Exchange, key: str | None) -> ExchangeParticipant | None:
    """The participant whose session cookie holds `key`, in this exchange."""
    if not key or len(key) > 64:
        return None
    return db.session.scalar(
        sa.select(ExchangeParticipant).where(
            ExchangeParticipant.exchange_id == exchange.id, ExchangeParticipant.key == key
        )
    )


def new_participant(exchange: Exchange, locale: str) -> ExchangeParticipant:
    """A new participant (its key goes into the family's own session cookie)."""
    participant = ExchangeParticipant(exchange_id=exchange.id, locale=locale)
    db.session.add(participant)
    db.session.commit()
    return participant


def set_groups(participant: ExchangeParticipant, group_ids) -> None:
    """The stakeholder groups the participant says they belong to (replacing earlier ones)."""
    ids = [int(g) for g in group_ids]
    participant.groups = list(
        db.session.scalars(sa.select(StakeholderGroup).where(StakeholderGroup.id.in_(ids)))
        if ids
        else []
    )


# --- Share -------------------------------------------------------------------------------


def share_idea(
    exchange: Exchange,
    participant: ExchangeParticipant,
    text: str,
    locale: str,
    nonce: str,
    channel: Channel = Channel.WEB,
    group_ids=(),
    held_reason: HoldReason | None = None,
) -> ExchangeIdea:
    """Store one idea as an answer (the one submission path) and queue it for moderation.

    Idempotent on the form token's `nonce`: a resent form finds its response and idea."""
    if exchange.phase != ExchangePhase.SHARE:
        raise ExchangeError("the exchange is not taking ideas")
    engagement = db.session.get(Engagement, exchange.engagement_id)
    submission = Submission(
        locale=locale,
        channel=channel,
        answers={exchange.question_id: text},
        group_ids=list(group_ids),
        idempotency_key=nonce,
        partial=True,
        screened=True,
        held_reason=held_reason,
    )
    response = record_response(engagement, submission)
    answer_id = db.session.scalar(
        sa.select(Answer.id).where(
            Answer.response_id == response.id, Answer.question_id == exchange.question_id
        )
    )
    existing = db.session.scalar(sa.select(ExchangeIdea).where(ExchangeIdea.answer_id == answer_id))
    if existing is not None:
        return existing
    idea = ExchangeIdea(
        exchange_id=exchange.id,
        answer_id=answer_id,
        participant_id=participant.id,
        locale=locale,
    )
    db.session.add(idea)
    try:
        db.session.commit()
    except IntegrityError:  # the same form, sent twice at once
        db.session.rollback()
        return db.session.scalar(sa.select(ExchangeIdea).where(ExchangeIdea.answer_id == answer_id))
    return idea


# --- moderation --------------------------------------------------------------------------


def ideas_for_moderation(exchange: Exchange) -> list[tuple[ExchangeIdea, Answer, bool]]:
    """Every idea with its answer and whether its response counts (a held response waits in
    the held queue first), pending first, then by id."""
    rows = db.session.execute(
        sa.select(ExchangeIdea, Answer, Response.counted)
        .join(Answer, Answer.id == ExchangeIdea.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(ExchangeIdea.exchange_id == exchange.id)
        .order_by(sa.case((ExchangeIdea.state == IdeaState.PENDING, 0), else_=1), ExchangeIdea.id)
    ).all()
    return [(idea, answer, bool(counted)) for idea, answer, counted in rows]


def decide(exchange: Exchange, idea_id: int, state: IdeaState) -> ExchangeIdea | None:
    """Approve or reject one idea of `exchange`; a held answer cannot be approved until staff
    release it. Returns the idea, or None if it is not one of this exchange's."""
    idea = db.session.get(ExchangeIdea, idea_id)
    if idea is None or idea.exchange_id != exchange.id:
        return None
    if state == IdeaState.APPROVED:
        counted = db.session.scalar(
            sa.select(Response.counted)
            .join(Answer, Answer.response_id == Response.id)
            .where(Answer.id == idea.answer_id)
        )
        if not counted:
            raise ExchangeError("a held answer is released before it is approved")
    idea.state = state
    idea.decided_at = utcnow()
    audit.record(f"exchange.idea.{state}", target=f"exchange_idea:{idea.id}", commit=False)
    db.session.commit()
    return idea


def save_renderings(idea: ExchangeIdea, texts: dict[str, str]) -> None:
    """Staff's English rendering and translations of an idea ({locale: text}; empty deletes)."""
    rows = {row.locale: row for row in idea.texts}
    for locale, text in texts.items():
        text = (text or "").strip()
        row = rows.get(locale)
        if not text:
            if row is not None:
                idea.texts.remove(row)
            continue
        if row is None:
            row = ExchangeIdeaText(locale=locale, text=text)
            idea.texts.append(row)
        row.text = text
    audit.record("exchange.idea.translate", target=f"exchange_idea:{idea.id}", commit=False)
    db.session.commit()


# --- Rate --------------------------------------------------------------------------------


def tie_break(participant_key: str, idea_id: int) -> str:
    """A stable, per-participant shuffle of equally exposed ideas."""
    return hashlib.sha256(f"{participant_key}:{idea_id}".encode()).hexdigest()


def choose(
    exposures: dict[int, int], own: set[int], seen: set[int], participant_key: str, size: int
) -> list[int]:
    """The `size` ideas with the fewest exposures, leaving out the participant's own ideas
    and those they were already shown; ties by `tie_break`. Pure, for the property tests."""
    candidates = [i for i in exposures if i not in own and i not in seen]
    candidates.sort(key=lambda i: (exposures[i], tie_break(participant_key, i)))
    return candidates[:size]


def _approved(exchange_id: int):
    return sa.and_(
        ExchangeIdea.exchange_id == exchange_id, ExchangeIdea.state == IdeaState.APPROVED
    )


def pending_sample(participant: ExchangeParticipant) -> list[ExchangeIdea]:
    """Approved ideas shown to the participant and not answered yet (rated or skipped): a
    reloaded page shows the same sample."""
    answered = sa.select(ExchangeRating.idea_id).where(
        ExchangeRating.participant_id == participant.id
    )
    ideas = db.session.scalars(
        sa.select(ExchangeIdea)
        .options(selectinload(ExchangeIdea.texts))
        .join(ExchangeExposure, ExchangeExposure.idea_id == ExchangeIdea.id)
        .where(
            ExchangeExposure.participant_id == participant.id,
            _approved(participant.exchange_id),
            ExchangeIdea.id.not_in(answered),
        )
    ).all()
    return sorted(ideas, key=lambda idea: tie_break(participant.key, idea.id))


def draw_sample(exchange: Exchange, participant: ExchangeParticipant) -> list[ExchangeIdea]:
    """The participant's sample: the pending one if any, else a new balanced one whose
    exposures are recorded now. Empty when no idea is left to rate."""
    pending = pending_sample(participant)
    if pending:
        return pending
    for attempt in range(LOCK_RETRIES):
        try:
            ids = _draw(exchange.id, participant)
            db.session.commit()
            break
        except OperationalError as error:
            db.session.rollback()
            message = str(error.orig).lower()
            if not ("locked" in message or "deadlock" in message) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.05 * (2**attempt))
    if not ids:
        return []
    ideas = db.session.scalars(
        sa.select(ExchangeIdea)
        .options(selectinload(ExchangeIdea.texts))
        .where(ExchangeIdea.id.in_(ids))
    ).all()
    return sorted(ideas, key=lambda idea: tie_break(participant.key, idea.id))


def _draw(exchange_id: int, participant: ExchangeParticipant) -> list[int]:
    # The write lock first: the counter update holds the exchange row (PostgreSQL) or the
    # database (SQLite) until commit, so the counts below include every earlier sample.
    db.session.execute(
        sa.update(Exchange)
        .where(Exchange.id == exchange_id)
        .values(samples_drawn=Exchange.samples_drawn + 1)
    )
    size = db.session.scalar(sa.select(Exchange.sample_size).where(Exchange.id == exchange_id))
    counts = dict(
        db.session.execute(
            sa.select(ExchangeIdea.id, sa.func.count(ExchangeExposure.id))
            .outerjoin(ExchangeExposure, ExchangeExposure.idea_id == ExchangeIdea.id)
            .where(_approved(exchange_id))
            .group_by(ExchangeIdea.id)
        ).all()
    )
    own = set(
        db.session.scalars(
            sa.select(ExchangeIdea.id).where(ExchangeIdea.participant_id == participant.id)
        )
    )
    seen = set(
        db.session.scalars(
            sa.select(ExchangeExposure.idea_id).where(
                ExchangeExposure.participant_id == participant.id
            )
        )
    )
    chosen = choose(counts, own, seen, participant.key, size)
    if chosen:
        db.session.execute(
            sa.insert(ExchangeExposure),
            [{"idea_id": i, "participant_id": participant.id} for i in chosen],
        )
    return chosen


def record_ratings(
    participant: ExchangeParticipant,
    stars: dict[int, int],
    locale: str,
    group_ids=(),
    only: set[int] | None = None,
) -> int:
    """Store the participant's answers to their pending sample: stars for the ideas in
    `stars` ({idea id: 1-5}), a skip for the others. Ideas not shown to them, their own,
    and ones answered already are ignored (a resent form stores nothing twice). Returns
    the number of ideas rated with stars. `only` limits the answers to the ideas the
    form showed."""
    pending = {idea.id for idea in pending_sample(participant)}
    if only is not None:
        pending &= set(only)
    own = set(
        db.session.scalars(
            sa.select(ExchangeIdea.id).where(ExchangeIdea.participant_id == participant.id)
        )
    )
    rows = [
        {
            "idea_id": idea_id,
            "participant_id": participant.id,
            "stars": stars.get(idea_id) if stars.get(idea_id) in STARS else None,
        }
        for idea_id in sorted(pending - own)
    ]
    participant.locale = locale
    set_groups(participant, group_ids)
    if rows:
        db.session.execute(sa.insert(ExchangeRating), rows)
    try:
        db.session.commit()
    except IntegrityError:  # the same form sent twice at once: the first one counts
        db.session.rollback()
        return 0
    return sum(1 for row in rows if row["stars"] is not None)


def counts(exchange: Exchange) -> dict[str, int]:
    """What the projector shows: numbers only, never an idea."""

    def count(query):
        return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))

    ideas = sa.select(ExchangeIdea.id).where(ExchangeIdea.exchange_id == exchange.id)
    return {
        "shared": count(ideas),
        "approved": count(ideas.where(ExchangeIdea.state == IdeaState.APPROVED)),
        "raters": count(
            sa.select(ExchangeRating.participant_id)
            .join(ExchangeIdea, ExchangeIdea.id == ExchangeRating.idea_id)
            .where(ExchangeIdea.exchange_id == exchange.id)
            .distinct()
        ),
        "ratings": count(
            sa.select(ExchangeRating.id)
            .join(ExchangeIdea, ExchangeIdea.id == ExchangeRating.idea_id)
            .where(ExchangeIdea.exchange_id == exchange.id, ExchangeRating.stars.is_not(None))
        ),
    }


# --- showing an idea ---------------------------------------------------------------------


@dataclass(frozen=True)
class IdeaView:
    """An idea as a reader in `locale` sees it: `text` in `lang`; `how` says where it came
    from ("own" language, staff "translation", staff "english" rendering, or "original"
    in another language), with the masked original alongside when it is not shown as is."""

    idea_id: int
    text: str
    lang: str
    how: str
    original: str
    original_lang: str


def idea_view(idea: ExchangeIdea, answer: Answer, locale: str) -> IdeaView:
    """`idea` for a reader in `locale`: written in their language, or staff's translation
    into it, or staff's English rendering, or the original (masked, never unreviewed text
    of anyone else)."""
    original = as_quoted(answer.text or "", answer.quote_text)
    by_locale = {row.locale: row.text for row in idea.texts if (row.text or "").strip()}

    def view(text, lang, how):
        return IdeaView(idea.id, text, lang, how, original, idea.locale)

    if idea.locale == locale:
        return view(original, locale, "own")
    if locale in by_locale:
        return view(by_locale[locale], locale, "translation")
    if SOURCE_LOCALE in by_locale and idea.locale != SOURCE_LOCALE:
        return view(by_locale[SOURCE_LOCALE], SOURCE_LOCALE, "english")
    return view(original, idea.locale, "original")


def sample_views(ideas: list[ExchangeIdea], locale: str) -> list[IdeaView]:
    """`idea_view` for each idea of a sample, in order (one query for the answers)."""
    answers = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Answer).where(Answer.id.in_([i.answer_id for i in ideas] or [-1]))
        )
    }
    return [idea_view(idea, answers[idea.answer_id], locale) for idea in ideas]
