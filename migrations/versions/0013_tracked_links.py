"""Tracked invitation links (issue 16): channels sms, email and newsletter, and the school
whose link a family followed.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD = ("web", "qr", "paper", "staff_entry")
NEW = (*OLD, "sms", "email", "newsletter")


def channel(values):
    return sa.Enum(*values, name="channel", native_enum=False, create_constraint=True)


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_school_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_response_source_school_id_school"),
            "school",
            ["source_school_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.alter_column(
            "channel",
            existing_type=channel(OLD),
            type_=channel(NEW),
            existing_nullable=False,
        )


def downgrade():
    response = sa.table("response", sa.column("channel", sa.String))
    op.execute(
        response.update().where(response.c.channel.in_(NEW[len(OLD) :])).values(channel="web")
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.alter_column(
            "channel",
            existing_type=channel(NEW),
            type_=channel(OLD),
            existing_nullable=False,
        )
        batch_op.drop_constraint(
            batch_op.f("fk_response_source_school_id_school"), type_="foreignkey"
        )
        batch_op.drop_column("source_school_id")
