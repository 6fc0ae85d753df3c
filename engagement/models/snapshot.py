"""Published summary snapshots: what council leads (and later the public) read.

A snapshot holds one scope's summary as it was made, every number already protected
(`data`, the JSON the page renders), and the raw counts it was made from (`counts`, never
rendered: later snapshots of the same scope are compared with them). The rules that decide
when a snapshot is made and what it hides live in engagement.summary.snapshots.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from engagement.extensions import db
from engagement.models.base import UTCDateTime, enum_column, utcnow


class SnapshotScope(enum.StrEnum):
    ENGAGEMENT = "engagement"  # one engagement's summary
    COUNCIL = "council"  # a council's engagements together
    # One engagement's public results ("What we heard"): the people of one of its
    # engagement snapshots, protected again with REPORT_MIN_GROUP_SIZE.
    PUBLIC = "public"


class SummarySnapshot(db.Model):
    __tablename__ = "summary_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[SnapshotScope] = mapped_column(enum_column(SnapshotScope, "scope"))
    engagement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    council_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stakeholder_group.id", ondelete="CASCADE"), index=True
    )
    # What it counts, as a fingerprint: the scope with an engagement's last response id, or
    # with the engagement snapshots a council snapshot adds up. Two readers making the same
    # snapshot at once store it once.
    basis: Mapped[str] = mapped_column(sa.String(64))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response_count: Mapped[int] = mapped_column(default=0)
    k: Mapped[int] = mapped_column()
    data: Mapped[dict] = mapped_column(sa.JSON)
    counts: Mapped[dict] = mapped_column(sa.JSON)
    # Public results only: when staff took them down (they stay stored, so that a later
    # publication is compared with them).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(
            "(scope IN ('engagement', 'public') AND engagement_id IS NOT NULL"
            " AND council_id IS NULL)"
            " OR (scope = 'council' AND council_id IS NOT NULL AND engagement_id IS NULL)",
            name="one_scope",
        ),
        sa.CheckConstraint("k >= 1", name="k_positive"),
        sa.UniqueConstraint("basis"),
    )

    def __repr__(self):
        target = self.council_id if self.scope == SnapshotScope.COUNCIL else self.engagement_id
        return f"<SummarySnapshot {self.scope} {target} {self.made_at:%Y-%m-%d}>"
