"""Calls for applications (申报批次): a tier opens in a jurisdiction for a window of dates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import JSONType, UTCDateTime, utcnow


class Call(db.Model):
    __tablename__ = "application_call"
    __table_args__ = (Index("ix_application_call_tier_region", "tier", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    step_deadlines: Mapped[dict] = mapped_column(JSONType, default=dict)  # step → working days
    spot_check_share: Mapped[float] = mapped_column(Float, default=0.1, server_default="0.1")
    spot_check_seed: Mapped[str] = mapped_column(String(32), default="", server_default="")  # recorded draw seed
    # The rule set this call's applications are judged by (004: 以年度申报通知为准); None: the one in force.
    rule_set_key: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # closed early by its office or an administrator: no submissions from then on, whatever the window says
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", name="fk_application_call_closed_by"))

    region = relationship("Region")

    def status(self, on: date) -> str:
        """upcoming, open or closed on `on` (closed early, or past its window)."""
        if self.closed_at is not None or on > self.closes_on:
            return "closed"
        return "upcoming" if on < self.opens_on else "open"

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "tier": self.tier, "region_code": self.region_code,
                "opens_on": self.opens_on.isoformat(), "closes_on": self.closes_on.isoformat(),
                "step_deadlines": self.step_deadlines or {}, "spot_check_share": self.spot_check_share,
                "spot_check_seed": self.spot_check_seed, "rule_set": self.rule_set_key,
                "closed_at": self.closed_at.isoformat() if self.closed_at else None}
