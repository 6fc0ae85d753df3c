"""Held responses: suspicious family answers wait for staff review; text fingerprints.

Revision ID: 0004
Revises: 0003_accounts
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003_accounts"
branch_labels = None
depends_on = None

HELD_REASONS = ("duplicate_text", "machine_speed")
HOLD_STATES = ("held", "released", "set_aside")


def upgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_fingerprint", sa.String(length=32), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_answer_text_fingerprint"), ["text_fingerprint"], unique=False
        )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "held_reason",
                sa.Enum(
                    *HELD_REASONS, name="held_reason", native_enum=False, create_constraint=True
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "hold_state",
                sa.Enum(*HOLD_STATES, name="hold_state", native_enum=False, create_constraint=True),
                nullable=True,
            )
        )
        batch_op.create_index(batch_op.f("ix_response_hold_state"), ["hold_state"], unique=False)
        batch_op.create_check_constraint(
            "hold_complete",
            "(held_reason IS NULL) = (hold_state IS NULL) "
            "AND (held_reason IS NULL) = (held_at IS NULL)",
        )


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        # SQLite's batch mode copies reflected CHECK constraints: drop the enum checks too.
        for name in (
            "ck_response_hold_complete",
            "ck_response_held_reason",
            "ck_response_hold_state",
        ):
            batch_op.drop_constraint(batch_op.f(name), type_="check")
        batch_op.drop_index(batch_op.f("ix_response_hold_state"))
        batch_op.drop_column("hold_state")
        batch_op.drop_column("held_at")
        batch_op.drop_column("held_reason")

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_text_fingerprint"))
        batch_op.drop_column("text_fingerprint")
