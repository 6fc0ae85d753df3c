"""Public results ("What we heard", issue 16): a public snapshot scope and its withdrawal.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_ONE_SCOPE = (
    "(scope IN ('engagement', 'public') AND engagement_id IS NOT NULL AND council_id IS NULL)"
    " OR (scope = 'council' AND council_id IS NOT NULL AND engagement_id IS NULL)"
)
_ONE_SCOPE_BEFORE = (
    "(scope = 'engagement' AND engagement_id IS NOT NULL AND council_id IS NULL)"
    " OR (scope = 'council' AND council_id IS NOT NULL AND engagement_id IS NULL)"
)


def upgrade():
    with op.batch_alter_table("summary_snapshot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f("ck_summary_snapshot_one_scope"), type_="check")
        batch_op.drop_constraint(op.f("ck_summary_snapshot_scope"), type_="check")
        batch_op.create_check_constraint(op.f("ck_summary_snapshot_one_scope"), _ONE_SCOPE)
        batch_op.create_check_constraint(
            op.f("ck_summary_snapshot_scope"), "scope IN ('engagement', 'council', 'public')"
        )


def downgrade():
    op.execute("DELETE FROM summary_snapshot WHERE scope = 'public'")
    with op.batch_alter_table("summary_snapshot", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_summary_snapshot_scope"), type_="check")
        batch_op.drop_constraint(op.f("ck_summary_snapshot_one_scope"), type_="check")
        batch_op.create_check_constraint(op.f("ck_summary_snapshot_one_scope"), _ONE_SCOPE_BEFORE)
        batch_op.create_check_constraint(
            op.f("ck_summary_snapshot_scope"), "scope IN ('engagement', 'council')"
        )
        batch_op.drop_column("withdrawn_at")
