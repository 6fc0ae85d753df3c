"""English beside every quote: staff's English rendering of a comment quoted in another
language, with who wrote it, when, the quote (as masked then) it renders, and whether it is
still a machine draft nobody has checked.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "quote_english",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("quote_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("machine_draft", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_quote_english_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["user.id"],
            name=op.f("fk_quote_english_written_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("answer_id", name=op.f("pk_quote_english")),
    )
    with op.batch_alter_table("quote_english", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quote_english_written_by_id"), ["written_by_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("quote_english", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_english_written_by_id"))
    op.drop_table("quote_english")
