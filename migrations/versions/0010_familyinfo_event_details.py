"""Event details of forums and coffees: when (engagement) and where, childcare and
interpreters in each language (engagement_text).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_starts_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("event_ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_engagement_event_window"),
            "event_ends_at IS NULL OR (event_starts_at IS NOT NULL"
            " AND event_ends_at > event_starts_at)",
        )
    with op.batch_alter_table("engagement_text", schema=None) as batch_op:
        for name in ("place", "childcare", "interpreters"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("engagement_text", schema=None) as batch_op:
        for name in ("interpreters", "childcare", "place"):
            batch_op.drop_column(name)
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_engagement_event_window"), type_="check")
        batch_op.drop_column("event_ends_at")
        batch_op.drop_column("event_starts_at")
