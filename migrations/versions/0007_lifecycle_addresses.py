"""Earlier web addresses of engagements, answered with a redirect (issue 13: printed QR codes).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "engagement_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_engagement_address_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_address")),
        sa.UniqueConstraint("slug", name=op.f("uq_engagement_address_slug")),
    )
    with op.batch_alter_table("engagement_address", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_engagement_address_engagement_id"), ["engagement_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("engagement_address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_address_engagement_id"))
    op.drop_table("engagement_address")
