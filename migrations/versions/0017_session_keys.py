"""a user's browser session key (logging out ends every session of the user)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 17:20:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_key", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("session_key")
