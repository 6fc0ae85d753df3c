"""Reusing work: duplicating an engagement, and the question bank.

Both copy rows, never link them: a duplicate or a question taken from the bank is the
engagement's own from then on, so editing the original (or the bank entry) never changes a
question that families have already answered.
"""

import sqlalchemy as sa

from engagement import audit
from engagement.extensions import db
from engagement.i18n import _
from engagement.models import (
    Answer,
    BankOption,
    BankOptionText,
    BankQuestion,
    BankQuestionText,
    Engagement,
    EngagementStatus,
    EngagementText,
    OptionText,
    Question,
    QuestionOption,
    QuestionText,
)
from engagement.staff.services.authoring import RESERVED_SLUGS, AuthoringError, slug_taken
from engagement.staff.services.texts import set_source_text, source_row
from engagement.staff.services.translation_io import Unit

# What a duplicate does not take from its original: its identity, its state, and its dates
# (last year's dates would have passed, and a closing date in the past blocks opening).
# Every other column is copied, so a column added to Engagement later is copied too.
NOT_DUPLICATED = {
    "id",
    "slug",
    "status",
    "is_demo",
    "created_at",
    "updated_at",
    "opens_at",
    "closes_at",
    "event_starts_at",
    "event_ends_at",
    # An archived engagement's copy is a live draft (columns of the archiving work).
    "archived_at",
    "archived_by_id",
}


def copy_columns(row, exclude=()) -> dict:
    """The column values of `row` (an ORM object), without its primary key and `exclude`."""
    mapper = sa.inspect(type(row))
    return {
        attr.key: getattr(row, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in exclude and not any(c.primary_key for c in attr.columns)
    }


def copy_texts(rows, row_cls) -> list:
    """Copies of translation rows (every language, with the hash of the English they were
    made from, so an up-to-date translation stays up to date in the copy; a new English
    title makes the title's translations out of date, as any edit would)."""
    fields = ("locale", "source_hash", *row_cls.TEXT_FIELDS)
    return [row_cls(**{name: getattr(row, name) for name in fields}) for row in rows]


def _copy_question(source, target_cls, text_cls, option_cls, option_text_cls):
    """A question (engagement or bank) as another question, options and texts included."""
    copy = target_cls(code=source.code, kind=source.kind, required=source.required)
    copy.texts = copy_texts(source.texts, text_cls)
    options = [o for o in source.options if not getattr(o, "hidden", False)]
    for position, option in enumerate(options):
        new = option_cls(code=option.code, position=position)
        new.texts = copy_texts(option.texts, option_text_cls)
        copy.options.append(new)
    return copy


# --- duplicating an engagement -------------------------------------------------------------


def suggested_slug(engagement: Engagement) -> str:
    """A free web address name for a copy: "fall-survey-copy", "fall-survey-copy-2"..."""
    base = f"{engagement.slug[:70]}-copy"
    slug, n = base, 1
    while slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def duplicate_engagement(original: Engagement, slug: str, title: str) -> Engagement:
    """A draft copy of `original` at `slug`, with its questions, options and translations
    (no responses, events, notes or dates); audited; commits."""
    slug = slug.strip().lower()
    if slug in RESERVED_SLUGS:
        raise AuthoringError(_("This web address name is reserved. Please choose another."))
    if slug_taken(slug):
        raise AuthoringError(_("Another engagement already uses this web address name."))
    copy = Engagement(
        **copy_columns(original, NOT_DUPLICATED), slug=slug, status=EngagementStatus.DRAFT
    )
    copy.priorities = list(original.priorities)
    copy.texts = copy_texts(original.texts, EngagementText)
    english = set_source_text(copy, EngagementText, title=title)
    visible = [q for q in original.questions if not q.hidden]
    for position, question in enumerate(visible):
        new = _copy_question(question, Question, QuestionText, QuestionOption, OptionText)
        new.position = position
        new.bank_question_id = question.bank_question_id
        copy.questions.append(new)
    db.session.add(copy)
    db.session.flush()
    audit.record(
        "engagement.duplicate",
        target=copy.slug,
        details={
            "copied_from": {"before": None, "after": original.slug},
            "title": {"before": None, "after": english.title},
            "questions": {"before": None, "after": len(visible)},
        },
        commit=False,
    )
    db.session.commit()
    return copy


# --- the question bank --------------------------------------------------------------------


class BankError(ValueError):
    """A bank change that is not allowed; the message is shown to the user."""


def bank_questions(ids=None) -> list[BankQuestion]:
    """The bank by code: all of it, or the questions with these ids."""
    query = sa.select(BankQuestion).order_by(BankQuestion.code)
    if ids is not None:
        if not ids:
            return []
        query = query.where(BankQuestion.id.in_(ids))
    return list(db.session.scalars(query))


def bank_uses(ids=None) -> dict[int, int]:
    """How many engagement questions were taken from each bank question (by its id)."""
    query = (
        sa.select(Question.bank_question_id, sa.func.count())
        .where(Question.bank_question_id.is_not(None))
        .group_by(Question.bank_question_id)
    )
    if ids is not None:
        query = query.where(Question.bank_question_id.in_(ids))
    return {bank_id: n for bank_id, n in db.session.execute(query)}


def has_answers(entry: BankQuestion) -> bool:
    """Whether a question taken from this bank question has answers (its code is then
    fixed: answers already given are filed under it)."""
    query = (
        sa.select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.bank_question_id == entry.id)
        .limit(1)
    )
    return db.session.scalar(query) is not None


def linked_questions(entry: BankQuestion) -> list[Question]:
    """The engagement questions taken from (or saved as) this bank question."""
    query = sa.select(Question).where(Question.bank_question_id == entry.id)
    return list(db.session.scalars(query))


def bank_entry_by_code(code: str) -> BankQuestion | None:
    return db.session.scalar(sa.select(BankQuestion).where(BankQuestion.code == code))


def save_to_bank(question: Question) -> BankQuestion:
    """Keep `question` (options and translations included) in the bank under its code;
    audited; commits."""
    if question.bank_question_id is not None:
        raise BankError(_("Question %(code)s is already in the bank.", code=question.code))
    if bank_entry_by_code(question.code) is not None:
        raise BankError(
            _(
                "The bank already has a question with the code %(code)s. Change this "
                "question's code first, or add the bank's question instead.",
                code=question.code,
            )
        )
    entry = _copy_question(question, BankQuestion, BankQuestionText, BankOption, BankOptionText)
    db.session.add(entry)
    db.session.flush()
    question.bank_question_id = entry.id
    english = source_row(entry.texts)
    audit.record(
        "bank.save",
        target=entry.code,
        details={
            "code": {"before": None, "after": entry.code},
            "text": {"before": None, "after": english.text if english else None},
            "from": {"before": None, "after": question.engagement.slug},
        },
        commit=False,
    )
    db.session.commit()
    return entry


def add_from_bank(engagement: Engagement, entries: list[BankQuestion]) -> list[Question]:
    """Copy bank questions into `engagement`, after its last question, keeping their codes;
    refuses them all if one of the codes is already used there; audited; commits."""
    taken = {q.code for q in engagement.questions}
    clashes = sorted(e.code for e in entries if e.code in taken)
    if clashes:
        raise BankError(
            _(
                "This engagement already has a question with the code %(codes)s. A bank "
                "question keeps its code, so that answers line up across a series; remove "
                "it from your choice.",
                codes=", ".join(clashes),
            )
        )
    position = max((q.position for q in engagement.questions), default=-1) + 1
    added = []
    for entry in entries:
        question = _copy_question(entry, Question, QuestionText, QuestionOption, OptionText)
        question.position = position
        question.bank_question_id = entry.id
        position += 1
        engagement.questions.append(question)
        added.append(question)
    if added:
        audit.record(
            "bank.use",
            target=engagement.slug,
            details={"questions": {"before": None, "after": [q.code for q in added]}},
            commit=False,
        )
    db.session.commit()
    return added


def edit_bank_question(entry: BankQuestion, data: dict) -> None:
    """Change a bank question's English text, help, "required" and (before first answers)
    code; audited; commits.

    Engagements that took it keep their own copy of the text: nothing already asked
    changes. A new code is given to those copies too (none has answers yet), so that the
    series keeps one code."""
    code = (data.get("code") or "").strip() or entry.code
    linked = []
    if code != entry.code:
        if has_answers(entry):
            raise BankError(
                _(
                    "Engagements already use this bank question: its code can no longer "
                    "change, so that their answers line up."
                )
            )
        if bank_entry_by_code(code) is not None:
            raise BankError(_("The bank already has a question with the code %(code)s.", code=code))
        linked = linked_questions(entry)
        clashes = sorted(
            q.engagement.slug
            for q in linked
            if any(other.code == code for other in q.engagement.questions)
        )
        if clashes:
            raise BankError(
                _(
                    "The engagement %(slugs)s already has another question with the code %(code)s.",
                    slugs=", ".join(clashes),
                    code=code,
                )
            )
    before = _bank_fields(entry)
    entry.code = code
    for question in linked:
        question.code = code
    entry.required = bool(data.get("required"))
    set_source_text(entry, BankQuestionText, text=data["text"], help=data.get("help"))
    after = _bank_fields(entry)
    changes = {
        name: {"before": before[name], "after": value}
        for name, value in after.items()
        if before[name] != value
    }
    if linked:
        slugs = sorted(q.engagement.slug for q in linked)
        changes["engagements_given_the_new_code"] = {"before": None, "after": slugs}
    if changes:
        audit.record("bank.edit", target=entry.code, details=changes, commit=False)
    db.session.commit()


def _bank_fields(entry: BankQuestion) -> dict:
    english = source_row(entry.texts)
    return {
        "code": entry.code,
        "text": english.text if english else None,
        "help": english.help if english else None,
        "required": entry.required,
    }


def remove_bank_question(entry: BankQuestion) -> None:
    """Take a question out of the bank; engagements that took it keep their copy."""
    english = source_row(entry.texts)
    audit.record(
        "bank.remove",
        target=entry.code,
        details={
            "code": {"before": entry.code, "after": None},
            "text": {"before": english.text if english else None, "after": None},
        },
        commit=False,
    )
    db.session.delete(entry)
    db.session.commit()


def bank_units(entry: BankQuestion) -> list[Unit]:
    """The translatable strings of a bank question (its text and help, its options'
    labels), for the same translation page as an engagement's."""
    units = [
        Unit(
            f"question:{entry.code}",
            entry,
            BankQuestionText,
            f"Question {entry.code}",
            BankQuestionText.TEXT_FIELDS,
        )
    ]
    for option in entry.options:
        units.append(
            Unit(
                f"option:{entry.code}:{option.code}",
                option,
                BankOptionText,
                f"Option {option.code} of {entry.code}",
                BankOptionText.TEXT_FIELDS,
            )
        )
    return units
