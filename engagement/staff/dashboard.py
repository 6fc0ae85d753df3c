"""The staff home page: the engagements this account may see, with response counts."""

from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import selectinload

from engagement import holds, labels
from engagement.extensions import db
from engagement.models import Engagement, EngagementStatus
from engagement.staff import bp
from engagement.staff.access import STAFF_ROLES, visible_engagements
from engagement.staff.queries import response_counts

# Other staff modules (summaries, exports) add per-engagement links to the home page here:
# ENGAGEMENT_LINKS.append(("staff.summary", _l("Summary"), ALL_ROLES)); the endpoint takes slug.
ENGAGEMENT_LINKS: list[tuple[str, object, tuple]] = []

STATUS_ORDER = {EngagementStatus.OPEN: 0, EngagementStatus.DRAFT: 1, EngagementStatus.CLOSED: 2}


@bp.route("/")
def dashboard():
    query = visible_engagements(current_user).options(
        selectinload(Engagement.texts),
        selectinload(Engagement.council),
        selectinload(Engagement.school),
    )
    rows = sorted(
        db.session.scalars(query),
        key=lambda e: (STATUS_ORDER[e.status], -(e.created_at.timestamp())),
    )
    return render_template(
        "staff/dashboard.html",
        engagements=rows,
        counts=response_counts(e.id for e in rows),
        # Held answers are reviewed by staff only (engagement.staff.held).
        waiting=holds.waiting_count() if current_user.role in STAFF_ROLES else 0,
        extra_links=ENGAGEMENT_LINKS,
        kind_labels=labels.KIND,
        status_labels=labels.STATUS,
    )
