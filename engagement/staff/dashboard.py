"""The staff home page: the engagements this account may see, with response counts.

Staff and admins see each engagement's exact response count (they may read every answer on
the review page anyway). Council leads see the count of the engagement's published snapshot
with its date, or "fewer than k" before the first one: never a live count that would move by
one family (engagement.summary.snapshots)."""

from flask import render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from engagement import followup, holds, labels
from engagement.extensions import db
from engagement.i18n import _l
from engagement.models import Engagement, EngagementStatus
from engagement.staff import bp
from engagement.staff.access import (
    may_approve_changes,
    may_author,
    may_export_summary,
    may_follow_up,
    may_read_live_summaries,
    may_read_summaries,
    may_record_events,
    may_review_answers,
    may_review_held,
    may_write_loop_actions,
    visible_engagements,
)
from engagement.staff.services import proposals
from engagement.staff.services.responses import response_counts
from engagement.summary.snapshots import published_responses
from engagement.themes.review import quotes_waiting

# The links under each engagement on the home page: (endpoint taking `slug`, label,
# capability). A link shows only to accounts with its capability, the one its view requires.
ENGAGEMENT_LINKS = [
    ("staff.engagement_edit", _l("Edit"), may_author),
    ("staff.translations", _l("Translations"), may_author),
    ("staff.events", _l("Events and comment cards"), may_record_events),
    ("staff.flyer", _l("Flyer with QR code"), may_author),
    ("staff.loop_action_list", _l("You said, we did"), may_write_loop_actions),
    ("staff.engagement_exports", _l("Exports"), may_export_summary),
    ("staff.summary", _l("Summary"), may_read_summaries),
    ("staff.review_answers", _l("Review comments"), may_review_answers),
]

STATUS_ORDER = {EngagementStatus.OPEN: 0, EngagementStatus.DRAFT: 1, EngagementStatus.CLOSED: 2}


@bp.route("/")
def dashboard():
    query = visible_engagements(current_user).options(
        selectinload(Engagement.texts),
        selectinload(Engagement.council),
        selectinload(Engagement.school),
    )
    # Archived engagements only with "Show archived" (engagement.staff.services.archive).
    show_archived = request.args.get("archived") == "1"
    if not show_archived:
        query = query.where(Engagement.archived_at.is_(None))
    rows = sorted(
        db.session.scalars(query),
        key=lambda e: (STATUS_ORDER[e.status], -(e.created_at.timestamp())),
    )
    live = may_read_live_summaries(current_user)
    return render_template(
        "staff/dashboard.html",
        engagements=rows,
        show_archived=show_archived,
        counts=response_counts(e.id for e in rows) if live else {},
        published={} if live else {e.id: published_responses(e) for e in rows},
        links=[(endpoint, label) for endpoint, label, may in ENGAGEMENT_LINKS if may(current_user)],
        # Held answers are reviewed by staff only (engagement.staff.held).
        waiting=holds.waiting_count() if may_review_held(current_user) else 0,
        # The follow-up queue is staff's (engagement.staff.follow_up): (not done, overdue).
        follow_ups=followup.waiting_counts() if may_follow_up(current_user) else (0, 0),
        kind_labels=labels.KIND,
        status_labels=labels.STATUS,
        engagement_state=labels.engagement_state,
        proposals_waiting=proposals.waiting_count() if may_approve_changes(current_user) else 0,
        quotes_waiting=quotes_waiting() if may_review_answers(current_user) else 0,
    )
