"""Exchange mode (issue 18): shared ideas, their moderation, balanced exposures, ratings.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column(
            "phase",
            sa.Enum(
                "share", "rate", "closed", name="phase", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("samples_drawn", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "sample_size >= 1 AND sample_size <= 20", name=op.f("ck_exchange_sample_size_range")
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_exchange_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_exchange_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange")),
        sa.UniqueConstraint("engagement_id", name=op.f("uq_exchange_engagement_id")),
    )
    op.create_table(
        "exchange_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f("fk_exchange_participant_exchange_id_exchange"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_participant")),
        sa.UniqueConstraint("key", name=op.f("uq_exchange_participant_key")),
    )
    with op.batch_alter_table("exchange_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_participant_exchange_id"), ["exchange_id"], unique=False
        )

    op.create_table(
        "exchange_idea",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
            name=op.f("fk_exchange_idea_answer_id_answer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exchange_id"],
            ["exchange.id"],
            name=op.f("fk_exchange_idea_exchange_id_exchange"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_idea_participant_id_exchange_participant"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_idea")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_exchange_idea_answer_id")),
    )
    with op.batch_alter_table("exchange_idea", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_idea_exchange_id"), ["exchange_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_idea_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exchange_idea_state"), ["state"], unique=False)

    op.create_table(
        "exchange_participant_group",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["stakeholder_group.id"],
            name=op.f("fk_exchange_participant_group_group_id_stakeholder_group"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_participant_group_participant_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "group_id", name=op.f("pk_exchange_participant_group")
        ),
    )
    op.create_table(
        "exchange_exposure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["exchange_idea.id"],
            name=op.f("fk_exchange_exposure_idea_id_exchange_idea"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_exposure_participant_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_exposure")),
        sa.UniqueConstraint(
            "idea_id", "participant_id", name=op.f("uq_exchange_exposure_idea_id_participant_id")
        ),
    )
    with op.batch_alter_table("exchange_exposure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_exposure_idea_id"), ["idea_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exchange_exposure_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "exchange_idea_text",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("source_hash", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["exchange_idea.id"],
            name=op.f("fk_exchange_idea_text_idea_id_exchange_idea"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_idea_text")),
        sa.UniqueConstraint("idea_id", "locale", name=op.f("uq_exchange_idea_text_idea_id_locale")),
    )
    with op.batch_alter_table("exchange_idea_text", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_idea_text_idea_id"), ["idea_id"], unique=False
        )

    op.create_table(
        "exchange_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "stars IS NULL OR (stars >= 1 AND stars <= 5)",
            name=op.f("ck_exchange_rating_stars_range"),
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["exchange_idea.id"],
            name=op.f("fk_exchange_rating_idea_id_exchange_idea"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_rating_participant_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rating")),
        sa.UniqueConstraint(
            "idea_id", "participant_id", name=op.f("uq_exchange_rating_idea_id_participant_id")
        ),
    )
    with op.batch_alter_table("exchange_rating", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_rating_idea_id"), ["idea_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exchange_rating_participant_id"), ["participant_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("exchange_rating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_rating_participant_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_rating_idea_id"))

    op.drop_table("exchange_rating")
    with op.batch_alter_table("exchange_idea_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_idea_text_idea_id"))

    op.drop_table("exchange_idea_text")
    with op.batch_alter_table("exchange_exposure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_exposure_participant_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_exposure_idea_id"))

    op.drop_table("exchange_exposure")
    op.drop_table("exchange_participant_group")
    with op.batch_alter_table("exchange_idea", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_idea_state"))
        batch_op.drop_index(batch_op.f("ix_exchange_idea_participant_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_idea_exchange_id"))

    op.drop_table("exchange_idea")
    with op.batch_alter_table("exchange_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_participant_exchange_id"))

    op.drop_table("exchange_participant")
    op.drop_table("exchange")
