"""service secretaries (服务秘书, 001 §三(三)): assignments of a secretary and linked leader to an enterprise,
and the visits logged (issue 14 item 1)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 18:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('open_office_id', sa.Integer(), nullable=True),
    sa.Column('secretary_id', sa.Integer(), nullable=False),
    sa.Column('leader_name', sa.String(length=64), nullable=True),
    sa.Column('leader_post', sa.String(length=128), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_service_assignment_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user_account.id'], name=op.f('fk_service_assignment_ended_by_id_user_account')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_service_assignment_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_service_assignment_office_id_office')),
    sa.ForeignKeyConstraint(['open_office_id'], ['office.id'], name=op.f('fk_service_assignment_open_office_id_office')),
    sa.ForeignKeyConstraint(['secretary_id'], ['user_account.id'], name=op.f('fk_service_assignment_secretary_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_assignment')),
    sa.UniqueConstraint('enterprise_id', 'open_office_id', name=op.f('uq_service_assignment_enterprise_id'))
    )
    with op.batch_alter_table('service_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_assignment_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_assignment_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_assignment_secretary_id'), ['secretary_id'], unique=False)

    op.create_table('service_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitors', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['service_assignment.id'], name=op.f('fk_service_visit_assignment_id_service_assignment')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_service_visit_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_service_visit_office_id_office')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_service_visit_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_visit'))
    )
    with op.batch_alter_table('service_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_visit_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_visit_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_visit_office_id'), ['office_id'], unique=False)


def downgrade():
    with op.batch_alter_table('service_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_visit_office_id'))
        batch_op.drop_index(batch_op.f('ix_service_visit_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_service_visit_assignment_id'))
    op.drop_table('service_visit')
    with op.batch_alter_table('service_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_assignment_secretary_id'))
        batch_op.drop_index(batch_op.f('ix_service_assignment_office_id'))
        batch_op.drop_index(batch_op.f('ix_service_assignment_enterprise_id'))
    op.drop_table('service_assignment')
