"""Council leads propose, staff approve.

A council lead's theme re-code, "don't quote this" and "you said, we did" note (new or
edited) is stored as a `Proposal` and changes nothing that anyone reads (summaries, exports,
the report, the public pages) until a staff member approves it; then it is applied through
`apply`, the same function a staff member's own change goes through. Proposing and deciding
are both in the audit log, never with a family's words.
"""

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import selectinload

from engagement import audit
from engagement.extensions import db
from engagement.models import (
    Answer,
    Engagement,
    LoopAction,
    Proposal,
    ProposalKind,
    ProposalState,
    QuoteState,
    utcnow,
)
from engagement.staff.services import loop as loop_service
from engagement.themes import review

LOOP_FIELDS = ("heard", "did", "status", "theme_code")


def loop_payload(data: dict) -> dict:
    """The note's fields from a LoopActionForm's data."""
    return {name: data.get(name) or "" for name in LOOP_FIELDS}


def apply(
    kind: ProposalKind,
    engagement: Engagement,
    payload: dict,
    answer: Answer | None = None,
    action: LoopAction | None = None,
    created_by_id: int | None = None,
) -> None:
    """Make the change now (staff's own change, or an approved proposal); the caller commits."""
    if kind == ProposalKind.THEME:
        review.set_theme(
            answer, payload["theme"], bool(payload["present"]), engagement.slug, commit=False
        )
    elif kind == ProposalKind.NO_QUOTE:
        review.set_quote_state([answer], QuoteState.REJECTED, engagement.slug, commit=False)
    else:
        loop_service.save_action(engagement, action, payload, created_by_id, commit=False)


def propose(
    kind: ProposalKind,
    engagement: Engagement,
    payload: dict,
    answer: Answer | None = None,
    action: LoopAction | None = None,
) -> Proposal:
    """Store the signed-in user's suggestion for staff to decide on; audited. The same
    suggestion made twice while it waits is stored once."""
    answer_id = answer.id if answer is not None else None
    action_id = action.id if action is not None else None
    if kind != ProposalKind.LOOP_ACTION:
        for waiting in db.session.scalars(
            sa.select(Proposal).where(
                Proposal.kind == kind,
                Proposal.answer_id == answer_id,
                Proposal.proposed_by_id == current_user.id,
                Proposal.state == ProposalState.PENDING,
            )
        ):
            if waiting.payload == payload:
                return waiting
    proposal = Proposal(
        kind=kind,
        engagement_id=engagement.id,
        answer_id=answer_id,
        loop_action_id=action_id,
        payload=dict(payload),
        proposed_by_id=current_user.id,
    )
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        "proposal.made",
        f"proposal:{proposal.id}",
        _details(proposal, engagement),
        commit=False,
    )
    db.session.commit()
    return proposal


def decide(proposal: Proposal, approve: bool) -> bool:
    """Approve (apply) or reject a waiting proposal; audited. False if already decided."""
    if proposal.state != ProposalState.PENDING:
        return False
    proposal.state = ProposalState.APPROVED if approve else ProposalState.REJECTED
    proposal.decided_by_id = current_user.id
    proposal.decided_at = utcnow()
    engagement = proposal.engagement
    details = _details(proposal, engagement) | {"proposed_by": proposal.proposed_by_id}
    action = f"proposal.{proposal.state.value}"
    audit.record(action, f"proposal:{proposal.id}", details, commit=False)
    if approve:
        apply(
            proposal.kind,
            engagement,
            proposal.payload,
            answer=proposal.answer,
            action=proposal.loop_action,
            created_by_id=proposal.proposed_by_id,
        )
    db.session.commit()
    return True


def _details(proposal: Proposal, engagement: Engagement) -> dict:
    details = {"kind": proposal.kind.value, "engagement": engagement.slug}
    if proposal.answer_id is not None:
        details["answer"] = proposal.answer_id
    if proposal.loop_action_id is not None:
        details["loop_action"] = proposal.loop_action_id
    if proposal.kind == ProposalKind.THEME:
        details |= {"theme": proposal.payload["theme"], "present": proposal.payload["present"]}
    return details


def waiting(engagement_ids=None, kind: ProposalKind | None = None) -> list[Proposal]:
    """Proposals waiting for a decision, oldest first (of the engagements and kind, if given)."""
    query = (
        sa.select(Proposal)
        .where(Proposal.state == ProposalState.PENDING)
        .options(
            selectinload(Proposal.engagement).selectinload(Engagement.texts),
            selectinload(Proposal.answer),
            selectinload(Proposal.loop_action).selectinload(LoopAction.texts),
            selectinload(Proposal.proposed_by),
        )
        .order_by(Proposal.proposed_at, Proposal.id)
    )
    if engagement_ids is not None:
        query = query.where(Proposal.engagement_id.in_(list(engagement_ids) or [-1]))
    if kind is not None:
        query = query.where(Proposal.kind == kind)
    return list(db.session.scalars(query))


def waiting_count() -> int:
    """How many proposals wait for a decision."""
    return db.session.scalar(
        sa.select(sa.func.count(Proposal.id)).where(Proposal.state == ProposalState.PENDING)
    )
