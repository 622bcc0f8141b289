"""Rule sets: which DMN judges a tier, where (jurisdiction) and from when."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class RuleSet(db.Model):
    __tablename__ = "rule_set"
    __table_args__ = (Index("ix_rule_set_tier_region", "tier", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # also the key of its DMN definition
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    effective_from: Mapped[date] = mapped_column(Date)

    region = relationship("Region")

    def summary(self) -> dict:
        return {"id": self.key, "name": self.name, "jurisdiction": self.region_code,
                "effective_from": self.effective_from.isoformat()}
