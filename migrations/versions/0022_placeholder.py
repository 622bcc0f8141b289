"""placeholder revision 0022 (filled in by the work that needs it; a no-op until then)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 19:15:00
"""
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
