"""The audit log: one helper that every audited action calls.

Audited actions: sign-ins, failed sign-ins, role changes, opening/closing engagements,
event entries, every export, quote approvals, rejections and hand masking, council leads'
proposals and their decisions, and admins' unmasked views of quotes. Answer text and
passwords never go into `details`.
"""

from flask import has_request_context
from flask_login import current_user

from engagement.extensions import db
from engagement.models import AuditLog


def _current_user():
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user if getattr(user, "is_authenticated", False) else None


def record(action, target="", details=None, row_count=None, user=None, actor=None, commit=True):
    """Add an AuditLog row for `action` by `user` (default: the signed-in user) and commit.

    `actor` is free text for who acted when there is no account (e.g. the e-mail tried in a
    failed sign-in); it defaults to the user's e-mail. Pass commit=False to let the caller's
    transaction commit the row together with the change it describes.
    """
    user = user if user is not None else _current_user()
    row = AuditLog(
        user_id=user.id if user is not None else None,
        actor=(actor if actor is not None else (user.email if user is not None else ""))[:254],
        action=str(action)[:60],
        target=str(target or "")[:200],
        details=dict(details or {}),
        row_count=row_count,
    )
    db.session.add(row)
    if commit:
        db.session.commit()
    return row
