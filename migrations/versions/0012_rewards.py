"""rewards: funds, reward policies, claims and the ledger; enterprises may be city-owned (市属)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 15:30:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city_owned", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_fund_region_code_region")),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"], name=op.f("fk_fund_office_id_office")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund")),
        sa.UniqueConstraint("key", name=op.f("uq_fund_key")),
    )
    op.create_table(
        "reward_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("trigger", sa.String(length=32), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("match_policy_key", sa.String(length=60), nullable=True),
        sa.Column("match_percent", sa.Integer(), nullable=True),
        sa.Column("cap", sa.BigInteger(), nullable=True),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("first_time_only", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("stacks", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("fund_key", sa.String(length=40), nullable=False),
        sa.Column("clause", sa.String(length=300), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("effective_until", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"], name=op.f("fk_reward_policy_region_code_region")),
        sa.ForeignKeyConstraint(["fund_key"], ["fund.key"], name=op.f("fk_reward_policy_fund_key_fund")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_policy")),
        sa.UniqueConstraint("key", name=op.f("uq_reward_policy_key")),
    )
    op.create_table(
        "reward_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.String(length=60), nullable=False),
        sa.Column("recognition_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("basis", JSON, nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("voucher_no", sa.String(length=60), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lock_version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["reward_policy.id"], name=op.f("fk_reward_claim_policy_id_reward_policy")),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"], name=op.f("fk_reward_claim_enterprise_id_enterprise")),
        sa.ForeignKeyConstraint(["recognition_id"], ["recognition.id"],
                                name=op.f("fk_reward_claim_recognition_id_recognition")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_claim")),
        sa.UniqueConstraint("policy_id", "enterprise_id", "occurrence",
                            name=op.f("uq_reward_claim_policy_id")),
    )
    with op.batch_alter_table("reward_claim", schema=None) as batch_op:
        batch_op.create_index("ix_reward_claim_status", ["status", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reward_claim_enterprise_id"), ["enterprise_id"], unique=False)
    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("account", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"], name=op.f("fk_ledger_entry_fund_id_fund")),
        sa.ForeignKeyConstraint(["claim_id"], ["reward_claim.id"], name=op.f("fk_ledger_entry_claim_id_reward_claim")),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_ledger_entry_actor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_entry_fund_account", ["fund_id", "account"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_entry_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index("uq_ledger_entry_one_payment", ["claim_id"], unique=True,
                              postgresql_where=sa.text("kind = 'payment'"), sqlite_where=sa.text("kind = 'payment'"))


def downgrade():
    op.drop_table("ledger_entry")
    op.drop_table("reward_claim")
    op.drop_table("reward_policy")
    op.drop_table("fund")
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.drop_column("city_owned")
