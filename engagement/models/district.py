"""The district's structure: schools, stakeholder groups and strategic priorities."""

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.extensions import db
from engagement.models.base import enum_column


def localized(names: dict, locale: str) -> tuple[str, str]:
    """The name in `locale`, else English; returns (text, locale it is in)."""
    if names.get(locale):
        return names[locale], locale
    return names.get("en", ""), "en"


class GroupKind(enum.StrEnum):
    ROLE = "role"
    COUNCIL = "council"
    COMMUNITY = "community"


class SchoolLevel(enum.StrEnum):
    ELEMENTARY = "elementary"
    MIDDLE = "middle"
    HIGH = "high"
    DISTRICT = "district"


class School(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[SchoolLevel] = mapped_column(enum_column(SchoolLevel, "level"))
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<School {self.code}>"


class StakeholderGroup(db.Model):
    """A role (parent/guardian, student, ...), a council (SAC, SEPAC, ...) or a community."""

    __tablename__ = "stakeholder_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[GroupKind] = mapped_column(enum_column(GroupKind, "kind"))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="RESTRICT"))
    # Names per locale, from the seed file: {"en": "...", "es": "...", ...}.
    names: Mapped[dict] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)

    school: Mapped[School | None] = relationship()

    def name(self, locale: str = "en") -> str:
        return localized(self.names, locale)[0]

    def __repr__(self):
        return f"<StakeholderGroup {self.code} ({self.kind})>"


class StrategicPriority(db.Model):
    __tablename__ = "strategic_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    names: Mapped[dict] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)

    def name(self, locale: str = "en") -> str:
        return localized(self.names, locale)[0]

    def __repr__(self):
        return f"<StrategicPriority {self.code}>"
