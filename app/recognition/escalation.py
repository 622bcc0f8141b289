"""What a fired timer means for an application: reminders, overdue flags raised upward, hand-ups, missed
expert deadlines, the end of a public notice. The BPMN says when (boundary and catch timers, each with its
`escalation` kind); this module says who hears."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import Lane, TimerKind
from app.extensions import db
from app.models import Application, HumanTask, Office, User
from app.workbench import notifications
from app.workflow import routing

UPWARD = {Lane.COUNTY: Lane.CITY, Lane.CITY: Lane.PROVINCE, Lane.PROVINCE: Lane.NATIONAL}


def _supervising_office(task: HumanTask) -> Office | None:
    lane = UPWARD.get(task.lane or "")
    enterprise = task.application.enterprise
    return routing.office_for_lane(lane, enterprise.region, enterprise.sector) if lane else None


def _day(moment: datetime | None) -> str:
    return moment.astimezone(workdays.CHINA).date().isoformat() if moment else "-"


def remind(task: HumanTask, now: datetime) -> None:
    task.reminded_at = now
    message = _("Deadline approaching: %(enterprise)s, %(step)s is due on %(due)s.",
                enterprise=task.application.enterprise.name, step=task.step_name or task.step, due=_day(task.due_at))
    if task.office_id:
        notifications.notify_office(task.office_id, "reminder", message, task.application)
    if task.assignee_id:
        notifications.notify_users([task.assignee_id], "reminder", message, task.application)
    if task.lane == Lane.ENTERPRISE:  # the amendment: the enterprise's own deadline
        users = list(db.session.scalars(db.select(User.id).where(
            User.enterprise_id == task.application.enterprise_id, User.active.is_(True))))
        notifications.notify_users(users, "reminder", message, task.application)
    audit.record("reminder", application=task.application, office_id=task.office_id, step=task.step,
                 details={"due_at": task.due_at.isoformat() if task.due_at else None})


def flag_overdue(task: HumanTask, now: datetime) -> None:
    task.escalated_at = now
    supervisor = _supervising_office(task)
    message = _("Overdue: %(enterprise)s, %(step)s at %(office)s was due on %(due)s.",
                enterprise=task.application.enterprise.name, step=task.step_name or task.step,
                office=task.office.name if task.office else "-", due=_day(task.due_at))
    if supervisor is not None:
        notifications.notify_office(supervisor.id, "overdue", message, task.application)
    heads = list(db.session.scalars(db.select(User.id).where(
        User.office_id == task.office_id, User.is_office_head.is_(True), User.active.is_(True)))) \
        if task.office_id else []
    notifications.notify_users(heads, "overdue", message, task.application)
    audit.record("overdue", application=task.application, office_id=task.office_id, step=task.step,
                 details={"due_at": task.due_at.isoformat() if task.due_at else None,
                          "escalated_to": supervisor.code if supervisor else None})


def on_fired(application: Application, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
    """Act on a timer that fired; `task` is the inbox row it watched (open before the engine ran)."""
    if timer.kind == TimerKind.REMINDER and task is not None:
        remind(task, now)
    elif timer.kind == TimerKind.OVERDUE and task is not None:
        flag_overdue(task, now)
    elif timer.kind == TimerKind.HAND_UP and task is not None:
        task.decision = "handed_up"
        supervisor = _supervising_office(task)
        audit.record("handed_up", application=application, office_id=task.office_id, step=task.step,
                     details={"to": supervisor.code if supervisor else None})
    elif timer.kind == TimerKind.EXPERT_DEADLINE and task is not None:
        task.decision = "missed"  # blind: the history says a panel member missed it, not who
        audit.record("expert_missed", application=application, step=task.step)
    elif timer.kind == TimerKind.NOTICE_PERIOD:
        audit.record("public_notice_ended", application=application, step=timer.step)
    else:
        audit.record("timer", application=application, step=timer.step, details={"kind": timer.kind})
