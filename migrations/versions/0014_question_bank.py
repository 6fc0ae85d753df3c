"""The question bank: questions kept for reuse across engagements (issue 13).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

KINDS = ("likert5", "single_choice", "multi_choice", "open_text", "rating")


def _text_columns():
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("source_hash", sa.String(length=16), nullable=True),
    ]


def upgrade():
    op.create_table(
        "bank_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_question")),
        sa.UniqueConstraint("code", name=op.f("uq_bank_question_code")),
    )
    op.create_table(
        "bank_question_text",
        sa.Column("bank_question_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("help", sa.Text(), nullable=False),
        *_text_columns(),
        sa.ForeignKeyConstraint(
            ["bank_question_id"],
            ["bank_question.id"],
            name=op.f("fk_bank_question_text_bank_question_id_bank_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_question_text")),
        sa.UniqueConstraint(
            "bank_question_id", "locale", name=op.f("uq_bank_question_text_bank_question_id_locale")
        ),
    )
    op.create_index(
        op.f("ix_bank_question_text_bank_question_id"), "bank_question_text", ["bank_question_id"]
    )
    op.create_table(
        "bank_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_question_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_question_id"],
            ["bank_question.id"],
            name=op.f("fk_bank_option_bank_question_id_bank_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_option")),
        sa.UniqueConstraint(
            "bank_question_id", "code", name=op.f("uq_bank_option_bank_question_id_code")
        ),
    )
    op.create_index(op.f("ix_bank_option_bank_question_id"), "bank_option", ["bank_question_id"])
    op.create_table(
        "bank_option_text",
        sa.Column("bank_option_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        *_text_columns(),
        sa.ForeignKeyConstraint(
            ["bank_option_id"],
            ["bank_option.id"],
            name=op.f("fk_bank_option_text_bank_option_id_bank_option"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_option_text")),
        sa.UniqueConstraint(
            "bank_option_id", "locale", name=op.f("uq_bank_option_text_bank_option_id_locale")
        ),
    )
    op.create_index(
        op.f("ix_bank_option_text_bank_option_id"), "bank_option_text", ["bank_option_id"]
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bank_question_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_question_bank_question_id"), ["bank_question_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_question_bank_question_id_bank_question"),
            "bank_question",
            ["bank_question_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_question_bank_question_id_bank_question"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_question_bank_question_id"))
        batch_op.drop_column("bank_question_id")
    op.drop_index(op.f("ix_bank_option_text_bank_option_id"), table_name="bank_option_text")
    op.drop_table("bank_option_text")
    op.drop_index(op.f("ix_bank_option_bank_question_id"), table_name="bank_option")
    op.drop_table("bank_option")
    op.drop_index(op.f("ix_bank_question_text_bank_question_id"), table_name="bank_question_text")
    op.drop_table("bank_question_text")
    op.drop_table("bank_question")
