"""Per-engagement response counts kept at write time (issue 17: summaries in constant time),
and an index of approved answers (quotes are chosen among them).

Engagements that already have responses are marked stale: their summaries read the raw rows
until `flask --app wsgi aggregates rebuild` has counted them (run it after upgrading).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "response_aggregate",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_response_aggregate_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "engagement_id", "dimension", "key", name=op.f("pk_response_aggregate")
        ),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_approved_response_id",
            ["response_id"],
            unique=False,
            sqlite_where=sa.text("quote_state = 'approved'"),
            postgresql_where=sa.text("quote_state = 'approved'"),
        )
    op.execute(
        "INSERT INTO response_aggregate (engagement_id, dimension, key, n, total) "
        "SELECT DISTINCT engagement_id, 'meta', 'stale', 1, 0 FROM response"
    )


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_approved_response_id")
    op.drop_table("response_aggregate")
