"""Administrative regions (GB/T 2260) and the offices that review in them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

LEVELS = ("national", "province", "city", "county")


class Region(db.Model):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)

    # ancestors come with the region in one query (county → city → province → national)
    parent: Mapped[Region | None] = relationship(remote_side=[code], lazy="joined", join_depth=3)

    offices: Mapped[list[Office]] = relationship(viewonly=True, order_by="Office.id")

    def ancestor(self, level: str) -> Region | None:
        """This region or the ancestor at `level` (national, province, city, county)."""
        region: Region | None = self
        while region is not None and region.level != level:
            region = region.parent
        return region

    def lineage(self) -> list[str]:
        """This region's code and its ancestors', nearest first (county → city → province → national)."""
        codes, region = [], self
        while region is not None:
            codes.append(region.code)
            region = region.parent
        return codes

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


class Office(db.Model):
    __tablename__ = "office"
    __table_args__ = (UniqueConstraint("region_code", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    sector: Mapped[str | None] = mapped_column(String(32))

    region: Mapped[Region] = relationship()

    def to_dict(self) -> dict:
        return self.dict_of(self.code, self.name, self.region_code)

    @staticmethod
    def dict_of(code: str | None, name: str | None, region_code: str | None) -> dict | None:
        """An office as the API shows it, from its columns (None without one: an outer join found nothing)."""
        return {"code": code, "name": name, "region_code": region_code} if code is not None else None

    def __repr__(self) -> str:
        return f"<Office {self.code}>"
