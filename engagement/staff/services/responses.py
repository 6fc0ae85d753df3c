"""Read-only response counts shared by staff views (one grouped query, no N+1)."""

import sqlalchemy as sa

from engagement.extensions import db
from engagement.models import Response


def response_counts(engagement_ids) -> dict[int, int]:
    """Number of counted responses (none held for review) per engagement id, in one
    grouped query."""
    ids = list(engagement_ids)
    if not ids:
        return {}
    query = (
        sa.select(Response.engagement_id, sa.func.count(Response.id))
        .where(Response.engagement_id.in_(ids), Response.counted)
        .group_by(Response.engagement_id)
    )
    return {engagement_id: count for engagement_id, count in db.session.execute(query)}
