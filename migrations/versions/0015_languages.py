"""Offered languages per engagement, questions waiting for their translations, and test
answers sent from the staff preview (issue 13).

Existing engagements keep offering all six languages.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

ALL_LANGUAGES = "en,es,pt_BR,zh_Hans,ht,ar"


def upgrade():
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "languages", sa.String(length=100), server_default=ALL_LANGUAGES, nullable=False
            )
        )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "awaiting_translation", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_test", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("is_test")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("awaiting_translation")
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_column("languages")
