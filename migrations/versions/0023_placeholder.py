"""placeholder revision 0023 (filled in by the work that needs it; a no-op until then)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 19:15:00
"""
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
