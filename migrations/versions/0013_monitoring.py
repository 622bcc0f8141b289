"""monitoring (运行监测): programmes per jurisdiction, periods, members' reports; leader and reporter roles

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "monitoring_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("due_working_days", sa.Integer(), nullable=False),
        sa.Column("clause", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"],
                                name=op.f("fk_monitoring_programme_region_code_region")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_monitoring_programme_office_id_office")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_programme")),
        sa.UniqueConstraint("region_code", name=op.f("uq_monitoring_programme_region_code")),
    )
    op.create_table(
        "monitoring_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["monitoring_programme.id"],
                                name=op.f("fk_monitoring_period_programme_id_monitoring_programme")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_monitoring_period_region_code_region")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_monitoring_period_office_id_office")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_monitoring_period_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_period")),
        sa.UniqueConstraint("programme_id", "year", "frequency", "seq",
                            name=op.f("uq_monitoring_period_programme_id")),
    )
    op.create_index(op.f("ix_monitoring_period_programme_id"), "monitoring_period", ["programme_id"])
    money = ("revenue", "revenue_prior", "main_revenue", "total_profit", "tax_paid", "rd_expense",
             "rd_expense_prior", "exports", "financing")
    op.create_table(
        "monitoring_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("recognition_id", sa.Integer(), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("library_key", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        *[sa.Column(name, sa.BigInteger(), nullable=True) for name in money],
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("rd_staff", sa.Integer(), nullable=True),
        sa.Column("patents", sa.Integer(), nullable=True),
        sa.Column("alerts", JSON, nullable=True),
        sa.Column("follow_up", sa.String(length=16), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["monitoring_period.id"],
                                name=op.f("fk_monitoring_report_period_id_monitoring_period")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"],
                                name=op.f("fk_monitoring_report_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["recognition_id"], ["recognition.id"],
                                name=op.f("fk_monitoring_report_recognition_id_recognition")),
        sa.ForeignKeyConstraint(["membership_id"], ["library_membership.id"],
                                name=op.f("fk_monitoring_report_membership_id_library_membership")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_monitoring_report_region_code_region")),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["user_account.id"],
                                name=op.f("fk_monitoring_report_submitted_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_report")),
        sa.UniqueConstraint("period_id", "enterprise_id", name=op.f("uq_monitoring_report_period_id")),
    )
    op.create_index(op.f("ix_monitoring_report_enterprise_id"), "monitoring_report", ["enterprise_id"])
    op.create_index("ix_monitoring_report_period_status", "monitoring_report", ["period_id", "status"])
    op.create_index("ix_monitoring_report_region_tier", "monitoring_report", ["region_code", "tier"])


def downgrade():
    op.drop_table("monitoring_report")
    op.drop_table("monitoring_period")
    op.drop_table("monitoring_programme")
