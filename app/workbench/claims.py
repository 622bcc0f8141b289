"""Sharing an office's work: claim, release, hand over, reassign (office head); conflicts of interest."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import gettext as _

from app.core import audit, params
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import ConflictOfInterest, Enterprise, HumanTask, User
from app.models.base import utcnow
from app.workbench.inbox import require_reviewer
from app.workflow import instances

DECISION_ACTIONS = ("approve", "return", "reject")


def _task_for_update(user: User, task_id: int) -> HumanTask:
    """The office's open task, re-read under the instance lock so two claims never both win."""
    require_reviewer(user)
    task = db.session.get(HumanTask, task_id) if isinstance(task_id, int) else None
    if task is None or task.office_id != user.office_id:
        raise NotFound(_("Task not found."))
    instances.lock(task.instance_id)
    db.session.refresh(task)
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    return task


def claim(user: User, task_id: int) -> HumanTask:
    task = _task_for_update(user, task_id)
    if task.claimed_by_id not in (None, user.id):
        raise Conflict(_("This task is claimed by %(name)s.", name=task.claimed_by.username))
    check_may_decide(user, task)
    if task.claimed_by_id != user.id:
        # conditional update: with no row locks (SQLite) the second of two racing claims changes nothing
        claimed = db.session.execute(
            db.update(HumanTask).where(HumanTask.id == task.id, HumanTask.state == "open",
                                       HumanTask.claimed_by_id.is_(None))
            .values(claimed_by_id=user.id, claimed_at=utcnow()).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            raise Conflict(_("Someone else claimed this task at the same time."))
        db.session.refresh(task)
        audit.record("claim", application=task.application, actor=user, office=task.office, step=task.step)
    db.session.flush()
    return task


def release(user: User, task_id: int) -> HumanTask:
    task = _task_for_update(user, task_id)
    if task.claimed_by_id != user.id and not user.is_office_head:
        raise Conflict(_("Only the reviewer holding a task (or the office head) can release it."))
    task.claimed_by, task.claimed_at = None, None
    audit.record("release", application=task.application, actor=user, office=task.office, step=task.step)
    db.session.flush()
    return task


def hand_over(user: User, task_id: int, colleague: str) -> HumanTask:
    """Give a task to a named colleague of the same office: the holder, or the office head for any task."""
    task = _task_for_update(user, task_id)
    if task.claimed_by_id not in (None, user.id) and not user.is_office_head:
        raise Conflict(_("This task is claimed by %(name)s.", name=task.claimed_by.username))
    if not isinstance(colleague, str) or not colleague.strip():
        raise Invalid(_("Hand the task to a reviewer of your own office."), fields={"to": _("not a colleague")})
    target = db.session.scalar(db.select(User).where(User.username == colleague.strip()))
    if target is None or target.office_id != user.office_id or target.role != "reviewer" or not target.active:
        raise Invalid(_("Hand the task to a reviewer of your own office."), fields={"to": _("not a colleague")})
    check_may_decide(target, task)
    previous = task.claimed_by.username if task.claimed_by else None
    task.claimed_by, task.claimed_at = target, utcnow()
    action = "reassign_in_office" if user.is_office_head and previous not in (None, user.username) else "hand_over"
    audit.record(action, application=task.application, actor=user, office=task.office, step=task.step,
                 details={"from": previous, "to": target.username})
    db.session.flush()
    return task


def _refuse(why: str, step: str | None) -> None:
    if why == "conflict":
        raise Forbidden(_("You declared a conflict of interest with this enterprise; another reviewer must "
                          "take this task."), code="conflict_of_interest")
    raise Forbidden(_("Four eyes: you already decided this application at step %(step)s; another "
                      "reviewer must decide this step.", step=step), code="four_eyes")


def check_may_decide(user: User, task: HumanTask) -> None:
    """Four eyes: nobody decides an application at two steps, or one of an enterprise they are linked to."""
    probe, values = may_decide_probe(user, task.id)
    check_probe(db.session.scalar(db.select(probe), values))


def may_decide_probe(user: User, task_id: int) -> tuple[Any, dict[str, int]]:
    """`check_may_decide` for the task `task_id` as one scalar SQL expression, to ride along with the query that
    locks the task's instance (no round trip of its own): NULL, or "why:step" for `check_probe`. The expression
    is built once; its values go with the execution (the second item)."""
    return _probe(), {"probe_task_id": task_id, "probe_user_id": user.id}


@cache
def _probe():
    """The probe with its two values as parameters, built once (an aliased entity costs milliseconds to build)."""
    from app.models import Application

    task_id, user_id = db.bindparam("probe_task_id", type_=db.Integer), db.bindparam("probe_user_id", type_=db.Integer)
    target = db.aliased(HumanTask, name="probe_target")
    conflict = db.select(db.literal("conflict:")).select_from(ConflictOfInterest).join(
        Application, Application.enterprise_id == ConflictOfInterest.enterprise_id).join(
        target, target.application_id == Application.id).where(target.id == task_id,
                                                              ConflictOfInterest.user_id == user_id)
    decided = db.select(db.literal("decided:") + HumanTask.step).join(
        target, target.application_id == HumanTask.application_id).where(
        target.id == task_id, HumanTask.completed_by_id == user_id, HumanTask.decision.in_(DECISION_ACTIONS),
        HumanTask.step != target.step)
    return db.union_all(conflict, decided).limit(1).scalar_subquery()


def check_probe(found: str | None) -> None:
    """Refuse as `check_may_decide` does, from the value of `may_decide_probe`."""
    if found:
        why, _sep, step = found.partition(":")
        _refuse(why, step or None)


def declare_conflict(user: User, enterprise_id: int, reason: str) -> ConflictOfInterest:
    """A reviewer or an expert declares a link to an enterprise (experts are then never drawn for it)."""
    if user.role != "expert":
        require_reviewer(user)
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid(_("A reason is required."), fields={"reason": _("required")})
    if not params.is_id(enterprise_id) or db.session.get(Enterprise, enterprise_id) is None:
        raise NotFound(_("Enterprise not found."))
    existing = db.session.scalar(db.select(ConflictOfInterest).where(
        ConflictOfInterest.user_id == user.id, ConflictOfInterest.enterprise_id == enterprise_id))
    if existing is not None:
        return existing
    declared = ConflictOfInterest(user_id=user.id, enterprise_id=enterprise_id, reason=reason.strip())
    db.session.add(declared)
    audit.record("declare_conflict", actor=user, details={"enterprise_id": enterprise_id})
    db.session.flush()
    return declared
