"""Which office a lane resolves to for an enterprise, and who may see what."""

from __future__ import annotations

from app.extensions import db
from app.models import Application, Enterprise, HumanTask, Office, User
from app.workflow import routing

CHAIN = ("county", "city", "province", "national")
TIER_LEVEL = {"seed": "county", "city": "city", "province": "province", "national": "national"}


def office_for_lane(lane: str | None, enterprise: Enterprise) -> Office | None:
    """The office that works `lane` for this enterprise (routing rules); None for the enterprise's own lane."""
    return routing.office_for_lane(lane, enterprise.region, enterprise.sector)


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
    # experts see an application only through their own panel task (app/recognition/experts.py): blind review
    return False
