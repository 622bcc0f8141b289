"""placeholder revision, filled by the change that needs it

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 18:00:00
"""

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
