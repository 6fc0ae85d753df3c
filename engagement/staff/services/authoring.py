"""Authoring engagements: plain functions that views and tests call.

Editing an open engagement never breaks stored answers: a question or option with answers
is hidden instead of deleted, and its code and kind are frozen.
"""

import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from engagement import audit
from engagement.extensions import db
from engagement.i18n import _
from engagement.models import (
    Answer,
    Engagement,
    EngagementAddress,
    EngagementStatus,
    EngagementText,
    OptionText,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionText,
    Response,
    StrategicPriority,
)
from engagement.staff.services.texts import set_source_text, source_row

# Would clash with staff URLs such as /staff/engagements/new.
RESERVED_SLUGS = {"new"}


class AuthoringError(ValueError):
    """An authoring change that is not allowed; the message is shown to the user."""


def district_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISTRICT_TIMEZONE"])


def to_utc(local: datetime | None) -> datetime | None:
    """A naive datetime typed in the district's time zone, as aware UTC."""
    if local is None:
        return None
    return local.replace(tzinfo=district_tz()).astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """An aware UTC datetime as a naive district-local one (for datetime-local inputs)."""
    if value is None:
        return None
    return value.astimezone(district_tz()).replace(tzinfo=None)


# --- engagements -------------------------------------------------------------------------


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    """Whether another engagement uses `slug`, now or as an earlier address."""
    current = sa.select(Engagement.id).where(sa.func.lower(Engagement.slug) == slug.lower())
    earlier = sa.select(EngagementAddress.engagement_id).where(
        EngagementAddress.slug == slug.lower()
    )
    if exclude_id is not None:
        current = current.where(Engagement.id != exclude_id)
        earlier = earlier.where(EngagementAddress.engagement_id != exclude_id)
    return (
        db.session.scalar(current.limit(1)) is not None
        or db.session.scalar(earlier.limit(1)) is not None
    )


def address_is_fixed(engagement: Engagement) -> bool:
    """Once an engagement has opened, its web address is printed on flyers and QR codes."""
    if engagement.status != EngagementStatus.DRAFT:
        return True
    answered = sa.select(Response.id).where(Response.engagement_id == engagement.id).limit(1)
    return db.session.scalar(answered) is not None


def _change_address(engagement: Engagement, slug: str) -> None:
    """Move `engagement` to `slug`, keeping its old address as a redirect."""
    if address_is_fixed(engagement):
        raise AuthoringError(
            _(
                "The web address cannot change once the engagement has opened: "
                "flyers, QR codes and links already use it."
            )
        )
    reused = db.session.scalar(
        sa.select(EngagementAddress).where(
            EngagementAddress.engagement_id == engagement.id, EngagementAddress.slug == slug
        )
    )
    if reused is not None:
        db.session.delete(reused)
    db.session.add(EngagementAddress(engagement_id=engagement.id, slug=engagement.slug))
    engagement.slug = slug


def save_engagement(engagement: Engagement | None, data: dict) -> Engagement:
    """Create (engagement=None) or update an engagement from form data; commits."""
    slug = data["slug"].strip().lower()
    if slug in RESERVED_SLUGS:
        raise AuthoringError(_("This web address name is reserved. Please choose another."))
    if slug_taken(slug, engagement.id if engagement else None):
        raise AuthoringError(_("Another engagement already uses this web address name."))
    created = engagement is None
    before = {} if created else _audited_fields(engagement)
    if created:
        engagement = Engagement(status=EngagementStatus.DRAFT, slug=slug)
        db.session.add(engagement)
    elif engagement.slug != slug:
        _change_address(engagement, slug)
    engagement.kind = data["kind"]
    engagement.school_id = data.get("school_id")
    engagement.council_id = data.get("council_id")
    engagement.opens_at = to_utc(data.get("opens_at"))
    engagement.closes_at = to_utc(data.get("closes_at"))
    engagement.event_starts_at = to_utc(data.get("event_starts_at"))
    engagement.event_ends_at = to_utc(data.get("event_ends_at"))
    engagement.series = (data.get("series") or "").strip() or None
    ids = data.get("priorities") or []
    engagement.priorities = (
        list(db.session.scalars(sa.select(StrategicPriority).where(StrategicPriority.id.in_(ids))))
        if ids
        else []
    )
    set_source_text(
        engagement,
        EngagementText,
        title=data["title"],
        description=data.get("description"),
        **{name: data.get(name) for name in EngagementText.EVENT_FIELDS},
    )
    db.session.flush()
    after = _audited_fields(engagement)
    changes = {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if created or before.get(name) != value
    }
    if changes:
        audit.record(
            "engagement.create" if created else "engagement.edit",
            target=engagement.slug,
            details=changes,
            commit=False,
        )
    db.session.commit()
    return engagement


def _audited_fields(engagement: Engagement) -> dict:
    """What an engagement's edit changes, as plain values for the audit log."""
    english = source_row(engagement.texts)

    def when(value):
        return value.isoformat(timespec="minutes") if value else None

    return {
        "kind": str(engagement.kind) if engagement.kind else None,
        "slug": engagement.slug,
        "title": english.title if english else None,
        "opens_at": when(engagement.opens_at),
        "closes_at": when(engagement.closes_at),
        "school_id": engagement.school_id,
        "council_id": engagement.council_id,
        "series": engagement.series,
        "priorities": sorted(p.id for p in engagement.priorities),
    }


def open_problems(engagement: Engagement) -> list[str]:
    """Why `engagement` cannot be opened yet (empty when it can)."""
    problems = []
    title = source_row(engagement.texts)
    if title is None or not title.is_filled():
        problems.append(_("The engagement has no English title."))
    if engagement.ended_at() is not None:
        problems.append(
            _("Its closing date has passed. Set a later closing date, or leave it empty.")
        )
    visible = engagement.visible_questions
    if not visible:
        problems.append(_("The engagement has no questions."))
    for question in visible:
        english = source_row(question.texts)
        if question.required and (english is None or not english.is_filled()):
            problems.append(
                _("Required question %(code)s has no English text.", code=question.code)
            )
        if question.has_options:
            options = [o for o in question.options if not o.hidden]
            if not options:
                problems.append(_("Question %(code)s has no options.", code=question.code))
            for option in options:
                label = source_row(option.texts)
                if label is None or not label.is_filled():
                    problems.append(
                        _(
                            "Option %(option)s of question %(code)s has no English label.",
                            option=option.code,
                            code=question.code,
                        )
                    )
    return problems


def set_status(engagement: Engagement, status: EngagementStatus) -> None:
    """Open, close or reopen an engagement (audited); refuses to open an incomplete one."""
    if status == EngagementStatus.OPEN:
        problems = open_problems(engagement)
        if problems:
            raise AuthoringError(" ".join(problems))
    previous = engagement.status
    engagement.status = status
    action = "engagement.open" if status == EngagementStatus.OPEN else "engagement.close"
    if status == EngagementStatus.OPEN and previous == EngagementStatus.CLOSED:
        action = "engagement.reopen"
    audit.record(
        action,
        target=engagement.slug,
        details={"from": previous.value, "to": status.value},
        commit=False,
    )
    db.session.commit()


# --- questions and options ---------------------------------------------------------------


def question_has_answers(question: Question) -> bool:
    return (
        db.session.scalar(sa.select(Answer.id).where(Answer.question_id == question.id).limit(1))
        is not None
    )


def option_has_answers(option: QuestionOption) -> bool:
    query = sa.select(Answer.id).where(
        Answer.question_id == option.question_id, Answer.choice == option.code
    )
    return db.session.scalar(query.limit(1)) is not None


# Words that say nothing about a question or option, left out of codes made from its text.
CODE_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "this",
        "to",
        "we",
        "what",
        "when",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
    }
)
CODE_WORDS = 4


def code_from_text(text: str, taken, fallback: str = "q") -> str:
    """A stable code made from English text: "How do you get school news?" -> "get_school_news".

    Up to four meaningful words in lowercase ASCII (accents dropped), joined by "_", starting
    with a letter, at most 60 characters; "_2", "_3"... when the code is already `taken`.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    meaningful = [w for w in words if w not in CODE_STOP_WORDS] or words
    base = "_".join(meaningful[:CODE_WORDS])[:50].strip("_") or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def save_question(engagement: Engagement, question: Question | None, data: dict) -> Question:
    """Create or update a question; code and kind are frozen once it has answers. An empty
    code is made from the English text."""
    others = {q.code for q in engagement.questions if q is not question}
    code = (data.get("code") or "").strip() or (
        question.code if question is not None else code_from_text(data["text"], others)
    )
    clash = [q for q in engagement.questions if q.code == code and q is not question]
    if clash:
        raise AuthoringError(
            _("Another question of this engagement uses the code %(code)s.", code=code)
        )
    if question is None:
        position = max((q.position for q in engagement.questions), default=-1) + 1
        question = Question(position=position)
        engagement.questions.append(question)
    elif code != question.code or data["kind"] != question.kind:
        if question_has_answers(question):
            raise AuthoringError(
                _("This question already has answers: its code and kind can no longer change.")
            )
        if question.bank_question_id is not None:
            raise AuthoringError(
                _(
                    "This question comes from the question bank: its code and kind stay the "
                    "bank's, so that answers line up across a series."
                )
            )
    question.code = code
    question.kind = QuestionKind(data["kind"])
    question.required = bool(data.get("required"))
    set_source_text(question, QuestionText, text=data["text"], help=data.get("help"))
    db.session.commit()
    return question


def move(item, siblings: list, step: int) -> None:
    """Swap `item` with its neighbour (step -1 up, +1 down) and renumber positions."""
    ordered = sorted(siblings, key=lambda s: (s.position, s.id))
    index = ordered.index(item)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        sibling.position = position
    db.session.commit()


def remove_or_hide(item: Question | QuestionOption) -> str:
    """Delete a question or option without answers, hide one with answers (stored answers
    keep their meaning); returns 'deleted' or 'hidden'."""
    answered = question_has_answers if isinstance(item, Question) else option_has_answers
    if answered(item):
        item.hidden = True
        db.session.commit()
        return "hidden"
    db.session.delete(item)
    db.session.commit()
    return "deleted"


def save_option(question: Question, option: QuestionOption | None, data: dict) -> QuestionOption:
    """Create or update an option; its code never changes once answered."""
    if not question.has_options:
        raise AuthoringError(_("This kind of question has fixed answers."))
    others = {o.code for o in question.options if o is not option}
    code = (data.get("code") or "").strip() or (
        option.code if option is not None else code_from_text(data["label"], others, "option")
    )
    if any(o.code == code and o is not option for o in question.options):
        raise AuthoringError(
            _("Another option of this question uses the code %(code)s.", code=code)
        )
    if option is None:
        position = max((o.position for o in question.options), default=-1) + 1
        option = QuestionOption(code=code, position=position)
        question.options.append(option)
    elif code != option.code:
        if option_has_answers(option):
            raise AuthoringError(_("This option already has answers: its code cannot change."))
        option.code = code
    set_source_text(option, OptionText, label=data["label"])
    db.session.commit()
    return option


def set_hidden(item, hidden: bool) -> None:
    item.hidden = hidden
    db.session.commit()
