"""Published summary snapshots for council leads (issue 11: no differencing over time).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "summary_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "engagement", "council", name="scope", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("council_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response_count", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "(scope = 'engagement' AND engagement_id IS NOT NULL AND council_id IS NULL)"
            " OR (scope = 'council' AND council_id IS NOT NULL AND engagement_id IS NULL)",
            name=op.f("ck_summary_snapshot_one_scope"),
        ),
        sa.CheckConstraint("k >= 1", name=op.f("ck_summary_snapshot_k_positive")),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["stakeholder_group.id"],
            name=op.f("fk_summary_snapshot_council_id_stakeholder_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_summary_snapshot_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_snapshot")),
        sa.UniqueConstraint("basis", name=op.f("uq_summary_snapshot_basis")),
    )
    with op.batch_alter_table("summary_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_summary_snapshot_council_id"), ["council_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_summary_snapshot_engagement_id"), ["engagement_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("summary_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_summary_snapshot_engagement_id"))
        batch_op.drop_index(batch_op.f("ix_summary_snapshot_council_id"))
    op.drop_table("summary_snapshot")
