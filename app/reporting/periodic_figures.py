"""The figures a city's periodic report carries, counted from the register and the other domains' tables
(read-only): filled in when the report opens and refreshed when it is submitted, never typed in.

- `recognitions`: register entries per tier recognized in the period (`valid_from` inside it) for enterprises
  of the city (the city itself and its counties), whatever their status since;
- `in_force`: active register entries per tier of the city's enterprises when the figures were counted;
- `applications_submitted`: applications of the city's enterprises first submitted in the period;
  `applications_in_review`: those in review when counted;
- `monitoring`: members' monitoring reports of periods ending inside the period (total, submitted, response
  rate), or None when there are none;
- `rewards_paid`: reward claims of the city's enterprises paid in the period (count and yuan).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from app.core import workdays
from app.core.vocabulary import Tier
from app.extensions import db
from app.models import Application, Enterprise, MonitoringPeriod, MonitoringReport, Recognition, Region, RewardClaim


def city_regions(region_code: str) -> Any:
    """The region and the regions directly under it (a city's counties), as a subquery of codes."""
    return db.select(Region.code).where((Region.code == region_code) | (Region.parent_code == region_code))


def _bounds(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    """The period as UTC-comparable instants: from its first day to the end of its last, China time."""
    return (datetime.combine(starts_on, time.min, tzinfo=workdays.CHINA),
            datetime.combine(ends_on, time.max, tzinfo=workdays.CHINA))


def _per_tier(rows: Any) -> dict[str, int]:
    found = {tier: number for tier, number in rows}
    return {tier: int(found.get(tier, 0)) for tier in Tier.values()}


def count(region_code: str, starts_on: date, ends_on: date) -> dict[str, Any]:
    """Every figure for the city `region_code` and the period."""
    enterprises = db.select(Enterprise.id).where(Enterprise.region_code.in_(city_regions(region_code)))
    recognized = db.session.execute(
        db.select(Recognition.tier, db.func.count()).where(
            Recognition.enterprise_id.in_(enterprises), Recognition.valid_from >= starts_on,
            Recognition.valid_from <= ends_on).group_by(Recognition.tier))
    in_force = db.session.execute(
        db.select(Recognition.tier, db.func.count()).where(
            Recognition.enterprise_id.in_(enterprises), Recognition.status == "active").group_by(Recognition.tier))
    start, end = _bounds(starts_on, ends_on)
    submitted = db.session.scalar(db.select(db.func.count()).select_from(Application).where(
        Application.enterprise_id.in_(enterprises), Application.submitted_at >= start,
        Application.submitted_at <= end)) or 0
    in_review = db.session.scalar(db.select(db.func.count()).select_from(Application).where(
        Application.enterprise_id.in_(enterprises), Application.status == "in_review")) or 0
    paid = db.session.execute(db.select(db.func.count(), db.func.coalesce(db.func.sum(RewardClaim.amount), 0)).where(
        RewardClaim.enterprise_id.in_(enterprises), RewardClaim.status == "paid", RewardClaim.paid_on >= starts_on,
        RewardClaim.paid_on <= ends_on)).one()
    return {"recognitions": _per_tier(recognized), "in_force": _per_tier(in_force),
            "applications_submitted": int(submitted), "applications_in_review": int(in_review),
            "monitoring": _monitoring(region_code, starts_on, ends_on),
            "rewards_paid": {"count": int(paid[0]), "amount": int(paid[1] or 0)}}


def _monitoring(region_code: str, starts_on: date, ends_on: date) -> dict[str, Any] | None:
    periods = db.select(MonitoringPeriod.id).where(MonitoringPeriod.ends_on >= starts_on,
                                                   MonitoringPeriod.ends_on <= ends_on)
    total, filed = db.session.execute(db.select(
        db.func.count(), db.func.count().filter(MonitoringReport.status == "submitted")).where(
        MonitoringReport.period_id.in_(periods), MonitoringReport.region_code.in_(city_regions(region_code)))).one()
    if not total:
        return None
    return {"total": int(total), "submitted": int(filed), "rate": round(filed / total, 4)}
