"""application numbers clerks can quote (issue 17 item 6): application.number (year-county-sequence, e.g.
2026-320831-0007, unique, set at first submission) and the per-county, per-year sequence; applications
submitted before get their numbers in submission order

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 19:15:00
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_number_sequence",
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "year", name=op.f("pk_application_number_sequence")),
    )
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("number", sa.String(length=24), nullable=True))
        batch.create_unique_constraint(batch.f("uq_application_number"), ["number"])
    _backfill()


def _backfill():
    """Number the applications submitted so far, per county and (China) year in submission order."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT a.id, a.submitted_at, e.region_code FROM application a JOIN enterprise e ON e.id = a.enterprise_id "
        "WHERE a.submitted_at IS NOT NULL ORDER BY a.submitted_at, a.id")).all()
    last: dict[tuple[str, int], int] = {}
    for app_id, submitted_at, region_code in rows:
        if isinstance(submitted_at, str):  # SQLite hands back text
            submitted_at = datetime.fromisoformat(submitted_at)
        year = (submitted_at.replace(tzinfo=None) + timedelta(hours=8)).year  # stored in UTC; China's year
        key = (region_code, year)
        last[key] = last.get(key, 0) + 1
        bind.execute(sa.text("UPDATE application SET number = :n WHERE id = :id"),
                     {"n": f"{year}-{region_code}-{last[key]:04d}", "id": app_id})
    for (region_code, year), value in last.items():
        bind.execute(sa.text("INSERT INTO application_number_sequence (region_code, year, last) "
                             "VALUES (:r, :y, :v)"), {"r": region_code, "y": year, "v": value})


def downgrade():
    with op.batch_alter_table("application") as batch:
        batch.drop_constraint(batch.f("uq_application_number"), type_="unique")
        batch.drop_column("number")
    op.drop_table("application_number_sequence")
