"""periodic reports (定期调度, 000 §四(三)): report schedules, their reporting offices, the offices' reports

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_schedule',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=150), nullable=False),
    sa.Column('recipient_office_id', sa.Integer(), nullable=False),
    sa.Column('frequencies', sa.String(length=40), nullable=False),
    sa.Column('clause', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recipient_office_id'], ['office.id'], name=op.f('fk_report_schedule_recipient_office_id_office')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_report_schedule'))
    )
    op.create_table('periodic_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_key', sa.String(length=40), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('achievements', sa.Text(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('methods', sa.Text(), nullable=True),
    sa.Column('policies', sa.Text(), nullable=True),
    sa.Column('figures', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('figures_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_periodic_report_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_periodic_report_office_id_office')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id'], name=op.f('fk_periodic_report_opened_by_id_user_account')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_periodic_report_region_code_region')),
    sa.ForeignKeyConstraint(['schedule_key'], ['report_schedule.key'], name=op.f('fk_periodic_report_schedule_key_report_schedule')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_periodic_report_submitted_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_report')),
    sa.UniqueConstraint('schedule_key', 'office_id', 'year', 'seq', 'frequency', name=op.f('uq_periodic_report_schedule_key'))
    )
    with op.batch_alter_table('periodic_report', schema=None) as batch_op:
        batch_op.create_index('ix_periodic_report_office_status', ['office_id', 'status'], unique=False)
        batch_op.create_index('ix_periodic_report_schedule_period', ['schedule_key', 'year', 'frequency', 'seq'], unique=False)

    op.create_table('report_schedule_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_key', sa.String(length=40), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_report_schedule_unit_office_id_office')),
    sa.ForeignKeyConstraint(['schedule_key'], ['report_schedule.key'], name=op.f('fk_report_schedule_unit_schedule_key_report_schedule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_schedule_unit')),
    sa.UniqueConstraint('schedule_key', 'office_id', name=op.f('uq_report_schedule_unit_schedule_key'))
    )


def downgrade():
    op.drop_table('report_schedule_unit')
    with op.batch_alter_table('periodic_report', schema=None) as batch_op:
        batch_op.drop_index('ix_periodic_report_schedule_period')
        batch_op.drop_index('ix_periodic_report_office_status')

    op.drop_table('periodic_report')
    op.drop_table('report_schedule')
