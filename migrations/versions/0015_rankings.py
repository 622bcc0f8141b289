"""rankings (考评): ranking schemes per jurisdiction and their yearly runs

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "ranking_scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("metrics", JSON, nullable=False),
        sa.Column("top_n", sa.Integer(), nullable=False),
        sa.Column("key_tier", sa.String(length=16), nullable=False),
        sa.Column("clause", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_ranking_scheme_region_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_scheme")),
        sa.UniqueConstraint("key", name=op.f("uq_ranking_scheme_key")),
    )
    op.create_table(
        "ranking_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("metrics", JSON, nullable=False),
        sa.Column("top_n", sa.Integer(), nullable=False),
        sa.Column("key_tier", sa.String(length=16), nullable=False),
        sa.Column("results", JSON, nullable=False),
        sa.Column("zero_breakthrough", JSON, nullable=False),
        sa.Column("breakthroughs", JSON, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["scheme_id"], ["ranking_scheme.id"],
                                name=op.f("fk_ranking_run_scheme_id_ranking_scheme")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_ranking_run_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_run")),
    )
    op.create_index("ix_ranking_run_scheme_year", "ranking_run", ["scheme_id", "year"])


def downgrade():
    op.drop_table("ranking_run")
    op.drop_table("ranking_scheme")
