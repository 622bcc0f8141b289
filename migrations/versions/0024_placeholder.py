"""placeholder revision 0024 (filled in by the work that needs it; a no-op until then)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 19:15:00
"""
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
