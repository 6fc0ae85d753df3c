"""The "you said, we did" notes: what the district heard and what it did, per engagement."""

import json
from functools import cache

import sqlalchemy as sa
from flask_login import current_user

from engagement import audit
from engagement.extensions import db
from engagement.models import ActionStatus, LoopAction, LoopActionText
from engagement.staff.services.texts import set_source_text, source_row
from engagement.themes.codebook import default_path


@cache
def codebook_themes() -> tuple:
    """(code, {locale: label}) of every theme of the codebook, in its order."""
    data = json.loads(default_path().read_text(encoding="utf-8"))
    return tuple((t["code"], t.get("label", {})) for t in data.get("themes", []))


def ordered_loop_actions(engagement) -> list[LoopAction]:
    """The engagement's notes in their order on the page."""
    query = (
        sa.select(LoopAction)
        .where(LoopAction.engagement_id == engagement.id)
        .order_by(LoopAction.position, LoopAction.id)
    )
    return list(db.session.scalars(query))


def save_action(
    engagement,
    action: LoopAction | None,
    data: dict,
    created_by_id: int | None = None,
    commit: bool = True,
) -> LoopAction:
    """Create or update a note with its English text; translations go out of date on change.
    Publishes at once: a council lead's note goes through engagement.staff.services.proposals
    first. `created_by_id`: who wrote a new note (default: the signed-in user). Audited: a
    new note with its fields, a changed one with what changed (before/after)."""
    before = None if action is None else note_fields(action)
    if action is None:
        position = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(LoopAction.position), -1)).where(
                LoopAction.engagement_id == engagement.id
            )
        )
        action = LoopAction(
            engagement_id=engagement.id,
            position=position + 1,
            created_by_id=created_by_id if created_by_id is not None else current_user.id,
        )
        db.session.add(action)
    action.status = ActionStatus(data["status"])
    action.theme_code = data.get("theme_code") or None
    set_source_text(action, LoopActionText, heard=data["heard"], did=data["did"])
    db.session.flush()
    after = note_fields(action)
    if before is None:
        details = after
    else:
        details = {
            name: {"before": before[name], "after": value}
            for name, value in after.items()
            if before[name] != value
        }
    if before is None or details:
        audit.record(
            "loop_action.save",
            target=engagement.slug,
            details={"action_id": action.id} | details,
            commit=False,
        )
    if commit:
        db.session.commit()
    return action


def note_fields(action: LoopAction) -> dict:
    """A note's English text, status and theme as plain values, for the audit log."""
    english = source_row(action.texts)
    return {
        "heard": english.heard if english else "",
        "did": english.did if english else "",
        "status": action.status.value if action.status else None,
        "theme_code": action.theme_code,
    }


def delete_action(action: LoopAction) -> None:
    """Delete a note with its translations (and any draft change to it); audited with what
    it said."""
    details = {"action_id": action.id} | note_fields(action)
    slug = action.engagement.slug
    db.session.delete(action)
    audit.record("loop_action.delete", target=slug, details=details, commit=False)
    db.session.commit()
