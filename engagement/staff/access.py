"""Access control for the staff blueprint, in one place.

- Every staff URL needs a signed-in, active account (`before_request`), except the views
  marked `@public_view` (sign-in page).
- `@roles_required(...)` guards a view by role.
- Council leads see only engagements tied to their councils: `visible_engagements()` and
  `engagement_for(slug)` apply that scope; an engagement outside it is a 404, so that its
  existence is not revealed.
"""

from functools import wraps

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_login import current_user

from engagement.extensions import db
from engagement.models import Engagement, Role
from engagement.staff import bp

_PUBLIC_VIEWS: set[str] = set()


def public_view(view):
    """Mark a staff view that needs no sign-in (the sign-in page itself)."""
    _PUBLIC_VIEWS.add(view.__name__)
    return view


@bp.before_request
def require_sign_in():
    endpoint = (request.endpoint or "").split(".")[-1]
    if endpoint in _PUBLIC_VIEWS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("staff.login", next=request.full_path))
    return None


def roles_required(*roles: Role):
    """Allow the view only to the given roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("staff.login", next=request.full_path))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


ALL_ROLES = (Role.ADMIN, Role.STAFF, Role.COUNCIL_LEAD)
STAFF_ROLES = (Role.ADMIN, Role.STAFF)


def scope_clause(user):
    """SQL condition limiting engagements to what `user` may see."""
    if user.role in STAFF_ROLES:
        return sa.true()
    return Engagement.council_id.in_(user.council_ids or {-1})


def visible_engagements(user):
    """A select() of the engagements `user` may see."""
    return sa.select(Engagement).where(scope_clause(user))


def can_see(user, engagement: Engagement) -> bool:
    if user.role in STAFF_ROLES:
        return True
    return engagement.council_id is not None and engagement.council_id in user.council_ids


def engagement_for(slug: str) -> Engagement:
    """The engagement `slug` if the current user may see it, else 404."""
    engagement = db.session.scalar(sa.select(Engagement).where(Engagement.slug == slug))
    if engagement is None or not can_see(current_user, engagement):
        abort(404)
    return engagement
