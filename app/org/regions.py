"""Administrative regions as people read them (read-only)."""

from __future__ import annotations

from app.extensions import db
from app.models import Region


def full_name(region: Region) -> str:
    """'吉林省 白山市 浑江区': the names from the province down, without 全国."""
    names: list[str] = []
    current: Region | None = region
    while current is not None and current.level != "national":
        names.append(current.name)
        current = current.parent
    return " ".join(reversed(names))


def county_choices() -> list[tuple[str, str]]:
    """(code, full name) of every county-level division, where enterprises register."""
    counties = db.session.scalars(db.select(Region).where(Region.level == "county").order_by(Region.code))
    return [(r.code, full_name(r)) for r in counties]
