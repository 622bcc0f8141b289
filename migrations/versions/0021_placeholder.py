"""placeholder revision 0021 (filled in by the work that needs it; a no-op until then)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 19:15:00
"""
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
