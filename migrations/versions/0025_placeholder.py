"""placeholder revision 0025 (filled in by the work that needs it; a no-op until then)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 19:15:00
"""
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
