"""Visits (走访) to served enterprises: the secretary — or its office — logs the day, who went, notes, the problems
raised and when the next visit is due (挂钩服务 004 §四(二): "广泛开展走访企业、纾困解惑"; 服务秘书 001 §三(三):
"全过程跟踪…及时掌握情况"). The secretary workbench lists its firms with their last visit, the next one due and
an overdue mark.

The seeds set no visit frequency: a firm never visited since it was assigned is due FIRST_VISIT_DAYS after the
assignment starts (our default); afterwards the next due day is what the last visit wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Forbidden, Invalid
from app.extensions import db
from app.lifecycle import names
from app.models import Enterprise, Recognition, ServiceAssignment, ServiceVisit, User
from app.services_desk import assignments
from app.services_desk.assignments import ACTIVE

FIRST_VISIT_DAYS = 30
DUE_SOON_DAYS = 14  # "visits due": overdue ones and those due within two weeks
VISITORS_MAX, NOTES_MAX = 200, 4000
TIER_ORDER = ("national", "province", "city", "seed")


def _text(data: dict[str, Any], field: str, limit: int, errors: dict[str, str], *, required: bool) -> str | None:
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        errors[field] = _("Enter text.")
        return None
    value = (value or "").strip()
    if required and not value:
        errors[field] = {"visitors": _("Say who went on the visit."),
                         "notes": _("Write what was discussed.")}.get(field, _("Required."))
    elif len(value) > limit:
        errors[field] = _("At most %(n)s characters.", n=limit)
    return value or None


def _day(data: dict[str, Any], field: str, errors: dict[str, str]) -> date | None:
    value = data.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        pass
    errors[field] = _("Enter a date as YYYY-MM-DD.")
    return None


def log(user: User, enterprise_id: Any, data: dict[str, Any]) -> ServiceVisit:
    """Log a visit: `{"visited_on", "visitors", "notes", "problems", "next_due_on"}`. A secretary logs for a firm
    it serves (its assignment's office), an office's reviewer for a firm of its jurisdiction."""
    if user.role not in ("secretary", "reviewer") or user.office is None:
        raise Forbidden(_("Only a service secretary or the staff of an office can log a visit."))
    enterprise = assignments.enterprise_for(user, enterprise_id)
    assignment = assignments.serves(user, enterprise.id) if user.role == "secretary" \
        else assignments.current_for_office(enterprise.id, user.office_id)
    office_id = assignment.office_id if assignment is not None and user.role == "secretary" else user.office_id
    errors: dict[str, str] = {}
    today = workdays.china_date()
    visited_on = _day(data, "visited_on", errors)
    if visited_on is None and "visited_on" not in errors:
        errors["visited_on"] = _("Enter the day of the visit.")
    elif visited_on is not None and visited_on > today:
        errors["visited_on"] = _("The visit cannot be in the future.")
    visitors = _text(data, "visitors", VISITORS_MAX, errors, required=True)
    notes = _text(data, "notes", NOTES_MAX, errors, required=True)
    problems = _text(data, "problems", NOTES_MAX, errors, required=False)
    next_due_on = _day(data, "next_due_on", errors)
    if next_due_on is not None and visited_on is not None and next_due_on <= visited_on \
            and "visited_on" not in errors:
        errors["next_due_on"] = _("The next visit must come after this one.")
    if errors:
        raise Invalid(_("The visit was not saved; see the marked fields."), fields=errors)
    visit = ServiceVisit(enterprise_id=enterprise.id, office_id=office_id,
                         assignment_id=assignment.id if assignment is not None else None, recorded_by_id=user.id,
                         visited_on=visited_on, visitors=visitors, notes=notes, problems=problems,
                         next_due_on=next_due_on)
    db.session.add(visit)
    db.session.flush()
    audit.record("visit_logged", actor=user, office_id=office_id, subject=("service_visit", visit.id),
                 details={"enterprise_id": enterprise.id, "visited_on": visited_on.isoformat()})
    return visit


def of_enterprise(enterprise_id: int) -> list[ServiceVisit]:
    """The enterprise's visits, latest first."""
    return list(db.session.scalars(db.select(ServiceVisit).where(ServiceVisit.enterprise_id == enterprise_id)
                                   .order_by(ServiceVisit.visited_on.desc(), ServiceVisit.id.desc())))


def list_for(user: User, enterprise_id: Any) -> list[ServiceVisit]:
    return of_enterprise(assignments.enterprise_for(user, enterprise_id).id)


def to_dict(visit: ServiceVisit) -> dict[str, Any]:
    recorder = visit.recorded_by
    return {"id": visit.id, "enterprise_id": visit.enterprise_id, "office": visit.office.to_dict(),
            "assignment_id": visit.assignment_id, "visited_on": visit.visited_on.isoformat(),
            "visitors": visit.visitors, "notes": visit.notes, "problems": visit.problems,
            "next_due_on": visit.next_due_on.isoformat() if visit.next_due_on else None,
            "recorded_by": recorder.display_name or recorder.username, "created_at": visit.created_at.isoformat()}


# --- the secretary workbench ---------------------------------------------------------------------------

@dataclass
class Firm:
    """One firm a secretary serves, as its workbench lists it."""

    assignment: ServiceAssignment
    enterprise: Enterprise
    tier: str | None  # the highest tier held (active recognition)
    last_visit: ServiceVisit | None
    next_due: date | None
    overdue: bool
    problems: list[Any]


def _tiers(enterprise_ids: list[int]) -> dict[int, str]:
    held: dict[int, str] = {}
    if not enterprise_ids:
        return held
    for entry in db.session.scalars(db.select(Recognition).where(
            Recognition.enterprise_id.in_(enterprise_ids), Recognition.status == "active")):
        current = held.get(entry.enterprise_id)
        if current is None or TIER_ORDER.index(entry.tier) < TIER_ORDER.index(current):
            held[entry.enterprise_id] = entry.tier
    return held


def _latest(assignment: ServiceAssignment) -> ServiceVisit | None:
    """The latest visit of the assignment's office to its firm."""
    return db.session.scalar(db.select(ServiceVisit).where(
        ServiceVisit.enterprise_id == assignment.enterprise_id, ServiceVisit.office_id == assignment.office_id)
        .order_by(ServiceVisit.visited_on.desc(), ServiceVisit.id.desc()).limit(1))


def schedule(assignment: ServiceAssignment, today: date | None = None) -> tuple[ServiceVisit | None, date | None,
                                                                               bool]:
    """(last visit, next visit due, overdue) of an assignment; an ended one is never overdue."""
    today = today or workdays.china_date()
    last = _latest(assignment)
    if last is not None and last.visited_on >= assignment.starts_on:
        due = last.next_due_on
    else:
        due = assignment.starts_on + timedelta(days=FIRST_VISIT_DAYS)
    if assignment.status != ACTIVE:
        return last, None, False
    return last, due, due is not None and due < today


def firms(user: User, today: date | None = None) -> list[Firm]:
    """The firms the secretary actively serves, most urgent first (overdue, then by next due day)."""
    if user.role != "secretary":
        raise Forbidden(_("Only a service secretary has a workbench of firms."))
    today = today or workdays.china_date()
    rows = list(db.session.scalars(db.select(ServiceAssignment).where(
        ServiceAssignment.secretary_id == user.id, ServiceAssignment.status == ACTIVE)))
    tiers = _tiers([a.enterprise_id for a in rows])
    result = []
    for assignment in rows:
        last, due, overdue = schedule(assignment, today)
        result.append(Firm(assignment, assignment.enterprise, tiers.get(assignment.enterprise_id), last, due,
                           overdue, assignments.open_problems(assignment.enterprise_id)))
    return sorted(result, key=lambda f: (f.next_due is None, f.next_due or date.max, f.enterprise.name_key))


def due(user: User, today: date | None = None) -> list[Firm]:
    """Visits due: the secretary's firms overdue or due within DUE_SOON_DAYS."""
    today = today or workdays.china_date()
    return [f for f in firms(user, today) if f.next_due is not None and f.next_due <= today + timedelta(
        days=DUE_SOON_DAYS)]


def tier_label(firm: Firm) -> str | None:
    """The tier held, as the firm's jurisdiction names it."""
    return names.tier_label(firm.tier, firm.enterprise.region) if firm.tier else None
