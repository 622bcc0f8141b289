"""claims to a USCC (issue 16 §8): the real company claims an enterprise registered first by someone else

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 17:22:21
"""
from alembic import op
import sqlalchemy as sa

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uscc_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('open_uscc', sa.String(length=18), nullable=True),
    sa.Column('registered_name', sa.String(length=200), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('open_username', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('licence_name', sa.String(length=120), nullable=False),
    sa.Column('licence_stored', sa.String(length=64), nullable=False),
    sa.Column('licence_type', sa.String(length=64), nullable=False),
    sa.Column('licence_size', sa.Integer(), nullable=False),
    sa.Column('licence_sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('new_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_uscc_claim_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_uscc_claim_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['new_user_id'], ['user_account.id'], name=op.f('fk_uscc_claim_new_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uscc_claim')),
    sa.UniqueConstraint('open_uscc', name=op.f('uq_uscc_claim_open_uscc')),
    sa.UniqueConstraint('open_username', name=op.f('uq_uscc_claim_open_username'))
    )
    with op.batch_alter_table('uscc_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uscc_claim_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uscc_claim_uscc'), ['uscc'], unique=False)



def downgrade():
    with op.batch_alter_table('uscc_claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uscc_claim_uscc'))
        batch_op.drop_index(batch_op.f('ix_uscc_claim_enterprise_id'))

    op.drop_table('uscc_claim')
