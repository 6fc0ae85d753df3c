"""Corrections (issue 13): voided responses kept but never counted; archived engagements.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("voided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_response_voided_by_id_user"),
            "user",
            ["voided_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_response_void_complete"),
            "(voided_at IS NULL) = (void_reason IS NULL)",
        )
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("archived_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_engagement_archived_by_id_user"),
            "user",
            ["archived_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_engagement_archived_by_id_user"), type_="foreignkey"
        )
        batch_op.drop_column("archived_by_id")
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_response_void_complete"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_response_voided_by_id_user"), type_="foreignkey")
        batch_op.drop_column("void_reason")
        batch_op.drop_column("voided_by_id")
        batch_op.drop_column("voided_at")
