"""Corrections to stored responses: void and restore any response, edit a staff-typed one.

- A family's own words are never edited: a web or QR response can only be voided.
- A voided response is kept, with who voided it, when and why, but never counted
  (`Response.counted`); the ORM session hook of engagement.aggregates takes it out of the
  counts in the same transaction, and restoring puts it back.
- A comment card or staff-entered response can be corrected (a mistyped text, the wrong
  language or group); a changed text is analysed again as on entry, and any approval as a
  quote or hand masking is cleared, since it was about the old words.

Every step is audited with before/after. The audit keeps the length and a short hash of a
changed text, never the words (no answer text outside the answer rows, which a purge
deletes).
"""

import hashlib

import sqlalchemy as sa
from flask_login import current_user

from engagement import audit, holds
from engagement.extensions import db
from engagement.models import (
    Answer,
    Channel,
    QuoteState,
    Response,
    StakeholderGroup,
    utcnow,
)
from engagement.themes.store import analyze_answers

STAFF_CHANNELS = frozenset({Channel.PAPER, Channel.STAFF_ENTRY})
MAX_REASON = 500


class CorrectionError(ValueError):
    """The correction cannot be made (already voided, a family's words, ...)."""


def is_staff_entered(response: Response) -> bool:
    """Typed in by staff (a comment card, an answer taken by phone): its answers may be
    corrected. A family's own web or QR answers never are."""
    return response.channel in STAFF_CHANNELS


def written_answers(response: Response) -> list[Answer]:
    """The response's written answers, in question order."""
    rows = [a for a in response.answers if a.text is not None]
    return sorted(rows, key=lambda a: (a.question.position, a.id))


def void(response: Response, reason: str) -> None:
    """Take the response out of every count, keeping it; audited with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionError("a reason is required")
    if response.voided_at is not None:
        raise CorrectionError("already voided")
    response.voided_at = utcnow()
    response.voided_by_id = current_user.id if current_user.is_authenticated else None
    response.void_reason = reason[:MAX_REASON]
    audit.record(
        "response.void",
        target=response.engagement.slug,
        details={
            "response_id": response.id,
            "receipt": response.receipt_code,
            "voided": {"before": False, "after": True},
            "reason": {"before": None, "after": response.void_reason},
        },
        commit=False,
    )
    db.session.commit()


def restore(response: Response) -> None:
    """Count a voided response again; audited with the reason it had been voided for."""
    if response.voided_at is None:
        raise CorrectionError("not voided")
    reason = response.void_reason
    response.voided_at = None
    response.voided_by_id = None
    response.void_reason = None
    audit.record(
        "response.restore",
        target=response.engagement.slug,
        details={
            "response_id": response.id,
            "receipt": response.receipt_code,
            "voided": {"before": True, "after": False},
            "reason": {"before": reason, "after": None},
        },
        commit=False,
    )
    db.session.commit()


def text_trace(text: str | None) -> str:
    """What the audit keeps of a text: its length and a short hash, never the words."""
    if text is None:
        return ""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{len(text)} chars #{digest}"


def _fields(response: Response) -> dict:
    return {
        "locale": response.locale,
        "channel": response.channel.value,
        "groups": sorted(g.code for g in response.groups),
    }


def edit(response: Response, locale: str, channel: str, group_id, texts: dict[int, str]) -> bool:
    """Correct a staff-typed response: its language, how it was collected, who wrote it and
    the text of its written answers ({answer id: text}). Changed texts are analysed again
    (themes, sentiment, urgent flags) as on entry. Returns whether anything changed;
    audited with before/after."""
    if not is_staff_entered(response):
        raise CorrectionError("a family's own answers are never edited")
    if response.voided_at is not None:
        raise CorrectionError("restore it before correcting it")
    before = _fields(response)
    response.locale = locale
    response.channel = Channel(channel)
    group = db.session.get(StakeholderGroup, group_id) if group_id else None
    if [g.id for g in response.groups] != ([group.id] if group else []):
        response.groups = [group] if group else []
    changes = {
        name: {"before": before[name], "after": value}
        for name, value in _fields(response).items()
        if before[name] != value
    }
    changed_answers = []
    for answer in written_answers(response):
        text = (texts.get(answer.id) or "").strip()
        if not text or text == answer.text:
            continue
        changes[f"answer_{answer.id}"] = {
            "before": text_trace(answer.text),
            "after": text_trace(text),
        }
        answer.text = text
        answer.text_fingerprint = holds.text_fingerprint(text)
        # An approval or hand masking was about the old words.
        answer.quote_state = QuoteState.PENDING
        answer.quote_text = None
        changed_answers.append(answer)
    if "locale" in changes:  # the language decides how every text is read
        changed_answers = written_answers(response)
    if not changes:
        return False
    db.session.flush()
    analyze_answers(changed_answers, locale_hint=response.locale)
    audit.record(
        "response.edit",
        target=response.engagement.slug,
        details={"response_id": response.id, "receipt": response.receipt_code} | changes,
        commit=False,
    )
    db.session.commit()
    return True


def response_of(engagement, response_id: int) -> Response | None:
    """The response `response_id` of `engagement`, or None."""
    return db.session.scalar(
        sa.select(Response).where(
            Response.id == response_id, Response.engagement_id == engagement.id
        )
    )
