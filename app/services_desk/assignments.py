"""Service secretaries (服务秘书): an office assigns a secretary of its own, and optionally a linked leader, to an
enterprise of its jurisdiction, "按照企业属地化原则" — the city or county follows the firm through the whole
process and reports its problems upward (000 §四(三), 001 §三(三), 002 §四(三)); the linked leader is the
挂钩服务 of 004 §四(二) ("无事不扰、有求必应、及时闭环").

One active assignment per enterprise and office (the database holds it: ServiceAssignment.open_office_id); ending
one keeps it as history; every change is in the audit trail (subject "service_assignment").

Who sees what: an office (its reviewers) the firms of its jurisdiction and sector, the admin everything, the
enterprise its own, a secretary the firms it actively serves. Anyone else: 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import AssignmentStatus, ProblemStatus
from app.extensions import db
from app.lifecycle.register import jurisdiction_filter, office_sees
from app.models import Enterprise, Problem, ServiceAssignment, User
from app.models.base import utcnow
from app.workbench import notifications

ACTIVE = AssignmentStatus.ACTIVE.value
ENDED = AssignmentStatus.ENDED.value
NAME_MAX, POST_MAX, REASON_MAX = 64, 128, 2000


def serves(user: User, enterprise_id: int) -> ServiceAssignment | None:
    """The secretary's active assignment to this enterprise, if any."""
    if user.role != "secretary":
        return None
    return db.session.scalar(db.select(ServiceAssignment).where(
        ServiceAssignment.enterprise_id == enterprise_id, ServiceAssignment.secretary_id == user.id,
        ServiceAssignment.status == ACTIVE).order_by(ServiceAssignment.id).limit(1))


def can_view(user: User | None, enterprise: Enterprise) -> bool:
    if user is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.enterprise_id == enterprise.id
    if user.role == "reviewer" and user.office is not None:
        return office_sees(user.office, enterprise)
    if user.role == "secretary":
        return serves(user, enterprise.id) is not None
    return False


def enterprise_for(user: User | None, enterprise_id: Any) -> Enterprise:
    """The enterprise, when `user` may see its service desk; 404 otherwise (its existence does not leak)."""
    enterprise = db.session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
    if enterprise is None or not can_view(user, enterprise):
        raise NotFound(_("Enterprise not found."))
    return enterprise


def by_uscc(user: User, uscc: Any) -> Enterprise:
    """The enterprise of the office's jurisdiction with this USCC; 422 on the `uscc` field otherwise."""
    _require_office(user)
    code = uscc.strip().upper() if isinstance(uscc, str) else ""
    enterprise = db.session.scalar(db.select(Enterprise).where(Enterprise.uscc == code)) if code else None
    if enterprise is None or not office_sees(user.office, enterprise):
        raise Invalid(_("No enterprise of your jurisdiction has this USCC."),
                      fields={"uscc": _("No enterprise of your jurisdiction has this USCC.")})
    return enterprise


def _require_office(user: User) -> None:
    if user.role != "reviewer" or user.office is None:
        raise Forbidden(_("Only the staff of an office can assign service secretaries."))


def create_secretary(username: str, password: str, office_code: str, name: str | None = None) -> User:
    """A service secretary account of an office (a city or county office, 001 §三(三)): `flask secretaries
    create`. Invalid names a bad password, an unknown office or a taken username."""
    from app.models import Office
    from app.org import accounts

    errors: dict[str, str] = {}
    office = db.session.scalar(db.select(Office).where(Office.code == office_code))
    if office is None:
        errors["office"] = _("Unknown office code.")
    if problem := accounts.check_password_strength(password, username):
        errors["password"] = problem
    if not username or db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
        errors["username"] = _("This username is taken.")
    if errors:
        raise Invalid(_("The account was not created; see the marked fields."), fields=errors)
    user = User(username=username, role="secretary", office_id=office.id, display_name=name or username)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("secretary_account_created", office=office, subject=("user", user.id),
                 details={"username": username})
    return user


def secretaries_of(office_id: int) -> list[User]:
    """The active secretaries of an office, to choose from."""
    return list(db.session.scalars(db.select(User).where(
        User.office_id == office_id, User.role == "secretary", User.active.is_(True)).order_by(User.username)))


def _date(value: Any, field: str, errors: dict[str, str], *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            errors[field] = _("Enter a date.")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        pass
    errors[field] = _("Enter a date as YYYY-MM-DD.")
    return None


def _text(value: Any, field: str, limit: int, errors: dict[str, str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return None
    value = value.strip()
    if len(value) > limit:
        errors[field] = _("At most %(n)s characters.", n=limit)
    return value or None


def _secretary(user: User, value: Any, errors: dict[str, str]) -> User | None:
    """The chosen secretary: a user id or username of an active secretary of the caller's own office."""
    if value in (None, ""):
        errors["secretary"] = _("Choose a service secretary.")
        return None
    query = db.select(User).where(User.role == "secretary", User.active.is_(True))
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        secretary = db.session.scalar(query.where(User.id == value))
    elif isinstance(value, str):
        secretary = db.session.scalar(query.where(User.username == value.strip()))
    else:
        secretary = None
    if secretary is None or secretary.office_id != user.office_id:
        errors["secretary"] = _("Choose a service secretary of your own office.")
        return None
    return secretary


def assign(user: User, enterprise_id: Any, data: dict[str, Any]) -> ServiceAssignment:
    """The caller's office assigns a secretary (and linked leader) to an enterprise of its jurisdiction:
    `{"secretary": id or username, "leader_name", "leader_post", "starts_on", "ends_on"}` (dates ISO; the start
    is today when left out). 409 while the office has an active assignment there (end it first)."""
    _require_office(user)
    enterprise = enterprise_for(user, enterprise_id)
    errors: dict[str, str] = {}
    secretary = _secretary(user, data.get("secretary"), errors)
    leader_name = _text(data.get("leader_name"), "leader_name", NAME_MAX, errors)
    leader_post = _text(data.get("leader_post"), "leader_post", POST_MAX, errors)
    if leader_post and not leader_name and "leader_name" not in errors:
        errors["leader_name"] = _("Name the linked leader whose post you entered.")
    starts_on = _date(data.get("starts_on"), "starts_on", errors, required=False) or workdays.china_date()
    ends_on = _date(data.get("ends_on"), "ends_on", errors, required=False)
    if ends_on is not None and "starts_on" not in errors and ends_on < starts_on:
        errors["ends_on"] = _("The end date cannot be before the start date.")
    if errors:
        raise Invalid(_("The assignment was not saved; see the marked fields."), fields=errors)
    if current_for_office(enterprise.id, user.office_id) is not None:
        raise Conflict(_("%(office)s already has an active service secretary for this enterprise; end that "
                         "assignment first.", office=user.office.name))
    assignment = ServiceAssignment(
        enterprise_id=enterprise.id, office_id=user.office_id, open_office_id=user.office_id,
        secretary_id=secretary.id, leader_name=leader_name, leader_post=leader_post, starts_on=starts_on,
        ends_on=ends_on, status=ACTIVE, created_by_id=user.id)
    db.session.add(assignment)
    db.session.flush()
    notifications.notify_users([secretary.id], "secretary_assigned", _(
        "%(office)s has assigned you as the service secretary of %(enterprise)s from %(day)s.",
        office=user.office.name, enterprise=enterprise.name, day=starts_on.isoformat()))
    audit.record("secretary_assigned", actor=user, office=user.office, subject=("service_assignment", assignment.id),
                 details={"enterprise_id": enterprise.id, "secretary": secretary.username,
                          "leader_name": leader_name, "leader_post": leader_post,
                          "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None})
    return assignment


def end(user: User, assignment_id: Any, reason: Any = None) -> ServiceAssignment:
    """End an active assignment of the caller's own office (kept as history)."""
    _require_office(user)
    assignment = db.session.get(ServiceAssignment, assignment_id) if isinstance(assignment_id, int) else None
    if assignment is None or not office_sees(user.office, assignment.enterprise):
        raise NotFound(_("Assignment not found."))
    if assignment.office_id != user.office_id:
        raise Forbidden(_("Only the office that made an assignment can end it."))
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", REASON_MAX, errors)
    if errors:
        raise Invalid(_("The assignment was not ended; see the marked fields."), fields=errors)
    if assignment.status != ACTIVE:
        raise Conflict(_("This assignment has already ended."))
    today = workdays.china_date()
    assignment.status, assignment.open_office_id = ENDED, None
    assignment.ends_on = min(assignment.ends_on or today, today) if assignment.starts_on <= today \
        else assignment.starts_on
    assignment.end_reason, assignment.ended_by_id, assignment.ended_at = reason, user.id, utcnow()
    db.session.flush()
    audit.record("secretary_ended", actor=user, office=user.office, subject=("service_assignment", assignment.id),
                 comment=reason, details={"enterprise_id": assignment.enterprise_id,
                                          "secretary": assignment.secretary.username})
    return assignment


def current_for_office(enterprise_id: int, office_id: int) -> ServiceAssignment | None:
    return db.session.scalar(db.select(ServiceAssignment).where(
        ServiceAssignment.enterprise_id == enterprise_id, ServiceAssignment.open_office_id == office_id))


def of_enterprise(enterprise_id: int) -> list[ServiceAssignment]:
    """Every assignment of the enterprise: active ones first, then the ended, newest first."""
    rows = db.session.scalars(db.select(ServiceAssignment).where(ServiceAssignment.enterprise_id == enterprise_id)
                              .order_by(ServiceAssignment.starts_on.desc(), ServiceAssignment.id.desc()))
    return sorted(rows, key=lambda a: a.status != ACTIVE)


def list_for(user: User, enterprise_id: Any) -> list[ServiceAssignment]:
    return of_enterprise(enterprise_for(user, enterprise_id).id)


def search(user: User, *, status: str | None = None, secretary_id: int | None = None, q: str | None = None,
           page: int = 1, per_page: int = 50) -> tuple[list[ServiceAssignment], int]:
    """The assignments of the office's jurisdiction (any office in it), newest first."""
    if user.role != "reviewer" or user.office is None:
        raise Forbidden(_("Only the staff of an office can see its assignments."))
    firms = db.select(Enterprise.id).where(jurisdiction_filter(user.office))
    if q:
        firms = firms.where(Enterprise.name.contains(q.replace("%", "")) | (Enterprise.uscc == q.upper()))
    query = db.select(ServiceAssignment).where(ServiceAssignment.enterprise_id.in_(firms))
    if status in (ACTIVE, ENDED):
        query = query.where(ServiceAssignment.status == status)
    if secretary_id:
        query = query.where(ServiceAssignment.secretary_id == secretary_id)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.order_by(ServiceAssignment.status, ServiceAssignment.starts_on.desc(),
                                             ServiceAssignment.id.desc())
                              .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return list(rows), int(total)


def to_dict(assignment: ServiceAssignment) -> dict[str, Any]:
    secretary = assignment.secretary
    return {"id": assignment.id, "enterprise": assignment.enterprise.summary(), "office": assignment.office.to_dict(),
            "secretary": {"id": secretary.id, "username": secretary.username,
                          "name": secretary.display_name or secretary.username},
            "leader": {"name": assignment.leader_name, "post": assignment.leader_post}
            if assignment.leader_name else None,
            "starts_on": assignment.starts_on.isoformat(),
            "ends_on": assignment.ends_on.isoformat() if assignment.ends_on else None,
            "status": assignment.status, "end_reason": assignment.end_reason,
            "created_at": assignment.created_at.isoformat(),
            "ended_at": assignment.ended_at.isoformat() if assignment.ended_at else None}


def open_problems(enterprise_id: int) -> list[Problem]:
    """The enterprise's problems not yet closed (being handled, or resolved and waiting for its confirmation),
    listed on the secretary's workbench beside each firm."""
    return list(db.session.scalars(db.select(Problem).where(
        Problem.enterprise_id == enterprise_id, Problem.status != ProblemStatus.CLOSED.value)
        .order_by(Problem.created_at)))
