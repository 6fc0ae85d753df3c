"""Comments that need a person now: urgency on answer analyses, the follow-up queue.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

URGENT_KINDS = (
    "self_harm",
    "violence_threat",
    "abuse_neglect",
    "crisis",
    "bullying_harm",
    "hazard",
)
REASONS = (*URGENT_KINDS, "contact_request")
STATES = ("open", "in_progress", "done")


def upgrade():
    with op.batch_alter_table("answer_analysis", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "urgent_kind",
                sa.Enum(
                    *URGENT_KINDS, name="urgent_kind", native_enum=False, create_constraint=True
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("asks_contact", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(*REASONS, name="reason", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(*STATES, name="follow_up_state", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_follow_up_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_follow_up_owner_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_follow_up_response_id_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("response_id", name=op.f("uq_follow_up_response_id")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_state"), ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_state"))
        batch_op.drop_index(batch_op.f("ix_follow_up_owner_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_answer_id"))
    op.drop_table("follow_up")
    with op.batch_alter_table("answer_analysis", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_answer_analysis_urgent_kind"), type_="check")
        batch_op.drop_column("asks_contact")
        batch_op.drop_column("urgent_kind")
