"""process instances have subjects; step kinds; process bindings and routing rules

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:30:00

Every existing instance is about an application and runs the recognition process. Open inbox rows take
the kind their step had in the shipped recognition process (version 1 declared none): the enterprise's
lane is an amendment, a task for one expert is an expert score, the on-site check and the objection
review have their own forms, every other task is a decision. Each provincial sector office becomes a
routing rule for the `province` lane (before, only provincial reviews went to sector offices; county and city
lanes went to the general office, and expert tasks go to the drawn experts themselves), so routing stays
what it was for every lane a shipped process uses.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "process_binding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process", sa.String(length=32), nullable=False),
        sa.Column("definition_key", sa.String(length=64), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("sector", sa.String(length=32), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process_binding")),
    )
    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lane", sa.String(length=32), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("sector", sa.String(length=32), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_routing_rule_office_id_office")),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_routing_rule_region_code_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule")),
    )
    with op.batch_alter_table("routing_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_rule_region_code"), ["region_code"], unique=False)

    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("process", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("subject_type", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
    op.execute("UPDATE process_instance SET process = 'recognition', subject_type = 'application', "
               "subject_id = application_id")
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.drop_constraint("uq_process_instance_application_id", type_="unique")
        batch_op.drop_constraint("fk_process_instance_application_id_application", type_="foreignkey")
        batch_op.drop_column("application_id")
        batch_op.alter_column("process", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("subject_type", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("subject_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index("ix_process_instance_subject", ["subject_type", "subject_id", "process"], unique=False)
    live = sa.text("status <> 'completed'")
    op.create_index("uq_process_instance_live_subject", "process_instance", ["subject_type", "subject_id", "process"],
                    unique=True, postgresql_where=live, sqlite_where=live)

    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_type", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("actions", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))
    op.execute("UPDATE human_task SET subject_type = 'application', subject_id = application_id, kind = CASE "
               "WHEN lane = 'enterprise' THEN 'amendment' WHEN assignee_id IS NOT NULL THEN 'expert_score' "
               "WHEN step = 'spot_check' THEN 'spot_check' WHEN step = 'objection_review' THEN 'objections' "
               "ELSE 'decision' END")
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.alter_column("subject_type", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("subject_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("kind", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE process_timer SET kind = 'notice_period' WHERE step = 'public_notice' AND kind = 'timer'")
    with op.batch_alter_table("process_timer", schema=None) as batch_op:
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=True)

    op.execute("INSERT INTO routing_rule (lane, region_code, sector, office_id, created_at) "
               "SELECT 'province', office.region_code, office.sector, office.id, CURRENT_TIMESTAMP "
               "FROM office JOIN region ON region.code = office.region_code "
               "WHERE office.sector IS NOT NULL AND region.level = 'province'")


def downgrade():
    with op.batch_alter_table("process_timer", schema=None) as batch_op:
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
    op.execute("DELETE FROM human_task WHERE application_id IS NULL")
    with op.batch_alter_table("human_task", schema=None) as batch_op:
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("actions")
        batch_op.drop_column("kind")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("subject_type")
    op.drop_index("uq_process_instance_live_subject", table_name="process_instance")
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
    op.execute("UPDATE process_instance SET application_id = subject_id WHERE subject_type = 'application'")
    with op.batch_alter_table("process_instance", schema=None) as batch_op:
        batch_op.drop_index("ix_process_instance_subject")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("subject_type")
        batch_op.drop_column("process")
        batch_op.create_unique_constraint("uq_process_instance_application_id", ["application_id"])
        batch_op.create_foreign_key("fk_process_instance_application_id_application", "application",
                                    ["application_id"], ["id"])
    with op.batch_alter_table("routing_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_rule_region_code"))
    op.drop_table("routing_rule")
    op.drop_table("process_binding")
