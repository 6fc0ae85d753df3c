"""In-person events (forums, council meetings, coffees) and their attendance by group."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import UTCDateTime, utcnow
from engagement.models.district import School, StakeholderGroup
from engagement.models.engagement import Engagement


class Event(db.Model):
    """An in-person forum, council meeting or coffee conversation held for an engagement."""

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(sa.Date)
    # The school whose event this was (a school council's meeting, a coffee at one school);
    # its comment cards count for that school. None: a district-wide event.
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"))
    attendance: Mapped[int] = mapped_column(default=0)
    # Locale codes of the languages interpreted at the event.
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    engagement: Mapped[Engagement] = relationship()
    school: Mapped[School | None] = relationship()
    attendance_by_group: Mapped[list["EventAttendance"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("attendance >= 0", name="attendance_nonnegative"),)

    def __repr__(self):
        return f"<Event {self.engagement_id} {self.held_on}>"


class EventAttendance(db.Model):
    __tablename__ = "event_attendance"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("stakeholder_group.id", ondelete="RESTRICT"), primary_key=True
    )
    count: Mapped[int] = mapped_column()

    event: Mapped[Event] = relationship(back_populates="attendance_by_group")
    group: Mapped[StakeholderGroup] = relationship()

    __table_args__ = (sa.CheckConstraint("count >= 0", name="count_nonnegative"),)
