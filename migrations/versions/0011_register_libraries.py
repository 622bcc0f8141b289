"""after recognition: the register, libraries, re-verification campaigns, lifecycle cases and their evidence
documents; the ladder on process bindings; audit entries about any subject

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 14:10:00

Applications recognized before this revision have no register entry; `flask deploy-shipped --migrate`
does not invent certificate numbers for them (`flask register-backfill` writes them, see README).
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# an attachment belongs to an application or to a lifecycle case (app/models/workbench.py ONE_SUBJECT)
ONE_SUBJECT = ("(application_id IS NOT NULL AND case_id IS NULL) OR "
               "(application_id IS NULL AND case_id IS NOT NULL)")


def upgrade():
    op.create_table(
        "library",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=150), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("clause", sa.String(length=200), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_library_region_code_region")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_library")),
    )
    op.create_table(
        "recognition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("rule_set", sa.String(length=64), nullable=True),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("certificate_no", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("valid_years", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("exit_reason", sa.Text(), nullable=True),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], name=op.f("fk_recognition_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_recognition_office_id_office")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_recognition_region_code_region")),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"],
                                name=op.f("fk_recognition_application_id_application")),
        sa.ForeignKeyConstraint(["call_id"], ["application_call.id"],
                                name=op.f("fk_recognition_call_id_application_call")),
        sa.ForeignKeyConstraint(["previous_id"], ["recognition.id"],
                                name=op.f("fk_recognition_previous_id_recognition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition")),
        sa.UniqueConstraint("application_id", name=op.f("uq_recognition_application_id")),
        sa.UniqueConstraint("certificate_no", name=op.f("uq_recognition_certificate_no")),
    )
    with op.batch_alter_table("recognition", schema=None) as batch_op:
        batch_op.create_index("ix_recognition_enterprise_status", ["enterprise_id", "status"], unique=False)
        batch_op.create_index("ix_recognition_tier_region_status", ["tier", "region_code", "status"], unique=False)
        batch_op.create_index("ix_recognition_status_valid_until", ["status", "valid_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_recognition_call_id"), ["call_id"], unique=False)
    op.create_table(
        "library_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("library_key", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("exit_reason", sa.Text(), nullable=True),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["library_key"], ["library.key"], name=op.f("fk_library_membership_library_key_library")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"],
                                name=op.f("fk_library_membership_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"],
                                name=op.f("fk_library_membership_application_id_application")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_membership")),
    )
    with op.batch_alter_table("library_membership", schema=None) as batch_op:
        batch_op.create_index("ix_library_membership_library_status", ["library_key", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_membership_enterprise_id"), ["enterprise_id"], unique=False)
    op.create_table(
        "reverification_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("library_key", sa.String(length=40), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_reverification_campaign_office_id_office")),
        sa.ForeignKeyConstraint(["library_key"], ["library.key"],
                                name=op.f("fk_reverification_campaign_library_key_library")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_reverification_campaign_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reverification_campaign")),
    )
    with op.batch_alter_table("reverification_campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reverification_campaign_office_id"), ["office_id"], unique=False)
    op.create_table(
        "lifecycle_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("recognition_id", sa.Integer(), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("data", JSON, nullable=True),
        sa.Column("evaluation", JSON, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("missed", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], name=op.f("fk_lifecycle_case_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["recognition_id"], ["recognition.id"],
                                name=op.f("fk_lifecycle_case_recognition_id_recognition")),
        sa.ForeignKeyConstraint(["membership_id"], ["library_membership.id"],
                                name=op.f("fk_lifecycle_case_membership_id_library_membership")),
        sa.ForeignKeyConstraint(["campaign_id"], ["reverification_campaign.id"],
                                name=op.f("fk_lifecycle_case_campaign_id_reverification_campaign")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_lifecycle_case_office_id_office")),
        sa.ForeignKeyConstraint(["opened_by_id"], ["user_account.id"],
                                name=op.f("fk_lifecycle_case_opened_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lifecycle_case")),
    )
    with op.batch_alter_table("lifecycle_case", schema=None) as batch_op:
        batch_op.create_index("ix_lifecycle_case_recognition", ["recognition_id", "kind", "status"], unique=False)
        batch_op.create_index("ix_lifecycle_case_campaign", ["campaign_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_lifecycle_case_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lifecycle_case_membership_id"), ["membership_id"], unique=False)
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f("fk_attachment_case_id_lifecycle_case"), "lifecycle_case",
                                    ["case_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_attachment_case_id"), ["case_id"], unique=False)
        batch_op.create_check_constraint(batch_op.f("ck_attachment_one_subject"), ONE_SUBJECT)
    with op.batch_alter_table("process_binding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requires_tier", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("requires_library", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("clause", sa.String(length=200), nullable=True))
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_type", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_audit_event_subject_at", ["subject_type", "subject_id", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_subject_at")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("subject_type")
    with op.batch_alter_table("process_binding", schema=None) as batch_op:
        batch_op.drop_column("clause")
        batch_op.drop_column("requires_library")
        batch_op.drop_column("requires_tier")
    # a case's documents go with the cases (their files stay in UPLOAD_DIR, unreferenced)
    op.execute("DELETE FROM attachment WHERE case_id IS NOT NULL")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_attachment_one_subject"), type_="check")
        batch_op.drop_index(batch_op.f("ix_attachment_case_id"))
        batch_op.drop_constraint(batch_op.f("fk_attachment_case_id_lifecycle_case"), type_="foreignkey")
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("case_id")
    op.drop_table("lifecycle_case")
    op.drop_table("reverification_campaign")
    op.drop_table("library_membership")
    op.drop_table("recognition")
    op.drop_table("library")
