"""Problems enterprises raise (问题诉求, issue 14; 问题解决工作制度 001 §三(三), 000 §四(三)). The enterprise (or an
office on its behalf) raises one with a category and a text; the `problem` process sends it to the city service
team of the enterprise's sector, which resolves it or escalates it with a reason, up to the provincial sector
team, the leading group's office and (major) the provincial government. The enterprise confirms a resolution
(闭环) or reopens it; the timeline is the audit trail of the problem."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _

from app.core import audit, text
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import Decision, Lane, ProblemCategory, ProblemLevel, ProblemStatus
from app.extensions import db
from app.lifecycle.register import region_prefix
from app.models import AuditEvent, Enterprise, HumanTask, Problem, ProcessInstance, Region, ServiceAssignment, User
from app.models.base import utcnow
from app.services_desk.assignments import ACTIVE, serves
from app.workbench import evidence
from app.workflow import instances

PROCESS = SUBJECT = "problem"
MAX_TEXT = 4000
OFFICE_ACTIONS = (Decision.RESOLVE.value, Decision.ESCALATE.value)
ENTERPRISE_ACTIONS = (Decision.CONFIRM.value, Decision.REOPEN.value)


def _text(value: Any, errors: dict[str, str], key: str, *, required: bool) -> str:
    cleaned = unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[key] = _("a text")
    elif text.has_controls(cleaned) or text.BIDI.search(cleaned):
        errors[key] = _("plain text, without control or direction characters")
    elif required and not cleaned:
        errors[key] = _("required")
    elif len(cleaned) > MAX_TEXT:
        errors[key] = _("at most %(n)s characters", n=MAX_TEXT)
    return cleaned


def _enterprise_for(user: User, enterprise_id: Any) -> Enterprise:
    """The enterprise a problem is raised for: the caller's own, or (an office, on its behalf) one of its
    jurisdiction."""
    if user.role == "enterprise":
        if user.enterprise is None:
            raise Forbidden(_("This account has no enterprise."))
        return user.enterprise
    if user.role in ("reviewer", "secretary") and user.office is not None:
        enterprise = db.session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
        if user.role == "secretary" and enterprise is not None and not serves(user, enterprise.id):
            enterprise = None  # a secretary raises the problems of the firms it serves
        if enterprise is None or not enterprise.region_code.startswith(region_prefix(user.office.region)):
            raise Invalid(_("Choose an enterprise of your jurisdiction."), fields={"enterprise_id": _("unknown")})
        return enterprise
    raise Forbidden(_("Only an enterprise or its service secretary can raise a problem."))


def raise_problem(user: User, values: dict[str, Any], upload: Upload | None = None) -> Problem:
    """Raise a problem: `{"category", "text"}` (an office adds `enterprise_id`), with an optional document
    (PDF, PNG or JPEG: `upload`). 422 naming every bad field; nothing is stored then, no file either."""
    errors: dict[str, str] = {}
    category = values.get("category")
    if category not in ProblemCategory.values():
        errors["category"] = _("one of %(values)s", values=", ".join(ProblemCategory.values()))
    body = _text(values.get("text"), errors, "text", required=True)
    try:
        enterprise = _enterprise_for(user, values.get("enterprise_id"))
    except Invalid as exc:
        errors.update(exc.fields or {})
        enterprise = None
    if errors:
        raise Invalid(_("The problem cannot be raised; check the marked fields."), fields=errors)
    stored = None
    if upload is not None and upload.filename:
        try:
            stored = evidence.store(upload.filename, upload.stream, upload.folder, upload.max_bytes)
        except Invalid as exc:
            raise Invalid(exc.message, fields={"file": exc.message}, code=exc.code) from exc
    problem = Problem(enterprise_id=enterprise.id, region_code=enterprise.region_code, sector=enterprise.sector,
                      category=category, text=body, status=ProblemStatus.OPEN.value, level=ProblemLevel.CITY.value,
                      escalations=0, reopened=0, raised_by_id=user.id, created_at=utcnow(),
                      attachment_name=stored["original_name"][:120] if stored else None,
                      attachment_stored=stored["stored_name"] if stored else None,
                      attachment_type=stored["content_type"] if stored else None)
    db.session.add(problem)
    db.session.flush()
    audit.record("problem_raised", actor=user, subject=(SUBJECT, problem.id), comment=body,
                 details={"category": category, "enterprise_id": enterprise.id})
    instances.start(SUBJECT, problem, PROCESS)
    return problem


# --- who sees ------------------------------------------------------------------------------------------

def visible(user: User, query: Any) -> Any:
    """The admin all; an enterprise its own; a leader its region's; an office its region's problems (a sector
    department those of its sector) and any its office held; nobody else any."""
    if user.role == "admin":
        return query
    if user.role == "enterprise":
        return query.where(Problem.enterprise_id == (user.enterprise_id or -1))
    if user.role == "leader" and user.region_code:
        region = db.session.get(Region, user.region_code)
        return query.where(Problem.region_code.startswith(region_prefix(region)) if region else db.false())
    if user.role == "secretary":  # the problems of the firms it serves, and those it raised
        served = db.select(ServiceAssignment.enterprise_id).where(
            ServiceAssignment.secretary_id == user.id, ServiceAssignment.status == ACTIVE)
        return query.where(Problem.enterprise_id.in_(served) | (Problem.raised_by_id == user.id))
    if user.office is not None:
        office = user.office
        mine = Problem.region_code.startswith(region_prefix(office.region))
        if office.sector is not None:
            mine = mine & (Problem.sector == office.sector)
        held = Problem.id.in_(db.select(HumanTask.subject_id).where(HumanTask.subject_type == SUBJECT,
                                                                     HumanTask.office_id == office.id))
        return query.where(mine | held)
    return query.where(db.false())


@dataclass(frozen=True)
class Upload:
    """A document sent with a problem: its name, its bytes, where files are kept and how large one may be."""

    filename: str | None
    stream: IO[bytes]
    folder: Path
    max_bytes: int


def attachment(user: User, problem_id: Any, folder: Path) -> tuple[Problem, Path]:
    """The problem's document, for whoever may see the problem (404 for anyone else, or when it has none)."""
    problem = get_for(user, problem_id)
    path = folder / problem.attachment_stored if problem.attachment_stored else None
    if path is None or not path.is_file():
        raise NotFound(_("Document not found."))
    return problem, path


def of_enterprise(enterprise_id: int) -> list[Problem]:
    """An enterprise's problems, newest first (its 一企一册 page; the secretary's workbench)."""
    return list(db.session.scalars(db.select(Problem).where(Problem.enterprise_id == enterprise_id)
                                   .order_by(Problem.created_at.desc(), Problem.id.desc())))


def get_for(user: User, problem_id: Any) -> Problem:
    problem = db.session.get(Problem, problem_id) if isinstance(problem_id, int) else None
    if problem is None or db.session.scalar(visible(user, db.select(Problem.id)).where(
            Problem.id == problem.id)) is None:
        raise NotFound(_("Problem not found."))
    return problem


def overdue_filter() -> Any:
    return Problem.id.in_(db.select(HumanTask.subject_id).where(
        HumanTask.subject_type == SUBJECT, HumanTask.state == "open", HumanTask.escalated_at.is_not(None)))


def search(user: User, filters: dict[str, Any], *, page: int = 1, per_page: int = 50) -> tuple[list[Problem], int]:
    """The caller's problems, newest first; filters `category`, `sector`, `level`, `status`, `overdue`,
    `waiting` (waiting for the caller's office). 422 for an unknown filter value."""
    query = visible(user, db.select(Problem))
    errors: dict[str, str] = {}
    for key, vocabulary, column in (("category", ProblemCategory, Problem.category), ("level", ProblemLevel,
                                    Problem.level), ("status", ProblemStatus, Problem.status)):
        value = filters.get(key)
        if value in (None, ""):
            continue
        if value not in vocabulary.values():
            errors[key] = _("unknown value")
        else:
            query = query.where(column == value)
    if filters.get("sector"):
        query = query.where(Problem.sector == filters["sector"])
    if filters.get("overdue") in (True, "1", "true"):
        query = query.where(overdue_filter())
    if filters.get("waiting") in (True, "1", "true"):
        query = query.where(Problem.id.in_(db.select(HumanTask.subject_id).where(
            HumanTask.subject_type == SUBJECT, HumanTask.state == "open",
            HumanTask.office_id == (user.office_id or -1))))
    if errors:
        raise Invalid(_("Unknown filter values."), fields=errors)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.order_by(Problem.created_at.desc(), Problem.id.desc()).limit(per_page)
                              .offset((max(page, 1) - 1) * per_page))
    return list(rows), int(total)


def open_task(problem: Problem) -> HumanTask | None:
    return db.session.scalar(db.select(HumanTask).where(
        HumanTask.subject_type == SUBJECT, HumanTask.subject_id == problem.id, HumanTask.state == "open")
        .order_by(HumanTask.id).limit(1))


def may_act(user: User, task: HumanTask | None, problem: Problem) -> bool:
    if task is None:
        return False
    if task.lane == Lane.ENTERPRISE:
        return user.role == "enterprise" and user.enterprise_id == problem.enterprise_id
    return user.role == "reviewer" and task.office_id is not None and task.office_id == user.office_id


# --- acting --------------------------------------------------------------------------------------------

def act(user: User, problem_id: Any, values: dict[str, Any]) -> Problem:
    """`{"action": "resolve"|"escalate"|"confirm"|"reopen", "comment"}`: the office holding the problem resolves
    (an answer is required) or escalates (a reason is required); the enterprise confirms or reopens (a reason is
    required). 404 outside the caller's problems, 409 when the action does not fit the problem's state or the
    caller does not hold it, 422 for bad input. Nothing changes on an error."""
    problem = get_for(user, problem_id)
    action = values.get("action")
    errors: dict[str, str] = {}
    if action not in OFFICE_ACTIONS + ENTERPRISE_ACTIONS:
        errors["action"] = _("one of %(values)s", values=", ".join(OFFICE_ACTIONS + ENTERPRISE_ACTIONS))
    needs = action in (Decision.RESOLVE, Decision.ESCALATE, Decision.REOPEN)
    comment = _text(values.get("comment"), errors, "comment", required=needs)
    if errors:
        raise Invalid(_("The action cannot be taken; check the marked fields."), fields=errors)
    task = open_task(problem)
    if not may_act(user, task, problem) or action not in [a[0] for a in task.actions or []]:
        raise Conflict(_("This action does not fit the problem's state."), code="not_waiting")
    instances.lock(task.instance_id)
    db.session.refresh(task)
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    if task.claimed_by_id is None:
        task.claimed_by_id, task.claimed_at = user.id, utcnow()
    if action == Decision.ESCALATE:
        problem.escalations += 1
    elif action == Decision.REOPEN:
        problem.reopened += 1
        problem.resolved_at = None
    elif action == Decision.RESOLVE:
        problem.resolution = comment
    audit.record(f"problem_{action}", actor=user, office_id=task.office_id, step=task.step, comment=comment or None,
                 subject=(SUBJECT, problem.id), details={"level": problem.level})
    instances.complete_task(task, user, {"decision": action}, decision=action)
    if action == Decision.CONFIRM:
        problem.closed_at = utcnow()
    return problem


# --- what people read ----------------------------------------------------------------------------------

def history(problem: Problem) -> list[AuditEvent]:
    return audit.subject_history(SUBJECT, [problem.id])


def instance_of(problem: Problem) -> ProcessInstance | None:
    return db.session.scalar(db.select(ProcessInstance).where(ProcessInstance.subject_type == SUBJECT,
                                                              ProcessInstance.subject_id == problem.id))


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {"action": event.action, "at": event.at.isoformat(), "actor": event.actor.username if event.actor else None,
            "office": event.office.name if event.office else None, "comment": event.comment,
            "details": event.details}


def to_dict(problem: Problem, *, detail: bool = True) -> dict[str, Any]:
    task = open_task(problem)
    out = {"id": problem.id, "enterprise": problem.enterprise.summary() | {
               "region_code": problem.enterprise.region_code, "sector": problem.enterprise.sector},
           "category": problem.category, "text": problem.text, "status": problem.status, "level": problem.level,
           "escalations": problem.escalations, "reopened": problem.reopened, "resolution": problem.resolution,
           "overdue": bool(task is not None and task.escalated_at is not None),
           "current_office": task.office.to_dict() if task is not None and task.office is not None else None,
           "waiting_for": None if task is None else ("enterprise" if task.lane == Lane.ENTERPRISE else "office"),
           "actions": [a[0] for a in (task.actions or [])] if task is not None else [],
           "due_at": task.due_at.isoformat() if task is not None and task.due_at else None,
           "created_at": problem.created_at.isoformat(),
           "resolved_at": problem.resolved_at.isoformat() if problem.resolved_at else None,
           "closed_at": problem.closed_at.isoformat() if problem.closed_at else None,
           "document": {"name": problem.attachment_name, "content_type": problem.attachment_type}
           if problem.attachment_stored else None}
    if detail:
        out["history"] = [event_dict(e) for e in history(problem)]
    return out


def waiting_count(user: User) -> int:
    """Problems waiting for the reviewer's office (the navigation badge)."""
    if user.office_id is None:
        return 0
    return int(db.session.scalar(db.select(db.func.count()).select_from(HumanTask).where(
        HumanTask.subject_type == SUBJECT, HumanTask.office_id == user.office_id, HumanTask.state == "open")) or 0)
