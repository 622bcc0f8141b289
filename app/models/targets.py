"""Targets (发展目标) of a jurisdiction per metric and year, shipped from the seeds (workflows/targets.json)
with the clause each comes from, editable by the admin. Progress is never stored: app/reporting/targets.py
computes it from the register and the monitoring data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class Target(db.Model):
    """One number to reach: `value` (or the range `value`–`value_max`, Jinhu's 1–2 / 2–5 / 8–15) of `metric`
    in `region_code` by the end of `year` — the stock by then (`basis` stock), the new ones in that year
    (`new`) or a level to hold (`level`, ratios in per cent); `base_year` starts the pro-rata expectation."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("region_code", "metric", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    metric: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(8), default="stock")  # stock, new, level
    base_year: Mapped[int | None] = mapped_column(Integer)  # the plan's first year (pro-rata from its 1 January)
    value: Mapped[int] = mapped_column(BigInteger)
    value_max: Mapped[int | None] = mapped_column(BigInteger)
    clause: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    region = relationship("Region")
    updated_by = relationship("User")
