"""Reviewers' work: the office inbox and decisions on tasks."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import TIERS, Application, HumanTask, User
from app.services import audit, instances
from app.services.errors import Conflict, Forbidden, Invalid, NotFound

DECISIONS = ("approve", "return", "reject")
SORTS = {
    "oldest": (HumanTask.created_at.asc(), HumanTask.id.asc()),
    "newest": (HumanTask.created_at.desc(), HumanTask.id.desc()),
}


def _require_reviewer(user: User) -> None:
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))


def inbox(user: User, *, page: int = 1, per_page: int = 20, sort: str = "oldest",
          tier: str | None = None) -> tuple[list[HumanTask], int]:
    """Open tasks of the reviewer's office: one indexed query, no engine work."""
    _require_reviewer(user)
    query = db.select(HumanTask).where(HumanTask.office_id == user.office_id, HumanTask.state == "open")
    if tier:
        if tier not in TIERS:
            raise Invalid(_("Unknown tier filter."), fields={"tier": _("unknown tier")})
        query = query.join(Application, Application.id == HumanTask.application_id).where(
            Application.target_tier == tier)
    total = db.session.scalar(query.with_only_columns(db.func.count(HumanTask.id)).order_by(None))
    page = max(page, 1)
    rows = db.session.scalars(query.order_by(*SORTS.get(sort, SORTS["oldest"]))
                              .limit(per_page).offset((page - 1) * per_page))
    return list(rows), int(total or 0)


def get_task(user: User, task_id: Any) -> HumanTask:
    """A task the reviewer's office holds; 404 for anything else."""
    _require_reviewer(user)
    task = db.session.get(HumanTask, task_id, options=[joinedload(HumanTask.office)]) \
        if isinstance(task_id, int) else None
    if task is None or task.office_id != user.office_id:
        raise NotFound(_("Task not found."))
    return task


def decide(user: User, task_id: Any, decision: Any, comment: Any) -> Application:
    task = get_task(user, task_id)
    if decision not in DECISIONS:
        raise Invalid(_("Unknown decision; use approve, return or reject."), fields={"decision": _("unknown")})
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if decision in ("return", "reject") and not comment:
        raise Invalid(_("A reason is required to return or reject."), fields={"comment": _("required")})
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    # Under the instance lock the engine state is fresh: a task completed meanwhile is not ready
    # there any more (409), and the version column catches a writer that slipped past the lock.
    instance = instances.lock(task.instance_id)
    if task.claimed_by_id not in (None, user.id):
        raise Conflict(_("This task is claimed by %(name)s.", name=task.claimed_by.username))
    task.claimed_by_id = user.id
    instances.complete_task(task, user, {"decision": decision}, decision=decision)
    application = instance.application
    audit.record(decision, application=application, actor=user, office=task.office, step=task.step,
                 comment=comment, details={"task_id": task.id})
    if application.status in ("recognized", "rejected"):
        audit.record(application.status, application=application, office=task.office, step=task.step)
    return application


def task_to_dict(task: HumanTask) -> dict[str, Any]:
    application = task.application
    return {
        "id": task.id,
        "application_id": task.application_id,
        "enterprise": application.enterprise.summary(),
        "target_tier": application.target_tier,
        "step": task.step,
        "office": task.office.to_dict() if task.office else None,
        "created_at": task.created_at.isoformat(),
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "claimed_by": task.claimed_by.username if task.claimed_by else None,
    }
