"""rule sets carry their provenance and life (issue 15 item 8): effective_to, status (verified /
provisional), source, active (an admin activates a provisional one), fallback; a call may pin its rule set

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 19:15:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# Rule sets whose text is not in the seeds and could not be verified: no longer applied by default.
PROVISIONAL = ("jilin_province", "national_2026")


def upgrade():
    with op.batch_alter_table("rule_set") as batch:
        batch.add_column(sa.Column("effective_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="verified"))
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("fallback", sa.Boolean(), nullable=False, server_default=sa.false()))
    rule_set = sa.table("rule_set", sa.column("key", sa.String), sa.column("status", sa.String),
                        sa.column("active", sa.Boolean))
    op.execute(rule_set.update().where(rule_set.c.key.in_(PROVISIONAL)).values(status="provisional", active=False))
    with op.batch_alter_table("application_call") as batch:
        batch.add_column(sa.Column("rule_set_key", sa.String(64), nullable=True))


def downgrade():
    with op.batch_alter_table("application_call") as batch:
        batch.drop_column("rule_set_key")
    with op.batch_alter_table("rule_set") as batch:
        for column in ("fallback", "active", "source", "status", "effective_to"):
            batch.drop_column(column)
