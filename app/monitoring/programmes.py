"""Monitoring programmes (运行监测) as data (workflows/monitoring.json): one per jurisdiction that asks for one
— Jilin 001 §二(一)7, Baishan 002 §三(一), Jinhu 004 §三(一)3 (Jincheng's 003 asks for none) — and which
members each covers.

Who covers whom (one report per enterprise per period, never two): a member belongs to the programme of
the jurisdiction that recognized its highest live tier, or the nearest programme above it (a library
member: the library's jurisdiction). So a Baishan firm holding the provincial tier files to Jilin's
programme, a Baishan city-tier firm to Baishan's, a Jinhu library member to Jinhu's. A tier recognized above
every programme (the national tier) belongs to the broadest programme over the enterprise's region (the
province's platform, 001 §二(一)7)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.core.errors import NotFound
from app.core.vocabulary import MembershipStatus, Tier
from app.extensions import db
from app.lifecycle import register
from app.models import Enterprise, Library, LibraryMembership, MonitoringProgramme, Office, Recognition, Region, User

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "monitoring.json"
TIER_ORDER = {tier: index for index, tier in enumerate(Tier.values())}


def ensure_shipped() -> int:
    """Store the shipped programmes whose region and office exist (idempotent); how many were added."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    added = 0
    for item in data["programmes"]:
        office = db.session.scalar(db.select(Office).where(Office.code == item["office_code"]))
        known = db.session.scalar(db.select(MonitoringProgramme.id).where(
            MonitoringProgramme.region_code == item["region_code"]))
        if known is None and office is not None and db.session.get(Region, item["region_code"]) is not None:
            db.session.add(MonitoringProgramme(region_code=item["region_code"], office_id=office.id,
                                               frequency=item.get("frequency", "quarterly"),
                                               due_working_days=item.get("due_working_days", 15),
                                               clause=item.get("clause"), active=True))
            added += 1
    db.session.flush()
    return added


def prefix(programme: MonitoringProgramme) -> str:
    return register.region_prefix(programme.region)


def active_programmes() -> list[MonitoringProgramme]:
    return list(db.session.scalars(db.select(MonitoringProgramme).where(MonitoringProgramme.active.is_(True))
                                   .order_by(MonitoringProgramme.region_code)))


def covering(enterprise_region: str, anchor_region: str,
             programmes: list[MonitoringProgramme] | None = None) -> MonitoringProgramme | None:
    """The one programme a member files to (see the module's docstring)."""
    over = [p for p in programmes if enterprise_region.startswith(prefix(p))] if programmes is not None else [
        p for p in active_programmes() if enterprise_region.startswith(prefix(p))]
    if not over:
        return None
    at_or_above = [p for p in over if anchor_region.startswith(prefix(p))]
    if at_or_above:
        return max(at_or_above, key=lambda p: len(prefix(p)))
    return min(over, key=lambda p: len(prefix(p)))


@dataclass
class Member:
    """What a period copies onto a member's report: the enterprise, its highest live entry, its library."""

    enterprise: Enterprise
    recognition: Recognition | None = None
    membership: LibraryMembership | None = None

    @property
    def anchor(self) -> str:
        if self.recognition is not None:
            return self.recognition.region_code
        return self.membership.library.region_code if self.membership is not None else self.enterprise.region_code


def members(programme: MonitoringProgramme) -> list[Member]:
    """Every enterprise the programme covers: live recognitions and active library members of its region that
    belong to it rather than to another programme, by enterprise id."""
    found: dict[int, Member] = {}
    inside = db.select(Enterprise.id).where(Enterprise.region_code.startswith(prefix(programme)))
    for entry in db.session.scalars(db.select(Recognition).where(
            Recognition.status.in_(register.LIVE), Recognition.enterprise_id.in_(inside)).order_by(Recognition.id)):
        member = found.setdefault(entry.enterprise_id, Member(entry.enterprise))
        if member.recognition is None or TIER_ORDER[entry.tier] > TIER_ORDER[member.recognition.tier]:
            member.recognition = entry
    for row in db.session.scalars(db.select(LibraryMembership).join(Library).where(
            LibraryMembership.status == MembershipStatus.ACTIVE.value, LibraryMembership.enterprise_id.in_(inside))
            .order_by(LibraryMembership.id)):
        member = found.setdefault(row.enterprise_id, Member(row.enterprise))
        member.membership = member.membership or row
    programmes = active_programmes()
    return [m for _id, m in sorted(found.items())
            if (p := covering(m.enterprise.region_code, m.anchor, programmes)) is not None and p.id == programme.id]


# --- who sees a programme -----------------------------------------------------------------------------

def user_prefix(user: User) -> str | None:
    """The region-code prefix of the user's jurisdiction ("" for the admin; None: no jurisdiction)."""
    if user.role == "admin":
        return ""
    if user.role in ("reviewer", "reporter") and user.office is not None:
        return register.region_prefix(user.office.region)
    if user.role == "leader" and user.region_code:
        region = db.session.get(Region, user.region_code)
        return register.region_prefix(region) if region else user.region_code
    return None


def sector_of(user: User) -> str | None:
    """A sector department reads its own sector's reports only (like its dashboard: app/reporting/scope.py)."""
    return user.office.sector if user.role in ("reviewer", "reporter") and user.office is not None else None


def visible_to(user: User) -> list[MonitoringProgramme]:
    """Programmes of the user's jurisdiction and below, and those above it (an office below a programme sees
    its own part of the programme's periods); [] for an enterprise or an expert."""
    mine = user_prefix(user)
    if mine is None:
        return []
    return [p for p in active_programmes() if p.region_code.startswith(mine) or mine.startswith(prefix(p))]


def scope(user: User, programme: MonitoringProgramme) -> str:
    """The part of a programme's reports the user reads: all of them ("") for its office's level and above,
    the user's own jurisdiction (a code prefix) for an office below."""
    mine = user_prefix(user) or ""
    return "" if prefix(programme).startswith(mine) else mine


def runs(user: User, programme: MonitoringProgramme) -> bool:
    """The user works for the programme's office (opens its periods)."""
    return user.role == "reviewer" and user.office_id == programme.office_id


def get(programme_id: Any) -> MonitoringProgramme:
    programme = db.session.get(MonitoringProgramme, programme_id) if isinstance(programme_id, int) else None
    if programme is None:
        raise NotFound(_("Monitoring programme not found."))
    return programme


def to_dict(programme: MonitoringProgramme) -> dict[str, Any]:
    return {"id": programme.id, "region_code": programme.region_code, "region": programme.region.name,
            "office": programme.office.to_dict(), "frequency": programme.frequency,
            "due_working_days": programme.due_working_days, "clause": programme.clause, "active": programme.active}
