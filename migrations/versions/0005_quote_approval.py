"""Quote approval and council leads' proposals.

A written answer is quoted only once staff approve it: `answer.quote_state` (pending,
approved, rejected) replaces `answer.quote_hidden` (hidden answers become rejected, all
others pending), and `answer.quote_text` holds a quote staff masked by hand. The `proposal`
table keeps a council lead's suggested change until staff decide on it.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATES = ("pending", "approved", "rejected")
PROPOSAL_KINDS = ("theme", "no_quote", "loop_action")

answer = sa.table(
    "answer",
    sa.column("quote_hidden", sa.Boolean),
    sa.column("quote_state", sa.String),
)


def enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True)


def upgrade():
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", enum(PROPOSAL_KINDS, "kind"), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=True),
        sa.Column("loop_action_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", enum(STATES, "state"), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)", name=op.f("ck_proposal_decided_when")
        ),
        sa.CheckConstraint(
            "kind = 'loop_action' OR answer_id IS NOT NULL",
            name=op.f("ck_proposal_answer_kinds_have_answer"),
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_proposal_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user.id"],
            name=op.f("fk_proposal_decided_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_proposal_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["loop_action_id"],
            ["loop_action.id"],
            name=op.f("fk_proposal_loop_action_id_loop_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user.id"],
            name=op.f("fk_proposal_proposed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_proposal_engagement_id"), ["engagement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proposal_loop_action_id"), ["loop_action_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_state"), ["state"], unique=False)

    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "quote_state",
                enum(STATES, "quote_state"),
                nullable=False,
                server_default="pending",
            )
        )
        batch_op.add_column(sa.Column("quote_text", sa.Text(), nullable=True))
    # A quote a reviewer hid stays out; every other answer waits for a decision.
    op.execute(
        answer.update().where(answer.c.quote_hidden == sa.true()).values(quote_state="rejected")
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.alter_column("quote_state", server_default=None)
        batch_op.drop_column("quote_hidden")


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quote_hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        answer.update().where(answer.c.quote_state == "rejected").values(quote_hidden=True)
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.alter_column("quote_hidden", server_default=None)
        batch_op.drop_column("quote_text")
        batch_op.drop_constraint(batch_op.f("ck_answer_quote_state"), type_="check")
        batch_op.drop_column("quote_state")

    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_state"))
        batch_op.drop_index(batch_op.f("ix_proposal_loop_action_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_engagement_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_answer_id"))
    op.drop_table("proposal")
