"""targets (发展目标) per jurisdiction, metric and year; indexes for the dashboards' aggregations

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=8), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("value_max", sa.BigInteger(), nullable=True),
        sa.Column("clause", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_target_region_code_region")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"],
                                name=op.f("fk_target_updated_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("region_code", "metric", "year", name=op.f("uq_target_region_code")),
    )


    # the dashboards: a jurisdiction's open steps, the steps completed in the last twelve months
    # (covering indexes: the aggregations read them alone)
    op.create_index("ix_human_task_state_region", "human_task", ["state", "subject_type", "region_code", "step",
                                                                 "due_at"])
    op.create_index("ix_human_task_state_completed", "human_task", ["state", "completed_at", "subject_type",
                                                                    "region_code", "step", "lane", "decision",
                                                                    "created_at"])
    op.create_index("ix_recognition_stats", "recognition", ["status", "enterprise_id", "tier", "valid_from"])
    op.create_index("ix_enterprise_region_sector", "enterprise", ["region_code", "sector", "id"])
    op.create_index("ix_application_status_updated", "application", ["status", "updated_at", "enterprise_id"])


def downgrade():
    op.drop_index("ix_application_status_updated", table_name="application")
    op.drop_index("ix_enterprise_region_sector", table_name="enterprise")
    op.drop_index("ix_recognition_stats", table_name="recognition")
    op.drop_index("ix_human_task_state_completed", table_name="human_task")
    op.drop_index("ix_human_task_state_region", table_name="human_task")
    op.drop_table("target")
