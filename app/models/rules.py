"""Rule sets: which DMN judges a tier, where (the jurisdiction that issued it), from when to when, and how far
it can be trusted (`verified` against a text, or `provisional` — applied only once an admin activates it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

STATUSES = ("verified", "provisional")


class RuleSet(db.Model):
    __tablename__ = "rule_set"
    __table_args__ = (Index("ix_rule_set_tier_region", "tier", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # also the key of its DMN definition
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))  # the jurisdiction that issued it
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)  # last day in force; None: open-ended
    status: Mapped[str] = mapped_column(String(16), default="verified", server_default="verified")
    source: Mapped[str | None] = mapped_column(Text)  # document and clause
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")  # provisional: admin's choice
    fallback: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # stands in elsewhere

    region = relationship("Region")

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def summary(self) -> dict:
        return {"id": self.key, "name": self.name, "jurisdiction": self.region_code,
                "effective_from": self.effective_from.isoformat(),
                "effective_to": self.effective_to.isoformat() if self.effective_to else None,
                "status": self.status, "source": self.source, "active": self.active}
