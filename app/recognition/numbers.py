"""Application numbers clerks can quote: `2026-320831-0007` = year, county code, sequence.

Decided (issue 17 item 6): the number is given at the application's **first submission**, not at creation,
so drafts never submitted (and deleted) leave no gaps and every number is one an office has seen. The
year is the China date of the submission; the region is the enterprise's region code (a county, as
enterprises register); the sequence counts per region and year, from 1, in one atomic upsert on
`application_number_sequence` (safe under concurrent submissions on PostgreSQL and SQLite). A resubmission
keeps the number. Migration 0023 numbered the applications submitted before, in submission order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.core import workdays
from app.extensions import db
from app.models import Application, ApplicationNumberSequence


def _next(region_code: str, year: int) -> int:
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = ApplicationNumberSequence.__table__
    statement = (insert(table).values(region_code=region_code, year=year, last=1)
                 .on_conflict_do_update(index_elements=[table.c.region_code, table.c.year],
                                        set_={"last": table.c.last + 1})
                 .returning(table.c.last))
    return int(db.session.execute(statement).scalar_one())


def assign(application: Application, when: datetime) -> str:
    """Give the application its number (once; an application that has one keeps it)."""
    if application.number:
        return application.number
    year = workdays.china_date(when).year
    region_code = application.enterprise.region_code
    application.number = f"{year}-{region_code}-{_next(region_code, year):04d}"
    return application.number


def label(application: Application) -> str:
    """What people see for an application: its number, or `#id` for a draft that has none yet."""
    return application.number or f"#{application.id}"
