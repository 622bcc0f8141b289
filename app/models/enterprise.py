"""Enterprises that apply for a tier."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.text import pinyin_key
from app.core.vocabulary import Sector
from app.extensions import db
from app.models.base import UTCDateTime, utcnow

SECTORS = Sector.values()


class Enterprise(db.Model):
    __tablename__ = "enterprise"
    # the dashboards' jurisdiction and sector filters read this index alone (migration 0014)
    __table_args__ = (Index("ix_enterprise_region_sector", "region_code", "sector", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    sector: Mapped[str] = mapped_column(String(32))
    # 市属: a city-owned firm (Baishan pays its rewards to these only, 002 §三(一)); set by an office
    city_owned: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # the name in pinyin (app.core.text.pinyin_key), kept with the name: lists sort enterprises by it, as a Chinese
    # reader expects (长春… before 白山… would be wrong: bai < chang), whatever the database's collation
    name_key: Mapped[str] = mapped_column(String(800), default="", server_default="", index=True)

    region = relationship("Region")

    def summary(self) -> dict:
        return {"id": self.id, "name": self.name, "uscc": self.uscc}

    def to_dict(self) -> dict:
        return self.summary() | {"region_code": self.region_code, "sector": self.sector}


@event.listens_for(Enterprise.name, "set")
def _name_key(target: Enterprise, value: str | None, _old: object, _initiator: object) -> None:
    target.name_key = pinyin_key(value or "")
