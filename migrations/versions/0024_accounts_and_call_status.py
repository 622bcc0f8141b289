"""accounts and organisation (issue 17 §13-14): a forced password change, an enterprise's main account, a call's
closing, enterprise names' pinyin sort key

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 19:15:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def pinyin_key(name: str) -> str:
    """app.core.text.pinyin_key as of this revision (a migration does not follow later changes of the app)."""
    import re

    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: re.findall(r"[a-z0-9]+", chars.lower()))
    return ("".join(s.ljust(6, "0") + ("0" if len(s) >= 6 else "") for s in syllables if s) + " " + name)[:800]


def upgrade():
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=800), nullable=False, server_default=""))
        batch_op.create_index("ix_enterprise_name_key", ["name_key"], unique=False)
    conn = op.get_bind()
    enterprise = sa.table("enterprise", sa.column("id", sa.Integer), sa.column("name", sa.String),
                          sa.column("name_key", sa.String))
    for row in conn.execute(sa.select(enterprise.c.id, enterprise.c.name)).all():
        conn.execute(enterprise.update().where(enterprise.c.id == row.id).values(name_key=pinyin_key(row.name)))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("is_enterprise_main", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # the first account of each enterprise (the one that registered it) is its main account
    op.execute("""
        UPDATE user_account SET is_enterprise_main = TRUE
        WHERE id IN (SELECT MIN(id) FROM user_account WHERE enterprise_id IS NOT NULL GROUP BY enterprise_id)
    """)
    with op.batch_alter_table("application_call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_application_call_closed_by", "user_account", ["closed_by_id"], ["id"])


def downgrade():
    with op.batch_alter_table("application_call", schema=None) as batch_op:
        batch_op.drop_constraint("fk_application_call_closed_by", type_="foreignkey")
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("is_enterprise_main")
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprise_name_key")
        batch_op.drop_column("name_key")
