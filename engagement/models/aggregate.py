"""Per-engagement response counts kept up to date as answers are written (issue 17).

One row per (engagement, dimension, key): how many counted responses fall in it (`n`), and
for sentiment a sum in millionths (`total`, integers so additions and removals never
drift). The rules that fill it live in engagement.aggregates; engagement.summary reads it
for whole engagements instead of scanning every response.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from engagement.extensions import db


class ResponseAggregate(db.Model):
    __tablename__ = "response_aggregate"

    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagement.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(160), primary_key=True)
    n: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    total: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<ResponseAggregate {self.engagement_id} {self.dimension}:{self.key}={self.n}>"
