"""placeholder revision, filled by the change that needs it

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 17:00:00
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
