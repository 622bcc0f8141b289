"""Administrators' actions on one application's instance: suspend, resume, reassign, move back."""

from __future__ import annotations

from flask_babel import gettext as _

from app import engine
from app.core import audit, permissions
from app.core.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models import Application, HumanTask, Office, User
from app.recognition import notices
from app.workflow import instances


def _prepare(user: User, application_id: int, reason: str):
    permissions.require_admin(user)
    if not (reason or "").strip():
        raise Invalid(_("A reason is required."), fields={"reason": _("required")})
    application = db.session.get(Application, application_id)
    if application is None or application.instance is None:
        raise NotFound(_("Application not found."))
    return application, instances.lock(application.instance.id)


def _tasks(instance, state: str) -> list[HumanTask]:
    return list(db.session.scalars(db.select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.state == state)))


def suspend(user: User, application_id: int, reason: str) -> Application:
    application, instance = _prepare(user, application_id, reason)
    if instance.status != "running":
        raise Conflict(_("Only a running instance can be suspended."))
    instance.status = "suspended"
    for task in _tasks(instance, "open"):
        task.state = "suspended"
    audit.record("suspend", application=application, actor=user, comment=reason)
    db.session.flush()
    return application


def resume(user: User, application_id: int, reason: str) -> Application:
    application, instance = _prepare(user, application_id, reason)
    if instance.status != "suspended":
        raise Conflict(_("Only a suspended instance can be resumed."))
    instance.status = "running"
    for task in _tasks(instance, "suspended"):
        task.state = "open"
    audit.record("resume", application=application, actor=user, comment=reason)
    db.session.flush()
    return application


def reassign(user: User, application_id: int, office_code: str, reason: str) -> Application:
    application, instance = _prepare(user, application_id, reason)
    office = db.session.scalar(db.select(Office).where(Office.code == (office_code or "").strip()))
    if office is None:
        raise Invalid(_("Unknown office."), fields={"office": _("unknown office")})
    tasks = [t for t in _tasks(instance, "open") if t.office_id is not None]
    if not tasks:
        raise Conflict(_("No reviewing step is waiting."))
    for task in tasks:
        previous = task.office.code if task.office else None
        task.office_id, task.claimed_by_id = office.id, None
        audit.record("reassign", application=application, actor=user, office=office, step=task.step,
                     comment=reason, details={"from": previous, "to": office.code})
    db.session.flush()
    return application


def move_back(user: User, application_id: int, step: str, reason: str) -> Application:
    """Send the instance back to an earlier step it has completed; that step waits again."""
    application, instance = _prepare(user, application_id, reason)
    if instance.status != "running":
        raise Conflict(_("Only a running instance can be moved."))
    try:
        instances.reset_to(instance, step)
    except engine.TaskNotReady as exc:
        raise Invalid(_("The instance has not completed step %(step)s.", step=step),
                      fields={"step": _("not an earlier step")}) from exc
    superseded = notices.supersede_open(application, user)
    audit.record("move_back", application=application, actor=user, step=step, comment=reason,
                 details={"objections_superseded": superseded} if superseded else None)
    db.session.flush()
    return application
