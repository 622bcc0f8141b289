"""Which office a lane resolves to for an enterprise, and who may see what."""

from __future__ import annotations

from app.extensions import db
from app.models import Application, Enterprise, HumanTask, Office, Region, User

NATIONAL_REGION = "100000"
CHAIN = ("county", "city", "province", "national")
TIER_LEVEL = {"seed": "county", "city": "city", "province": "province", "national": "national"}


def _office_at(region: Region | None, sector: str | None = None) -> Office | None:
    """The region's office for `sector` if it has one, else its general office."""
    if region is None:
        return None
    offices = {office.sector: office for office in region.offices}
    return offices.get(sector) or offices.get(None)


def office_for_lane(lane: str | None, enterprise: Enterprise) -> Office | None:
    """The office that works `lane` for this enterprise; None for the enterprise's own lane."""
    if lane in (None, "enterprise"):
        return None
    region = enterprise.region
    if lane == "national":
        return _office_at(db.session.get(Region, NATIONAL_REGION))
    if lane in ("province", "expert", "service_team"):
        # expert panels and the sector service teams are organised by the province (001 §三(二))
        return _office_at(region.ancestor("province"), enterprise.sector)
    if lane in ("city", "county"):
        return _office_at(region.ancestor(lane))
    return None


def chain_offices(application: Application) -> list[Office]:
    """The offices that review this application, county up to the office of its target tier."""
    last = CHAIN.index(TIER_LEVEL[application.target_tier])
    offices = [office_for_lane(lane, application.enterprise) for lane in CHAIN[: last + 1]]
    return [o for o in offices if o is not None]


def can_view(user: User, application: Application) -> bool:
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.enterprise_id == application.enterprise_id
    if user.role == "reviewer" and user.office_id is not None:
        if application.submitted_at is None:
            return False  # a draft that was never submitted is the enterprise's own business
        if any(o.id == user.office_id for o in chain_offices(application)):
            return True
        # an office that held a task keeps seeing the file (e.g. after a reassignment)
        return db.session.scalar(db.select(HumanTask.id).where(
            HumanTask.application_id == application.id, HumanTask.office_id == user.office_id).limit(1)) is not None
    # experts see an application only through their own panel task (services/experts.py): blind review
    return False
